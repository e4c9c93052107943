public import PGWire

/// How long past its due date an invoice is.
public enum AgingBucket: String, StoredEnum {
    /// Not yet due, or nothing is owed.
    case current
    /// 1 to 30 days past due.
    case days1To30 = "1-30"
    /// 31 to 60 days past due.
    case days31To60 = "31-60"
    /// 61 to 90 days past due.
    case days61To90 = "61-90"
    /// More than 90 days past due.
    case over90 = "90+"
}

/// The invoices of one status, currency and aging bucket.
public struct InvoiceAging: Sendable, Hashable, Decodable {
    /// Their status.
    public let status: InvoiceStatus
    /// Their currency.
    public let currency: String
    /// How long past due they are.
    public let bucket: AgingBucket
    /// How many.
    public let count: Int64
    /// The sum of their totals.
    public let total: PGNumeric
    /// The sum of what is still owed on them.
    public let outstanding: PGNumeric
}
