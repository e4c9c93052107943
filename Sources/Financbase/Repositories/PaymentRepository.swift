public import FoundationEssentials
public import PGWire
import PGClient

/// Payments received by the current organization.
public struct PaymentRepository: Sendable {
    let session: TenantSession

    /// Records a payment of `amount` against an invoice, in the invoice's currency: the payment,
    /// a ledger transaction, and the invoice's amount paid and status (`paid` once fully paid,
    /// else `partially_paid`), all in the unit of work's one transaction.
    ///
    /// `receivedAt` dates the payment and its transaction when the money came earlier than it
    /// is recorded (a cheque entered a week late); `nil` means now.
    ///
    /// A retry with the same `idempotencyKey` returns the first payment and changes nothing.
    /// The invoice row is locked first, so concurrent payments on one invoice run one after the
    /// other and the second sees what the first paid.
    ///
    /// ```swift
    /// let payment = try await repos.payments.record(
    ///     invoiceID: invoice.id, amount: PGNumeric("250.00")!, method: .bankTransfer,
    ///     idempotencyKey: request.idempotencyKey)
    /// ```
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for an amount not above zero or
    ///   an empty key; ``RepositoryError/notFound(entity:id:)`` for an unknown invoice;
    ///   ``RepositoryError/invoiceNotPayable(invoiceID:status:)`` for a cancelled invoice;
    ///   ``RepositoryError/overpayment(invoiceID:outstanding:amount:)`` when `amount` exceeds
    ///   what is owed; ``RepositoryError/idempotencyKeyReused(key:paymentID:)`` when the key
    ///   recorded a different payment.
    public func record(
        invoiceID: UUID, amount: PGNumeric, method: PaymentMethodType, idempotencyKey: String,
        paymentMethodID: UUID? = nil, reference: String? = nil, receivedAt: Date? = nil
    ) async throws -> Payment {
        guard amount.isFinite, !amount.isNegative, !amount.isZero else {
            throw RepositoryError.invalidArgument(reason: "a payment's amount must be above zero, not \(amount)")
        }
        guard !idempotencyKey.isEmpty else {
            throw RepositoryError.invalidArgument(reason: "the idempotency key is empty")
        }
        let invoice = try await lockInvoice(invoiceID, amount: amount)
        if let earlier = try await existing(idempotencyKey) {
            return try Self.retried(earlier, invoiceID: invoiceID, amount: amount, method: method)
        }
        guard invoice.status != .cancelled else {
            throw RepositoryError.invoiceNotPayable(invoiceID: invoiceID, status: invoice.status)
        }
        guard invoice.fits else {
            throw RepositoryError.overpayment(invoiceID: invoiceID, outstanding: invoice.outstanding, amount: amount)
        }
        let context = session.context
        let inserted = try await session.records(
            Payment.self, "payments.record.insert",
            """
            INSERT INTO financbase.payments
                (organization_id, user_id, invoice_id, payment_method_id, payment_type, method, amount, currency,
                 net_amount, status, reference, idempotency_key, processed_at)
            VALUES (\(context.organizationID), \(context.userID), \(invoiceID), \(paymentMethodID), 'invoice_payment',
                    \(method), \(amount), \(invoice.currency), \(amount), 'completed', \(reference), \(idempotencyKey),
                    coalesce(\(receivedAt), now()))
            ON CONFLICT (organization_id, idempotency_key) DO NOTHING
            RETURNING \(columnsOf: Payment.self)
            """)
        guard let payment = inserted.first else {
            // Another request with this key, for another invoice, committed since the check.
            guard let earlier = try await existing(idempotencyKey) else {
                throw RepositoryError.invalidArgument(reason: "the idempotency key is held by a payment not visible here")
            }
            return try Self.retried(earlier, invoiceID: invoiceID, amount: amount, method: method)
        }
        try await session.execute(
            "payments.record.transaction",
            """
            INSERT INTO financbase.transactions
                (organization_id, user_id, transaction_number, type, amount, currency, category, description,
                 status, payment_method_id, invoice_id, payment_id, transaction_date, processed_at)
            VALUES (\(context.organizationID), \(context.userID), 'PAY-' || \(payment.id)::text, 'payment', \(amount),
                    \(invoice.currency), 'invoice_payment', 'Payment of invoice ' || \(invoice.invoiceNumber),
                    'completed', \(paymentMethodID), \(invoiceID), \(payment.id), coalesce(\(receivedAt), now()), now())
            """)
        try await session.execute(
            "payments.record.invoice",
            """
            UPDATE financbase.invoices
            SET amount_paid = amount_paid + \(amount),
                status = CASE WHEN amount_paid + \(amount) = total THEN 'paid' ELSE 'partially_paid' END,
                paid_at = CASE WHEN amount_paid + \(amount) = total THEN coalesce(\(receivedAt), now()) ELSE paid_at END
            WHERE id = \(invoiceID)
            """)
        return payment
    }

    /// The payment with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Payment {
        try await session.fetch(Payment.self, "payments.get", id: id)
    }

    /// The payments of the invoice with `invoiceID`, oldest first.
    public func forInvoice(_ invoiceID: UUID) async throws -> [Payment] {
        try await session.records(
            Payment.self, "payments.forInvoice",
            "SELECT \(columnsOf: Payment.self) FROM financbase.payments WHERE invoice_id = \(invoiceID) ORDER BY created_at, id")
    }

    /// A page of payments in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Payment> {
        try await session.page(Payment.self, "payments.list", after: cursor, limit: limit)
    }

    /// The invoice, locked until the unit of work ends, with whether `amount` fits what is owed.
    private func lockInvoice(_ id: UUID, amount: PGNumeric) async throws -> LockedInvoice {
        try await session.record(
            LockedInvoice.self, "payments.record.lock", entity: "invoices", id: id,
            """
            SELECT status, currency, invoice_number, total - amount_paid AS outstanding,
                   total - amount_paid >= \(amount) AS fits
            FROM financbase.invoices WHERE id = \(id) FOR UPDATE
            """)
    }

    private func existing(_ idempotencyKey: String) async throws -> Payment? {
        try await session.records(
            Payment.self, "payments.record.existing",
            "SELECT \(columnsOf: Payment.self) FROM financbase.payments WHERE idempotency_key = \(idempotencyKey)"
        ).first
    }

    /// The earlier payment when the request repeats it; else the key was reused.
    private static func retried(
        _ earlier: Payment, invoiceID: UUID, amount: PGNumeric, method: PaymentMethodType
    ) throws -> Payment {
        guard earlier.invoiceID == invoiceID, earlier.amount == amount, earlier.method == method else {
            throw RepositoryError.idempotencyKeyReused(key: earlier.idempotencyKey ?? "", paymentID: earlier.id)
        }
        return earlier
    }
}

/// What ``PaymentRepository/record(invoiceID:amount:method:idempotencyKey:paymentMethodID:reference:receivedAt:)``
/// needs of the invoice it locks.
private struct LockedInvoice: Decodable {
    let status: InvoiceStatus
    let currency: String
    let invoiceNumber: String
    let outstanding: PGNumeric
    let fits: Bool
}

extension TenantRepositories {
    /// Payments received by the current organization.
    public var payments: PaymentRepository { PaymentRepository(session: session) }
}
