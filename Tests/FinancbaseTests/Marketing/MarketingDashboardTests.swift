import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Marketing dashboard: spend and return, cost per conversion")
struct MarketingDashboardTests {
    /// The figures of the week of 2025-03-01 ..< 2025-03-08 (and some outside it), recorded by
    /// the admin for four campaigns:
    ///
    /// | campaign | group | day | impressions | clicks | conversions | spend | revenue |
    /// | Alpha (google) | Brand terms | 03-01 | 1000 | 50 | 5 | 25.00 | 250.00 |
    /// | Alpha | Brand terms | 03-02 | 2000 | 80 | 0 | 40.00 | 0.00 |
    /// | Alpha | Brand terms (2nd ad) | 03-07 | 500 | 10 | 1 | 7.50 | 60.00 |
    /// | Alpha | Brand terms (2nd ad) | 03-08 | 900 | 90 | 9 | 99.99 | 999.99 | ← after the period
    /// | Alpha | Competitors | 03-03 | 1500 | 30 | 2 | 12.34 | 100.00 |
    /// | Beta (meta) | Lookalikes | 03-05 | 400 | 4 | 0 | 3.33 | 0.00 |
    /// | Beta | Lookalikes | 03-06 | 100 | 2 | 1 | 2.00 EUR | 20.00 EUR |
    /// | Beta | Lookalikes | 02-28 | 100 | 1 | 1 | 1.00 | 50.00 | ← before the period
    /// | Delta (other) | Tests | 03-04 | 0 | 0 | 0 | 0.00 | 0.00 |
    /// | Gamma (email) | Subscribers | 04-01 | 300 | 9 | 3 | 0.90 | 90.00 | ← after the period
    static func record(in store: FinancbaseStore, _ context: TenantContext) async throws {
        try await store.withTenant(context) { repos in
            func ads(_ campaign: String, _ channel: CampaignChannel, _ groups: [(String, Int)]) async throws -> [Ad] {
                let made = try await repos.campaigns.create(
                    name: campaign, channel: channel, budget: try numeric("1000.00"), startDate: try date(2025, 2, 1),
                    status: .active)
                var ads: [Ad] = []
                for (group, count) in groups {
                    let adGroup = try await repos.adGroups.create(campaignID: made.id, name: group)
                    for number in 0..<count {
                        ads.append(
                            try await repos.ads.create(
                                adGroupID: adGroup.id, name: "\(group) \(number)", headline: "Try it",
                                url: "https://acme.example/\(number)"))
                    }
                }
                return ads
            }
            let alpha = try await ads("Alpha", .google, [("Brand terms", 2), ("Competitors", 1)])
            let beta = try await ads("Beta", .meta, [("Lookalikes", 1)])
            let delta = try await ads("Delta", .other, [("Tests", 1)])
            let gamma = try await ads("Gamma", .email, [("Subscribers", 1)])
            let rows: [(Ad, PGDate, Int64, Int64, Int64, String, String, String)] = [
                (alpha[0], try date(2025, 3, 1), 1_000, 50, 5, "25.00", "250.00", "USD"),
                (alpha[0], try date(2025, 3, 2), 2_000, 80, 0, "40.00", "0.00", "USD"),
                (alpha[1], try date(2025, 3, 7), 500, 10, 1, "7.50", "60.00", "USD"),
                (alpha[1], try date(2025, 3, 8), 900, 90, 9, "99.99", "999.99", "USD"),
                (alpha[2], try date(2025, 3, 3), 1_500, 30, 2, "12.34", "100.00", "USD"),
                (beta[0], try date(2025, 3, 5), 400, 4, 0, "3.33", "0.00", "USD"),
                (beta[0], try date(2025, 3, 6), 100, 2, 1, "2.00", "20.00", "EUR"),
                (beta[0], try date(2025, 2, 28), 100, 1, 1, "1.00", "50.00", "USD"),
                (delta[0], try date(2025, 3, 4), 0, 0, 0, "0.00", "0.00", "USD"),
                (gamma[0], try date(2025, 4, 1), 300, 9, 3, "0.90", "90.00", "USD"),
            ]
            for row in rows {
                _ = try await repos.marketingMetrics.create(
                    adID: row.0.id, day: row.1, impressions: row.2, clicks: row.3, conversions: row.4,
                    spend: try numeric(row.5), revenue: try numeric(row.6), currency: row.7)
            }
        }
    }

    @Test("spend and return per campaign over a week: sums, return on spend and CTR by hand; no spend, no ratio")
    func campaignReturns() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let other = try await TenantFixture.make(in: store, name: "Globex")
            try await Self.record(in: store, tenant.context)
            try await Self.record(in: store, other.context)
            let returns = try await store.withTenant(tenant.context) { repos in
                try await repos.marketingMetrics.campaignReturns(from: try date(2025, 3, 1), to: try date(2025, 3, 8))
            }
            let summary = returns.map {
                [
                    $0.campaignName, $0.channel.rawValue, $0.currency, $0.spend.description, $0.revenue.description,
                    $0.returnOnSpend?.description ?? "NULL", String($0.impressions), String($0.clicks),
                    String($0.conversions), $0.clickThroughRate?.description ?? "NULL",
                ].joined(separator: " ")
            }
            // Alpha: 25.00 + 40.00 + 7.50 + 12.34 spent, 250 + 60 + 100 back (410 / 84.84 = 4.8326),
            // 170 clicks of 5000 impressions. The biggest spender first; Delta spent nothing.
            #expect(
                summary == [
                    "Alpha google USD 84.84 410.00 4.8326 5000 170 8 0.0340",
                    "Beta meta USD 3.33 0.00 0.0000 400 4 0 0.0100",
                    "Beta meta EUR 2.00 20.00 10.0000 100 2 1 0.0200",
                    "Delta other USD 0.00 0.00 NULL 0 0 0 NULL",
                ])
            await #expect(throws: RepositoryError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.marketingMetrics.campaignReturns(from: try date(2025, 3, 8), to: try date(2025, 3, 8))
                }
            }
        }
    }

    @Test("cost per conversion per campaign and per ad group: spend / conversions by hand, NULL without conversions")
    func costPerConversion() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await Self.record(in: store, tenant.context)
            let (campaigns, groups) = try await store.withTenant(tenant.context) { repos in
                let (from, to) = (try date(2025, 3, 1), try date(2025, 3, 8))
                return (
                    try await repos.marketingMetrics.costPerConversion(by: .campaign, from: from, to: to),
                    try await repos.marketingMetrics.costPerConversion(by: .adGroup, from: from, to: to)
                )
            }
            func lines(_ rows: [CostPerConversion]) -> [String] {
                rows.map {
                    [
                        $0.campaignName, $0.adGroupName ?? "-", $0.currency, $0.spend.description, String($0.conversions),
                        $0.costPerConversion?.description ?? "NULL",
                    ].joined(separator: " ")
                }
            }
            // 84.84 / 8 = 10.605 → 10.61; Beta's USD spend converted nothing: NULL, not an error.
            #expect(
                lines(campaigns) == [
                    "Alpha - USD 84.84 8 10.61",
                    "Beta - EUR 2.00 1 2.00",
                    "Beta - USD 3.33 0 NULL",
                    "Delta - USD 0.00 0 NULL",
                ])
            #expect(campaigns.allSatisfy { $0.adGroupID == nil })
            // Brand terms: 25.00 + 40.00 + 7.50 = 72.50 for 6 → 12.08; Competitors: 12.34 / 2 = 6.17.
            #expect(
                lines(groups) == [
                    "Alpha Brand terms USD 72.50 6 12.08",
                    "Alpha Competitors USD 12.34 2 6.17",
                    "Beta Lookalikes EUR 2.00 1 2.00",
                    "Beta Lookalikes USD 3.33 0 NULL",
                    "Delta Tests USD 0.00 0 NULL",
                ])
            #expect(groups.allSatisfy { $0.adGroupID != nil })
        }
    }
}
