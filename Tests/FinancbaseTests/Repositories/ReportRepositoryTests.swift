import Financbase
import Foundation
import PGClient
import PGWire
import Testing

/// The reports against totals computed by hand, saved reports and their runs, and analytics.
@Suite("Repositories: analytics and reports")
struct ReportRepositoryTests {
    static func utc(_ year: Int, _ month: Int, _ day: Int, hour: Int = 12) throws -> Date {
        let day = try date(year, month, day)
        guard let midnight = day.date else { throw FixtureError.badDate }
        return midnight.addingTimeInterval(TimeInterval(hour * 3_600))
    }

    /// A small ledger: January and February 2025 in USD, one EUR income, and rows the reports
    /// must leave out (a transfer, a pending income, one in December 2024 and one in March).
    static func ledger(_ repos: TenantRepositories) async throws {
        let entries: [(TransactionType, String, String, String, Date, TransactionStatus)] = [
            (.income, "100.00", "USD", "sales", try utc(2025, 1, 5), .completed),
            (.payment, "250.50", "USD", "invoices", try utc(2025, 1, 20), .completed),
            (.expense, "80.25", "USD", "rent", try utc(2025, 1, 31, hour: 23), .completed),
            (.expense, "19.75", "USD", "software", try utc(2025, 2, 1, hour: 0), .completed),
            (.refund, "5.00", "USD", "sales", try utc(2025, 2, 10), .completed),
            (.expense, "30.00", "USD", "rent", try utc(2025, 2, 15), .completed),
            (.income, "70.00", "EUR", "sales", try utc(2025, 2, 3), .completed),
            (.transfer, "500.00", "USD", "tax_reserve", try utc(2025, 1, 10), .completed),
            (.income, "999.00", "USD", "sales", try utc(2025, 1, 12), .pending),
            (.income, "1.00", "USD", "sales", try utc(2024, 12, 31, hour: 23), .completed),
            (.expense, "2.00", "USD", "rent", try utc(2025, 3, 1, hour: 0), .completed),
        ]
        for (index, (type, amount, currency, category, day, status)) in entries.enumerated() {
            _ = try await repos.transactions.create(
                transactionNumber: "R-\(index)", type: type, amount: try numeric(amount), currency: currency,
                category: category, status: status, transactionDate: day)
        }
    }

    @Test("cash flow per month and profit and loss per category match the hand-computed totals")
    func cashFlowAndProfitAndLoss() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                try await Self.ledger(repos)
                let flow = try await repos.reports.cashFlow(from: try date(2025, 1, 1), to: try date(2025, 3, 1))
                #expect(flow.map { "\($0.month) \($0.currency) \($0.inflow) \($0.outflow) \($0.net)" } == [
                    // January: 100.00 + 250.50 in, 80.25 out. February: 5.00 in, 19.75 + 30.00 out.
                    "2025-01-01 USD 350.50 80.25 270.25",
                    "2025-02-01 EUR 70.00 0 70.00",
                    "2025-02-01 USD 5.00 49.75 -44.75",
                ])
                let lines = try await repos.reports.profitAndLoss(from: try date(2025, 1, 1), to: try date(2025, 3, 1))
                #expect(lines.map { "\($0.section.rawValue) \($0.category) \($0.currency) \($0.total)" } == [
                    "revenue invoices USD 250.50",
                    "revenue sales EUR 70.00",
                    "revenue sales USD 100.00",
                    "expenses rent USD 110.25",
                    "expenses software USD 19.75",
                ])
            }
        }
    }

    @Test("receivables aging per client matches the hand-computed buckets")
    func receivablesAging() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                let other = try await repos.clients.create(name: "Beta Corp", email: "ap@beta.test")
                let asOf = try date(2025, 6, 30)
                // (client, due, total, paid, status): days past due on June 30 in the comment.
                let invoices: [(UUID, PGDate, String, String?, InvoiceStatus)] = [
                    (tenant.clientID, try date(2025, 7, 15), "100.00", nil, .sent),  // not yet due
                    (tenant.clientID, try date(2025, 6, 10), "200.00", "50.00", .sent),  // 20, 150 owed
                    (tenant.clientID, try date(2025, 5, 1), "300.00", nil, .overdue),  // 60
                    (tenant.clientID, try date(2025, 1, 1), "400.00", nil, .overdue),  // 180
                    (tenant.clientID, try date(2025, 1, 1), "999.00", nil, .draft),  // owes nothing
                    (other.id, try date(2025, 4, 1), "50.00", nil, .sent),  // 90
                    (other.id, try date(2025, 3, 31), "25.00", "25.00", .sent),  // paid in full
                ]
                for (index, (client, due, total, paid, status)) in invoices.enumerated() {
                    let invoice = try await repos.invoices.create(
                        clientID: client, invoiceNumber: "A-\(index)", issueDate: try date(2024, 12, 1), dueDate: due,
                        lines: [NewInvoiceLine(description: "Work", unitPrice: try numeric(total), amount: try numeric(total))],
                        status: status)
                    if let paid {
                        _ = try await repos.payments.record(
                            invoiceID: invoice.id, amount: try numeric(paid), method: .bankTransfer, idempotencyKey: "pay-\(index)")
                    }
                }
                let aging = try await repos.reports.receivablesAging(asOf: asOf)
                #expect(aging.map { "\($0.clientName) \($0.current) \($0.days1To30) \($0.days31To60) \($0.days61To90) \($0.over90) \($0.total)" } == [
                    "Beta Corp 0 0 0 50.00 0 50.00",
                    "Client of Acme 100.00 150.00 300.00 0 400.00 950.00",
                ])
            }
        }
    }

    @Test("a saved report runs and keeps its rows; bad parameters give a failed run and the unit goes on")
    func savedReportsRun() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let viewer = try await store.withTenant(tenant.context) { repos in
                try await Self.ledger(repos)
                return try await repos.users.create(clerkID: "clerk_\(UUID())", email: "viewer@acme.test", role: .viewer).id
            }
            try await store.withTenant(tenant.context) { repos in
                let flow = try await repos.reports.define(
                    name: "Q1 cash flow", kind: .cashFlow, parameters: PGJSON(#"{"from": "2025-01-01", "to": "2025-04-01"}"#),
                    schedule: .monthly)
                let run = try await repos.reports.run(flow.id)
                #expect(run.status == .succeeded && run.rowCount == 4 && run.error == nil)
                #expect(run.finishedAt.map { $0 >= run.startedAt } == true)
                let rows = try JSONSerialization.jsonObject(with: Data((run.result?.text ?? "").utf8)) as? [[String: Any]]
                #expect(rows?.first?["net"] as? Double == 270.25)

                let broken = try await repos.reports.define(
                    name: "Aging without a day", kind: .receivablesAging, parameters: PGJSON(#"{"asof": "2025-06-30"}"#))
                let failed = try await repos.reports.run(broken.id)
                #expect(failed.status == .failed && failed.result == nil)
                #expect(failed.error?.contains("as_of") == true)
                var later = broken
                later.parameters = PGJSON(#"{"as_of": "2025-02-30"}"#)
                _ = try await repos.reports.update(later)
                #expect(try await repos.reports.run(broken.id).error?.contains("not a YYYY-MM-DD date") == true)
                // The unit is still usable, and every run is on record, newest first.
                #expect(try await repos.reports.runs(of: broken.id).map(\.status) == [.failed, .failed])
                #expect(try await repos.reports.list().rows.count == 2)
                await #expect(throws: RepositoryError.notFound(entity: "report_definitions", id: tenant.clientID)) {
                    try await repos.reports.run(tenant.clientID)
                }
            }
            let refused = await #expect(throws: PGError.self) {
                try await store.withTenant(TenantContext(userID: viewer, organizationID: tenant.context.organizationID)) { repos in
                    _ = try await repos.reports.define(name: "Mine", kind: .cashFlow)
                }
            }
            #expect(refused?.sqlState == .insufficientPrivilege)
        }
    }

    @Test("events counted per day and name; snapshots replace the day's value")
    func analytics() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                let me = tenant.context.userID
                for (name, user, at) in [
                    ("invoice.viewed", me, try Self.utc(2025, 5, 1)), ("invoice.viewed", me, try Self.utc(2025, 5, 1, hour: 13)),
                    ("invoice.viewed", nil, try Self.utc(2025, 5, 1)), ("dashboard.opened", me, try Self.utc(2025, 5, 2)),
                    ("dashboard.opened", me, try Self.utc(2025, 6, 2)),
                ] as [(String, UUID?, Date)] {
                    _ = try await repos.analytics.track(name, userID: user, occurredAt: at)
                }
                let counts = try await repos.analytics.eventsPerDay(from: try Self.utc(2025, 5, 1, hour: 0), to: try Self.utc(2025, 6, 1, hour: 0))
                #expect(counts.map { "\($0.day) \($0.name) \($0.count) \($0.users)" } == [
                    "2025-05-01 invoice.viewed 3 1", "2025-05-02 dashboard.opened 1 1",
                ])
                _ = try await repos.analytics.recordSnapshot("revenue.daily", on: try date(2025, 5, 1), value: try numeric("10.00"), currency: "USD")
                _ = try await repos.analytics.recordSnapshot("revenue.daily", on: try date(2025, 5, 1), value: try numeric("12.50"), currency: "USD")
                _ = try await repos.analytics.recordSnapshot("revenue.daily", on: try date(2025, 5, 2), value: try numeric("7.00"), currency: "USD")
                let snapshots = try await repos.analytics.snapshots(of: "revenue.daily", from: try date(2025, 5, 1), to: try date(2025, 6, 1))
                #expect(snapshots.map { "\($0.day) \($0.value)" } == ["2025-05-01 12.5000", "2025-05-02 7.0000"])
                #expect(try await repos.analytics.list().rows.count == 5)
            }
            let malformed = await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in _ = try await repos.analytics.track("Invoice Viewed") }
            }
            #expect(malformed?.sqlState == .checkViolation)
        }
    }
}

extension ReportRepositoryTests {
    @Test("saved campaign-return and lead-funnel reports run their areas' queries and keep the same rows")
    func areaReportsRun() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                let campaign = try await repos.campaigns.create(
                    name: "Spring", channel: .google, budget: try numeric("1000.00"), startDate: try date(2025, 3, 1))
                let group = try await repos.adGroups.create(campaignID: campaign.id, name: "Brand")
                let ad = try await repos.ads.create(adGroupID: group.id, name: "Ad", headline: "Buy", url: "https://example.test")
                _ = try await repos.marketingMetrics.create(
                    adID: ad.id, day: try date(2025, 3, 2), impressions: 1_000, clicks: 50, conversions: 5,
                    spend: try numeric("40.00"), revenue: try numeric("100.00"))
                _ = try await repos.leads.create(name: "Ada", source: .website, capturedOn: try date(2025, 3, 3))
                let period = PGJSON(#"{"from": "2025-03-01", "to": "2025-04-01"}"#)
                for (kind, expected) in [
                    (ReportKind.campaignReturn, Int32(try await repos.marketingMetrics.campaignReturns(from: try date(2025, 3, 1), to: try date(2025, 4, 1)).count)),
                    (.leadFunnel, Int32(try await repos.leads.funnel(from: try date(2025, 3, 1), to: try date(2025, 4, 1)).count)),
                ] {
                    let report = try await repos.reports.define(name: kind.rawValue, kind: kind, parameters: period)
                    let run = try await repos.reports.run(report.id)
                    #expect(run.status == .succeeded && run.rowCount == expected && expected == 1, "\(kind)")
                }
                let empty = try await repos.reports.define(
                    name: "Backwards", kind: .leadFunnel, parameters: PGJSON(#"{"from": "2025-04-01", "to": "2025-03-01"}"#))
                #expect(try await repos.reports.run(empty.id).error?.contains("holds no day") == true)
            }
        }
    }
}
