public import FoundationEssentials
public import PGWire
import PGClient

/// The invoices of the current organization and their lines.
public struct InvoiceRepository: Sendable {
    let session: TenantSession

    /// Creates an invoice with its lines; the subtotal is the lines' sum and the total is
    /// subtotal + tax − discount, both computed exactly by PostgreSQL.
    ///
    /// ```swift
    /// let invoice = try await repos.invoices.create(
    ///     clientID: client.id, invoiceNumber: "INV-0001", dueDate: PGDate(year: 2025, month: 1, day: 31)!,
    ///     lines: [NewInvoiceLine(description: "Design", quantity: 10, unitPrice: 120, amount: 1_200)])
    /// ```
    ///
    /// - Throws: `PGError` for a number already used, a client of another organization
    ///   (foreign key violation), a due date before the issue date or a negative total.
    public func create(
        clientID: UUID, invoiceNumber: String, currency: String = "USD", issueDate: PGDate? = nil, dueDate: PGDate,
        lines: [NewInvoiceLine], taxAmount: PGNumeric = .zero, discountAmount: PGNumeric = .zero,
        status: InvoiceStatus = .draft, notes: String? = nil
    ) async throws -> Invoice {
        let context = session.context
        let amounts = lines.map(\.amount)
        let invoice = try await session.record(
            Invoice.self, "invoices.create", entity: "invoices", id: clientID,
            """
            INSERT INTO financbase.invoices
                (organization_id, user_id, client_id, invoice_number, currency, subtotal, tax_amount,
                 discount_amount, total, status, issue_date, due_date, notes)
            SELECT \(context.organizationID), \(context.userID), \(clientID), \(invoiceNumber), \(currency),
                   s.subtotal, \(taxAmount), \(discountAmount), s.subtotal + \(taxAmount) - \(discountAmount),
                   \(status), coalesce(\(issueDate), current_date), \(dueDate), \(notes)
            FROM (SELECT coalesce(sum(a), 0) AS subtotal FROM unnest(\(amounts)) AS a) s
            RETURNING \(columnsOf: Invoice.self)
            """)
        if !lines.isEmpty {
            try await session.execute(
                "invoices.createLines",
                """
                INSERT INTO financbase.invoice_lines
                    (organization_id, invoice_id, position, description, quantity, unit_price, amount)
                SELECT \(context.organizationID), \(invoice.id), (l.n - 1)::int, l.description, l.quantity, l.unit_price, l.amount
                FROM unnest(\(lines.map(\.description)), \(lines.map(\.quantity)), \(lines.map(\.unitPrice)), \(amounts))
                     WITH ORDINALITY AS l(description, quantity, unit_price, amount, n)
                """)
        }
        return invoice
    }

    /// The invoice with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> Invoice {
        try await session.fetch(Invoice.self, "invoices.get", id: id)
    }

    /// The lines of the invoice with `id`, in order (none for an unknown invoice).
    public func lines(of id: UUID) async throws -> [InvoiceLine] {
        try await session.records(
            InvoiceLine.self, "invoices.lines",
            "SELECT \(columnsOf: InvoiceLine.self) FROM financbase.invoice_lines WHERE invoice_id = \(id) ORDER BY position")
    }

    /// Saves the header fields of `invoice` (not its amounts paid, which only payments change).
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` for a violated constraint.
    public func update(_ invoice: Invoice) async throws -> Invoice {
        try await session.record(
            Invoice.self, "invoices.update", entity: "invoices", id: invoice.id,
            """
            UPDATE financbase.invoices
            SET client_id = \(invoice.clientID), invoice_number = \(invoice.invoiceNumber),
                reference = \(invoice.reference), currency = \(invoice.currency), subtotal = \(invoice.subtotal),
                tax_amount = \(invoice.taxAmount), discount_amount = \(invoice.discountAmount),
                total = \(invoice.total), status = \(invoice.status), issue_date = \(invoice.issueDate),
                due_date = \(invoice.dueDate), sent_at = \(invoice.sentAt), notes = \(invoice.notes),
                terms = \(invoice.terms)
            WHERE id = \(invoice.id) RETURNING \(columnsOf: Invoice.self)
            """)
    }

    /// Deletes the invoice with `id` and its lines.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` once payments reference it.
    public func delete(_ id: UUID) async throws {
        try await session.delete("invoices.delete", table: "invoices", id: id)
    }

    /// A page of invoices, oldest first.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<Invoice> {
        try await session.page(Invoice.self, "invoices.list", after: cursor, limit: limit)
    }

    /// Invoices counted and summed by status, currency and how long past due they are on
    /// `asOf`. An invoice not yet due (or due that day) is ``AgingBucket/current``; paid,
    /// cancelled and draft invoices are always current, having nothing overdue.
    public func byStatusWithAging(asOf: PGDate) async throws -> [InvoiceAging] {
        try await session.records(InvoiceAging.self, "invoices.aging", Self.agingQuery(asOf: asOf))
    }

    /// The statement of ``byStatusWithAging(asOf:)``, as sent; the plan tests explain it.
    static func agingQuery(asOf: PGDate) -> PGQuery {
        """
        SELECT status, currency, bucket, count(*) AS count, sum(total) AS total, sum(outstanding) AS outstanding
        FROM (
            SELECT status, currency, total, outstanding, app.aging_bucket(status, due_date, \(asOf)) AS bucket
            FROM financbase.invoice_balances
        ) aged
        GROUP BY status, currency, bucket
        ORDER BY status, currency, bucket
        """
    }
}

extension TenantRepositories {
    /// The invoices of the current organization.
    public var invoices: InvoiceRepository { InvoiceRepository(session: session) }
}
