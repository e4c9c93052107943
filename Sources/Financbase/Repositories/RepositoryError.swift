public import FoundationEssentials
public import PGWire

/// Why a repository refused or could not do what was asked. Database errors (a violated
/// constraint, a lost connection) surface as `PGError` instead.
public enum RepositoryError: Error, Sendable, Hashable {
    /// No row of `entity` with `id` is visible to the tenant (it does not exist, or belongs to
    /// another organization, which is the same thing to the caller).
    case notFound(entity: String, id: UUID)
    /// An argument is out of range; `reason` says which and why.
    case invalidArgument(reason: String)
    /// A payment of `amount` exceeds what is left to pay on the invoice (`outstanding`).
    case overpayment(invoiceID: UUID, outstanding: PGNumeric, amount: PGNumeric)
    /// The invoice cannot take payments in its status (a cancelled invoice).
    case invoiceNotPayable(invoiceID: UUID, status: InvoiceStatus)
    /// The idempotency key already recorded a different payment (another invoice, amount or
    /// method), so this request is not a retry of that one.
    case idempotencyKeyReused(key: String, paymentID: UUID)
}
