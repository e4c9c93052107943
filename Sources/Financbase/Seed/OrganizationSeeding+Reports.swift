import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// Product events of the last 30 days for every person, daily revenue snapshots for the
    /// last 30 days, and three saved reports (cash flow, profit and loss, receivables aging),
    /// each run once.
    mutating func seedAnalyticsAndReports() async throws {
        let names = ["dashboard.opened", "invoice.viewed", "report.opened", "expense.viewed"]
        var events: [(user: UUID, name: String, at: Date)] = []
        for userID in userIDs {
            for _ in 0..<(3 + random.int(in: 0...(2 * scale))) {
                let at = Self.instant(day(-random.int(in: 0...29)), hour: random.int(in: 8...18), minute: random.int(in: 0...59))
                events.append((userID, random.element(of: names), at))
            }
        }
        let snapshots = (1...30).map { offset in (day(-offset), Int64(random.int(in: 200...4_000)) * 100) }
        let yearAgo = day(-365)
        let (today, currency) = (self.today, self.currency)
        let reports = try await store.withTenant(admin) { repos in
            for event in events {
                _ = try await repos.analytics.track(event.name, userID: event.user, occurredAt: event.at)
            }
            for (day, cents) in snapshots {
                _ = try await repos.analytics.recordSnapshot("revenue.daily", on: day, value: Self.money(cents), currency: currency)
            }
            let period = PGJSON(#"{"from": "\#(yearAgo)", "to": "\#(today)"}"#)
            let definitions = [
                try await repos.reports.define(name: "Cash flow, last 12 months", kind: .cashFlow, parameters: period, schedule: .monthly),
                try await repos.reports.define(name: "Profit and loss, last 12 months", kind: .profitAndLoss, parameters: period),
                try await repos.reports.define(
                    name: "Receivables aging", kind: .receivablesAging,
                    parameters: PGJSON(#"{"as_of": "\#(today)"}"#), schedule: .weekly),
            ]
            for definition in definitions { _ = try await repos.reports.run(definition.id) }
            return definitions.count
        }
        // A user saves a report of its own, so every writer of the table has one.
        var userReports = 0
        if let user = SeedPeople(ids: userIDs).users.first {
            userReports = 1
            try await store.withTenant(TenantContext(userID: user, organizationID: admin.organizationID)) { repos in
                let mine = try await repos.reports.define(
                    name: "My receivables", kind: .receivablesAging, parameters: PGJSON(#"{"as_of": "\#(today)"}"#))
                _ = try await repos.reports.run(mine.id)
            }
        }
        report("analytics_events", events.count)
        report("metric_snapshots", snapshots.count)
        report("report_definitions", reports + userReports)
        report("report_runs", reports + userReports)
    }
}
