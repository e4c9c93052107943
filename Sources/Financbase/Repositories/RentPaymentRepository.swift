public import FoundationEssentials
public import PGWire
import PGClient

/// The rent charged and paid per month of the current organization's leases, and what is in
/// arrears; every member writes them.
public struct RentPaymentRepository: Sendable {
    let session: TenantSession

    /// Charges the month starting `periodMonth` on the lease `leaseID`: `amountDue` (the lease's
    /// monthly rent when `nil`), in the lease's currency, with what was already paid of it.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` for a lease the tenant does not have;
    ///   `PGError` with SQLSTATE 23505 for a month already charged on the lease; 23514 for a
    ///   `periodMonth` that is not the first day of a month, a negative amount, or a status
    ///   that does not fit the amounts (`paid` exactly when the amount paid reaches the amount
    ///   due, `partial` only with something paid, `paidOn` exactly when something is paid).
    public func create(
        leaseID: UUID, periodMonth: PGDate, amountDue: PGNumeric? = nil,
        amountPaid: PGNumeric = .zero,
        paidOn: PGDate? = nil, status: RentPaymentStatus = .due
    ) async throws -> RentPayment {
        try await session.record(
            RentPayment.self, "rentPayments.create", entity: "leases", id: leaseID,
            """
            INSERT INTO financbase.rent_payments
                (organization_id, lease_id, period_month, amount_due, amount_paid, currency, paid_on, status)
            SELECT l.organization_id, l.id, \(periodMonth), coalesce(\(amountDue), l.monthly_rent), \(amountPaid),
                   l.currency, \(paidOn), \(status)
            FROM financbase.leases l WHERE l.id = \(leaseID)
            RETURNING \(columnsOf: RentPayment.self)
            """)
    }

    /// Records `amount` received on `day` against the month `id`: it adds to the amount paid,
    /// sets the day, and makes the month `paid` once the amount due is reached, else `partial`.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for an amount that is not
    ///   positive; ``RepositoryError/notFound(entity:id:)``.
    public func record(_ amount: PGNumeric, on day: PGDate, to id: UUID) async throws -> RentPayment
    {
        guard amount.isFinite, !amount.isNegative, !amount.isZero else {
            throw RepositoryError.invalidArgument(reason: "a payment of \(amount) is not positive")
        }
        return try await session.record(
            RentPayment.self, "rentPayments.record", entity: "rent_payments", id: id,
            """
            UPDATE financbase.rent_payments
            SET amount_paid = amount_paid + \(amount), paid_on = \(day),
                status = CASE WHEN amount_paid + \(amount) >= amount_due THEN 'paid' ELSE 'partial' END
            WHERE id = \(id) RETURNING \(columnsOf: RentPayment.self)
            """)
    }

    /// The month with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> RentPayment {
        try await session.fetch(RentPayment.self, "rentPayments.get", id: id)
    }

    /// The months charged on the lease `leaseID`, oldest first (none for an unknown lease).
    public func forLease(_ leaseID: UUID) async throws -> [RentPayment] {
        try await session.records(
            RentPayment.self, "rentPayments.forLease",
            """
            SELECT \(columnsOf: RentPayment.self) FROM financbase.rent_payments
            WHERE lease_id = \(leaseID) ORDER BY period_month
            """)
    }

    /// Saves the amounts, payment day and status of `payment`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``; `PGError` (23514) for amounts and a
    ///   status that do not fit.
    public func update(_ payment: RentPayment) async throws -> RentPayment {
        try await session.record(
            RentPayment.self, "rentPayments.update", entity: "rent_payments", id: payment.id,
            """
            UPDATE financbase.rent_payments
            SET amount_due = \(payment.amountDue), amount_paid = \(payment.amountPaid), paid_on = \(payment.paidOn),
                status = \(payment.status)
            WHERE id = \(payment.id) RETURNING \(columnsOf: RentPayment.self)
            """)
    }

    /// Deletes the month with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("rentPayments.delete", table: "rent_payments", id: id)
    }

    /// A page of charged months in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<RentPayment>
    {
        try await session.page(RentPayment.self, "rentPayments.list", after: cursor, limit: limit)
    }

    /// What each lease owes on `asOf`: over its months due by then (the month's first day plus
    /// the lease's payment day, less one, on or before `asOf`) and not paid in full, the rent due
    /// less what was paid, with the oldest such month; leases that owe nothing are left out.
    /// Largest balance first.
    public func arrears(asOf: PGDate) async throws -> [LeaseArrears] {
        try await session.records(
            LeaseArrears.self, "rentPayments.arrears", Self.arrearsQuery(asOf: asOf))
    }

    /// The statement of ``arrears(asOf:)``, as sent; the plan tests explain it. The months are
    /// summed first (the tenant's unpaid months are a small part of the table, with an index of
    /// their own), then each lease meets its unit, property and renter by their tenant keys.
    static func arrearsQuery(asOf: PGDate) -> PGQuery {
        """
        SELECT a.lease_id, p.name AS property_name, u.label AS unit_label, a.renter_id, r.name AS renter_name,
               a.currency, a.unpaid_periods, a.due, a.paid, a.balance, a.oldest_unpaid_period
        FROM (
            SELECT l.organization_id, l.id AS lease_id, l.unit_id, l.renter_id, rp.currency,
                   count(*) AS unpaid_periods, sum(rp.amount_due) AS due, sum(rp.amount_paid) AS paid,
                   sum(rp.amount_due - rp.amount_paid) AS balance, min(rp.period_month) AS oldest_unpaid_period
            FROM financbase.rent_payments rp
            JOIN financbase.leases l ON l.organization_id = rp.organization_id AND l.id = rp.lease_id
            WHERE rp.status <> 'paid' AND rp.period_month <= \(asOf)
              AND rp.period_month + (l.payment_day - 1) <= \(asOf)
            GROUP BY l.organization_id, l.id, rp.currency
            HAVING sum(rp.amount_due - rp.amount_paid) > 0
        ) a
        JOIN financbase.units u ON u.organization_id = a.organization_id AND u.id = a.unit_id
        JOIN financbase.properties p ON p.organization_id = u.organization_id AND p.id = u.property_id
        JOIN financbase.renters r ON r.organization_id = a.organization_id AND r.id = a.renter_id
        ORDER BY a.balance DESC, a.lease_id
        """
    }
}

extension TenantRepositories {
    /// The rent charged and paid per month of the current organization's leases.
    public var rentPayments: RentPaymentRepository { RentPaymentRepository(session: session) }
}
