import Financbase
import Foundation
import PGWire

/// The marketing part of a tenant's dashboard, read in one unit of work: spend and return per
/// campaign over the last 30 days, and what a conversion cost per campaign and per ad group.
struct MarketingDashboard {
    let returns: [CampaignReturn]
    let campaignCosts: [CostPerConversion]
    let adGroupCosts: [CostPerConversion]
    let from: PGDate
    let to: PGDate

    /// Reads `context`'s marketing figures of the 30 days before `today`.
    static func load(_ context: TenantContext, store: FinancbaseStore, today: PGDate) async throws
        -> MarketingDashboard
    {
        let (from, to) = (PGDate(daysSince2000: today.daysSince2000 - 30), today)
        return try await store.withTenant(context) { repos in
            MarketingDashboard(
                returns: try await repos.marketingMetrics.campaignReturns(from: from, to: to),
                campaignCosts: try await repos.marketingMetrics.costPerConversion(by: .campaign, from: from, to: to),
                adGroupCosts: try await repos.marketingMetrics.costPerConversion(by: .adGroup, from: from, to: to),
                from: from, to: to)
        }
    }

    func print() {
        printReturns()
        printCosts()
    }

    private var period: String { "\(from) to \(PGDate(daysSince2000: to.daysSince2000 - 1))" }

    private func printReturns() {
        Output.section("Campaigns, \(period): spend and return (biggest spender first)")
        var table = TextTable([
            ("campaign", .left), ("channel", .left), ("impressions", .right), ("clicks", .right),
            ("CTR", .right), ("conversions", .right), ("spend", .right), ("revenue", .right),
            ("return", .right),
        ])
        for row in returns {
            table.add([
                row.campaignName.truncated(to: 24), row.channel.rawValue, String(row.impressions),
                String(row.clicks), RatioText.percent(row.clickThroughRate), String(row.conversions),
                MoneyText.format(row.spend, currency: row.currency),
                MoneyText.format(row.revenue, currency: row.currency), RatioText.multiple(row.returnOnSpend),
            ])
        }
        Output.line(table.render())
    }

    private func printCosts() {
        Output.section("Cost per conversion, \(period): per campaign, then per ad group (— : no conversion)")
        var table = TextTable([
            ("campaign", .left), ("ad group", .left), ("conversions", .right), ("spend", .right),
            ("per conversion", .right),
        ])
        for row in campaignCosts {
            table.add(Self.cells(row, group: "(all)"))
            for group in adGroupCosts where group.campaignID == row.campaignID && group.currency == row.currency {
                table.add(Self.cells(group, group: group.adGroupName ?? ""))
            }
        }
        Output.line(table.render())
    }

    private static func cells(_ row: CostPerConversion, group: String) -> [String] {
        [
            row.campaignName.truncated(to: 24), group.truncated(to: 20), String(row.conversions),
            MoneyText.format(row.spend, currency: row.currency),
            row.costPerConversion.map { MoneyText.format($0, currency: row.currency) } ?? "—",
        ]
    }
}
