import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Seeder: realistic, consistent, reproducible data through the repositories")
struct SeederTests {
    @Test("every table gets rows for each organization, as many as the seeder reported")
    func rowCounts() async throws {
        let seeded = try await SeededDatabase.shared
        #expect(seeded.organizations.map(\.name) == ["Northwind Studio", "Alpine Analytics GmbH"])
        try await seeded.database.withAdminConnection { connection in
            let tables = try await SeededDatabase.tables(on: connection)
            for organization in seeded.organizations {
                #expect(organization.rows.map(\.table).sorted() == tables.sorted())
                let id = organization.admin.organizationID
                for table in tables {
                    let column = table == "organizations" ? "id" : "organization_id"
                    let count = try await connection.query(
                        "SELECT count(*) FROM financbase.\(identifier: table) WHERE \(identifier: column) = \(id)"
                    ).collect()[0].decode(Int64.self, at: 0)
                    #expect(
                        count == Int64(organization.rowCount(table)),
                        "\(table) of \(organization.name)")
                    #expect(count > 0, "\(table) of \(organization.name)")
                }
                let owner = try await connection.query(
                    "SELECT owner_id FROM financbase.organizations WHERE id = \(id)"
                ).collect()[0].decode(UUID.self, at: 0)
                #expect(owner == organization.admin.userID)
            }
            let expensesPerMonth = try await SeededDatabase.lines(
                connection,
                """
                SELECT count(DISTINCT date_trunc('month', expense_date))::text FROM financbase.expenses
                WHERE organization_id = \(seeded.organizations[0].admin.organizationID)
                """)
            // Twelve 30-day months back from mid-June reach into the June before.
            #expect(expensesPerMonth == ["12"] || expensesPerMonth == ["13"])
        }
    }

    @Test("invoices are consistent with their payments: statuses, amounts paid, ledger entries")
    func invoicesMatchPayments() async throws {
        let seeded = try await SeededDatabase.shared
        try await seeded.database.withAdminConnection { connection in
            let inconsistent = try await SeededDatabase.lines(
                connection,
                """
                SELECT i.invoice_number, i.status, i.total::text, i.amount_paid::text, coalesce(p.paid, 0)::text
                FROM financbase.invoices i
                LEFT JOIN (SELECT invoice_id, sum(amount) AS paid FROM financbase.payments GROUP BY 1) p
                       ON p.invoice_id = i.id
                WHERE i.amount_paid > i.total
                   OR coalesce(p.paid, 0) <> i.amount_paid
                   OR (i.status = 'paid') <> (i.amount_paid = i.total AND i.total > 0)
                   OR (i.status = 'partially_paid') <> (i.amount_paid > 0 AND i.amount_paid < i.total)
                   OR (i.status IN ('paid', 'partially_paid')) <> (i.amount_paid > 0)
                   OR (i.status = 'paid') <> (i.paid_at IS NOT NULL)
                """)
            #expect(inconsistent == [])
            let unmatched = try await SeededDatabase.lines(
                connection,
                """
                SELECT p.id::text FROM financbase.payments p
                LEFT JOIN financbase.transactions t ON t.payment_id = p.id AND t.amount = p.amount AND t.type = 'payment'
                    AND t.transaction_date = p.processed_at
                WHERE t.id IS NULL
                """)
            #expect(unmatched == [])
            let statuses = try await SeededDatabase.lines(
                connection, "SELECT DISTINCT status FROM financbase.invoices ORDER BY 1")
            #expect(Set(["overdue", "paid", "partially_paid"]).isSubset(of: statuses))
            #expect(statuses.count >= 5, "\(statuses)")
            let lateLines = try await SeededDatabase.lines(
                connection,
                """
                SELECT i.invoice_number FROM financbase.invoices i
                WHERE i.subtotal <> (SELECT sum(amount) FROM financbase.invoice_lines l WHERE l.invoice_id = i.id)
                   OR i.issue_date > \(SeededDatabase.today)
                   OR EXISTS (SELECT 1 FROM financbase.payments p WHERE p.invoice_id = i.id
                              AND (p.processed_at::date < i.issue_date OR p.processed_at::date > \(SeededDatabase.today)))
                """)
            #expect(lateLines == [])
        }
    }

    @Test("past-due invoices fill every aging bucket")
    func agingBuckets() async throws {
        let seeded = try await SeededDatabase.shared
        var buckets = Set<AgingBucket>()
        try await seeded.database.withStore { store in
            for organization in seeded.organizations {
                let aging = try await store.withTenant(organization.admin) { repos in
                    try await repos.invoices.byStatusWithAging(asOf: SeededDatabase.today)
                }
                buckets.formUnion(aging.filter { !$0.outstanding.isZero }.map(\.bucket))
            }
        }
        #expect(buckets == Set(AgingBucket.allCases))
    }

    @Test("the same seed gives the same amounts, names, dates and statuses; another seed does not")
    func deterministic() async throws {
        let first = try await SeededDatabase.shared
        let again = try await SeededDatabase.seed()
        let other = try await SeededDatabase.seed(
            options: .init(seed: 8, scale: 1, today: SeededDatabase.today))
        func fingerprint(_ seeded: SeededDatabase.Seeded, _ index: Int) async throws -> [String] {
            let id = seeded.organizations[index].admin.organizationID
            return try await seeded.database.withAdminConnection { connection in
                try await SeededDatabase.lines(
                    connection,
                    """
                    SELECT 'invoice', invoice_number, status, total::text, amount_paid::text, due_date::text
                    FROM financbase.invoices WHERE organization_id = \(id)
                    UNION ALL
                    SELECT 'expense', category, vendor, amount::text, status, expense_date::text
                    FROM financbase.expenses WHERE organization_id = \(id)
                    UNION ALL
                    SELECT 'transaction', type, category, amount::text, transaction_date::text, ''
                    FROM financbase.transactions WHERE organization_id = \(id) AND type <> 'payment'
                    UNION ALL
                    SELECT 'user', email, role, '', '', '' FROM financbase.users WHERE organization_id = \(id)
                    UNION ALL
                    SELECT 'account', name, current_balance::text, '', '', '' FROM financbase.accounts WHERE organization_id = \(id)
                    UNION ALL
                    SELECT 'lease', status, monthly_rent::text, starts_on::text, ends_on::text, payment_day::text
                    FROM financbase.leases WHERE organization_id = \(id)
                    UNION ALL
                    SELECT 'workflow run', status, coalesce(started_at::text, ''), coalesce(finished_at::text, ''),
                           coalesce(error, ''), attempt_count::text
                    FROM financbase.workflow_runs WHERE organization_id = \(id)
                    ORDER BY 1, 2, 3, 4, 5, 6
                    """)
            }
        }
        for index in 0..<2 {
            let expected = try await fingerprint(first, index)
            #expect(expected.count > 150)
            #expect(try await fingerprint(again, index) == expected)
            #expect(try await fingerprint(other, index) != expected)
        }
        #expect(again.organizations.map(\.rows) == first.organizations.map(\.rows))
    }

    @Test(
        "a tenant's dashboard equals the same figures computed as the administrator for that tenant only"
    )
    func dashboardMatchesAdminSQL() async throws {
        let seeded = try await SeededDatabase.shared
        let tenant = seeded.organizations[0]
        let id = tenant.admin.organizationID
        let yearAgo = PGDate(daysSince2000: SeededDatabase.today.daysSince2000 - 365)
        let tomorrow = PGDate(daysSince2000: SeededDatabase.today.daysSince2000 + 1)
        let (from, to) = (try #require(yearAgo.date), try #require(tomorrow.date))
        let (totals, expenses, recent) = try await seeded.database.withStore { store in
            try await store.withTenant(tenant.admin) { repos in
                (
                    try await repos.transactions.totals(from: from, to: to),
                    try await repos.expenses.byCategoryPerMonth(from: yearAgo, to: tomorrow),
                    try await repos.transactions.recent(limit: 5)
                )
            }
        }
        try await seeded.database.withAdminConnection { connection in
            let expectedTotals = try await SeededDatabase.lines(
                connection,
                """
                SELECT type, category, currency, count(*)::text, sum(amount)::text FROM financbase.transactions
                WHERE organization_id = \(id) AND status = 'completed'
                  AND transaction_date >= \(from) AND transaction_date < \(to)
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """)
            #expect(
                totals.map {
                    "\($0.type.rawValue) \($0.category ?? "NULL") \($0.currency) \($0.count) \($0.total)"
                } == expectedTotals)
            #expect(totals.allSatisfy { $0.currency == "USD" })
            let expectedExpenses = try await SeededDatabase.lines(
                connection,
                """
                SELECT date_trunc('month', expense_date)::date::text, category, count(*)::text, sum(amount)::text
                FROM financbase.expenses
                WHERE organization_id = \(id) AND status <> 'rejected' AND expense_date >= \(yearAgo) AND expense_date < \(tomorrow)
                GROUP BY 1, 2 ORDER BY 1, 2
                """)
            #expect(
                expenses.map { "\($0.month) \($0.category) \($0.count) \($0.total)" }
                    == expectedExpenses)
            let newest = try await SeededDatabase.lines(
                connection,
                """
                SELECT id::text FROM financbase.transactions WHERE organization_id = \(id)
                ORDER BY transaction_date DESC, id DESC LIMIT 5
                """)
            #expect(recent.map { $0.id.uuidString.lowercased() } == newest)
        }
    }

    @Test("a scale outside 1...1000 is refused before anything is written")
    func invalidScale() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        _ = try await database.withStore { store in
            await #expect(throws: SeedError.invalidOptions(reason: "scale 0 is outside 1...1000")) {
                try await Seeder(store: store, options: .init(scale: 0)).seed()
            }
        }
        let organizations = try await database.withAdminConnection { connection in
            try await SeededDatabase.lines(
                connection, "SELECT count(*)::text FROM financbase.organizations")
        }
        #expect(organizations == ["0"])
    }

    @Test("SplitMix64 gives the reference sequence for seed 0 and stays in range")
    func splitMix() {
        var random = SplitMix64(seed: 0)
        // The first outputs of the reference implementation (Vigna's splitmix64.c) for seed 0.
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        for _ in 0..<1_000 {
            #expect((3...9).contains(random.int(in: 3...9)))
        }
    }
}
