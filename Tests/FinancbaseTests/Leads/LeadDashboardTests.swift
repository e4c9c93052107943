import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Leads dashboard: funnel, conversion by source, overdue follow-ups")
struct LeadDashboardTests {
    /// Nine leads, seven captured in the first quarter of 2025:
    ///
    /// | lead | source | stage | captured | value |
    /// | L1 | website | new | 01-05 | 1000.00 |
    /// | L2 | website | won | 01-10 | 2500.50 |
    /// | L3 | website | lost | 02-01 | 300.00 |
    /// | L4 | referral | won | 02-15 | 4000.00 |
    /// | L5 | referral | proposal | 03-31 | 1200.00 EUR |
    /// | L6 | event | contacted | 03-01 | 0.00 |
    /// | L7 | campaign | qualified | 03-10 | 750.25 |
    /// | L8 | website | won | 04-01 | 9999.00 | ← after the quarter
    /// | L9 | referral | lost | 2024-12-31 | 50.00 | ← before it
    static func record(in store: FinancbaseStore, _ tenant: TenantFixture) async throws -> [Lead] {
        try await store.withTenant(tenant.context) { repos in
            let campaign = try await repos.campaigns.create(
                name: "Webinar", channel: .linkedin, budget: 500, startDate: try date(2025, 1, 1))
            let plans: [(String, LeadSource, LeadStage, PGDate, String, String)] = [
                ("L1", .website, .new, try date(2025, 1, 5), "1000.00", "USD"),
                ("L2", .website, .won, try date(2025, 1, 10), "2500.50", "USD"),
                ("L3", .website, .lost, try date(2025, 2, 1), "300.00", "USD"),
                ("L4", .referral, .won, try date(2025, 2, 15), "4000.00", "USD"),
                ("L5", .referral, .proposal, try date(2025, 3, 31), "1200.00", "EUR"),
                ("L6", .event, .contacted, try date(2025, 3, 1), "0.00", "USD"),
                ("L7", .campaign, .qualified, try date(2025, 3, 10), "750.25", "USD"),
                ("L8", .website, .won, try date(2025, 4, 1), "9999.00", "USD"),
                ("L9", .referral, .lost, try date(2024, 12, 31), "50.00", "USD"),
            ]
            var leads: [Lead] = []
            for plan in plans {
                leads.append(
                    try await repos.leads.create(
                        name: plan.0, source: plan.1, campaignID: plan.1 == .campaign ? campaign.id : nil, stage: plan.2,
                        capturedOn: plan.3, estimatedValue: try numeric(plan.4), currency: plan.5,
                        convertedClientID: plan.2 == .won ? tenant.clientID : nil))
            }
            return leads
        }
    }

    @Test("the funnel counts and sums the quarter's leads per stage, in the pipeline's order")
    func funnel() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let other = try await TenantFixture.make(in: store, name: "Globex")
            _ = try await Self.record(in: store, tenant)
            _ = try await Self.record(in: store, other)
            let funnel = try await store.withTenant(tenant.context) { repos in
                try await repos.leads.funnel(from: try date(2025, 1, 1), to: try date(2025, 4, 1))
            }
            #expect(
                funnel.map { "\($0.stage.rawValue) \($0.currency) \($0.count) \($0.value)" } == [
                    "new USD 1 1000.00",
                    "contacted USD 1 0.00",
                    "qualified USD 1 750.25",
                    "proposal EUR 1 1200.00",
                    "won USD 2 6500.50",
                    "lost USD 1 300.00",
                ])
            await #expect(throws: RepositoryError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.leads.funnel(from: try date(2025, 4, 1), to: try date(2025, 1, 1))
                }
            }
        }
    }

    @Test("conversion by source: leads, won, lost and the share won, best first")
    func conversionBySource() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            _ = try await Self.record(in: store, tenant)
            let sources = try await store.withTenant(tenant.context) { repos in
                try await repos.leads.conversionBySource(from: try date(2025, 1, 1), to: try date(2025, 4, 1))
            }
            // Referral 1 of 2 (L9 is before the quarter); website 1 of 3 (L8 after it).
            #expect(
                sources.map { "\($0.source.rawValue) \($0.leads) \($0.won) \($0.lost) \($0.rate)" } == [
                    "referral 2 1 0 0.5000",
                    "website 3 1 1 0.3333",
                    "campaign 1 0 0 0.0000",
                    "event 1 0 0 0.0000",
                ])
        }
    }

    @Test("overdue follow-ups: not done, due before the day, longest overdue first, with lead and assignee")
    func overdue() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let leads = try await Self.record(in: store, tenant)
            let asOf = try date(2025, 3, 15)
            let (colleague, expected) = try await store.withTenant(tenant.context) { repos in
                let colleague = try await repos.users.create(
                    clerkID: "clerk_\(UUID())", email: "grace@acme.test", firstName: "Grace", lastName: "Hopper")
                let callBack = try await repos.leadTasks.create(leadID: leads[0].id, title: "Call back", dueDate: try date(2025, 3, 1))
                let contract = try await repos.leadTasks.create(leadID: leads[3].id, title: "Send contract", dueDate: try date(2025, 3, 10))
                _ = try await repos.leadTasks.complete(contract.id, at: Date(timeIntervalSince1970: 1_741_600_000))
                // The admin assigns a follow-up to a colleague.
                let demo = try await repos.leadTasks.create(
                    leadID: leads[5].id, title: "Book a demo", dueDate: try date(2025, 3, 14), assigneeID: colleague.id)
                _ = try await repos.leadTasks.create(leadID: leads[6].id, title: "Send proposal", dueDate: asOf)  // due today
                let referral = try await repos.leadTasks.create(leadID: leads[2].id, title: "Ask for a referral", dueDate: try date(2025, 2, 1))
                return (colleague, [referral.id, callBack.id, demo.id])
            }
            let (all, first) = try await store.withTenant(tenant.context) { repos in
                (try await repos.leadTasks.overdue(asOf: asOf), try await repos.leadTasks.overdue(asOf: asOf, limit: 1))
            }
            #expect(all.map(\.id) == expected)
            #expect(
                all.map { "\($0.title) \($0.dueDate) \($0.daysOverdue) \($0.leadName) \($0.leadStage.rawValue) \($0.assigneeName ?? "-") \($0.assigneeEmail)" } == [
                    "Ask for a referral 2025-02-01 42 L3 lost Ada Lovelace owner@acme.test",
                    "Call back 2025-03-01 14 L1 new Ada Lovelace owner@acme.test",
                    "Book a demo 2025-03-14 1 L6 contacted Grace Hopper grace@acme.test",
                ])
            #expect(all.last?.assigneeID == colleague.id)
            #expect(first.map(\.id) == [expected[0]])
        }
    }
}
