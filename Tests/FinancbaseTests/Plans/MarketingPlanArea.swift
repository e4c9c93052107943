import Foundation
import PGClient
import PGWire

@testable import Financbase

/// The marketing area of the plan tests' database: daily metrics (the largest table, a row per
/// ad and day, the days growing with the row number) for `ads` ads per organization, three ads
/// per ad group, two groups per campaign; and its dashboard queries.
enum MarketingPlanArea {
    static let metrics = DashboardDataset.largestTableRows
    /// Enough ads that every organization's metrics fit in the two years, one row per ad and day.
    static let adsPerOrganization = (metrics / DashboardDataset.organizations + 729) / 730
    static let adGroupsPerOrganization = (adsPerOrganization + 2) / 3
    static let campaignsPerOrganization = (adGroupsPerOrganization + 1) / 2

    static let area = PlanArea(
        name: "marketing", bigTables: ["marketing_metrics"], sql: sql,
        orphans: """
            SELECT (SELECT count(*) FROM financbase.marketing_metrics m WHERE NOT EXISTS
                       (SELECT FROM financbase.ads a WHERE a.organization_id = m.organization_id AND a.id = m.ad_id))
                 + (SELECT count(*) FROM financbase.ads a WHERE NOT EXISTS
                       (SELECT FROM financbase.ad_groups g WHERE g.organization_id = a.organization_id AND g.id = a.ad_group_id))
                 + (SELECT count(*) FROM financbase.ad_groups g WHERE NOT EXISTS
                       (SELECT FROM financbase.campaigns c WHERE c.organization_id = g.organization_id AND c.id = g.campaign_id))
            """,
        queries: queries)

    /// The marketing dashboard's queries over the dataset's last month and last twelve months.
    static func queries() throws -> [DashboardPlanTests.DashboardQuery] {
        let (year, december, end) = (try date(2025, 1, 1), try date(2025, 12, 1), try date(2026, 1, 1))
        return [
            DashboardPlanTests.DashboardQuery(
                name: "marketingMetrics.campaignReturns(last month)", table: "marketing_metrics",
                query: MarketingMetricRepository.campaignReturnsQuery(from: december, to: end),
                run: { Int64(try await $0.marketingMetrics.campaignReturns(from: december, to: end).count) }),
            DashboardPlanTests.DashboardQuery(
                name: "marketingMetrics.campaignReturns(12 months)", table: "marketing_metrics",
                query: MarketingMetricRepository.campaignReturnsQuery(from: year, to: end),
                run: { Int64(try await $0.marketingMetrics.campaignReturns(from: year, to: end).count) }),
            DashboardPlanTests.DashboardQuery(
                name: "marketingMetrics.costPerConversion(by campaign, 12 months)", table: "marketing_metrics",
                query: MarketingMetricRepository.costPerConversionQuery(by: .campaign, from: year, to: end),
                run: { Int64(try await $0.marketingMetrics.costPerConversion(by: .campaign, from: year, to: end).count) }),
            DashboardPlanTests.DashboardQuery(
                name: "marketingMetrics.costPerConversion(by ad group, 12 months)", table: "marketing_metrics",
                query: MarketingMetricRepository.costPerConversionQuery(by: .adGroup, from: year, to: end),
                run: { Int64(try await $0.marketingMetrics.costPerConversion(by: .adGroup, from: year, to: end).count) }),
        ]
    }

    // Campaign c, ad group k and ad a of organization i are md5('campaign-i-c'), md5('adgroup-i-k')
    // and md5('ad-i-a'); metrics row g is organization g % 20's n-th (n = g / 20): ad n % ads on
    // day n / ads, so (ad, day) is unique and the days grow with g. Figures vary with n, with
    // days of no conversion among them.
    private static let sql = """
        INSERT INTO financbase.campaigns (id, organization_id, user_id, name, channel, budget, start_date, status)
        SELECT md5('campaign-' || i || '-' || c)::uuid, md5('org-' || i)::uuid, md5('user-' || i || '-' || c % 5)::uuid,
               'Campaign ' || c, (ARRAY['google', 'meta', 'linkedin', 'email', 'other'])[c % 5 + 1], 10000 + c * 500,
               date '2024-01-01', 'active'
        FROM generate_series(0, \(DashboardDataset.organizations - 1)) AS i, generate_series(0, \(campaignsPerOrganization - 1)) AS c;
        INSERT INTO financbase.ad_groups (id, organization_id, campaign_id, name, bid)
        SELECT md5('adgroup-' || i || '-' || k)::uuid, md5('org-' || i)::uuid, md5('campaign-' || i || '-' || k / 2)::uuid,
               'Ad group ' || k, 0.50 + k % 4 * 0.25
        FROM generate_series(0, \(DashboardDataset.organizations - 1)) AS i, generate_series(0, \(adGroupsPerOrganization - 1)) AS k;
        INSERT INTO financbase.ads (id, organization_id, ad_group_id, name, headline, url, status)
        SELECT md5('ad-' || i || '-' || a)::uuid, md5('org-' || i)::uuid, md5('adgroup-' || i || '-' || a / 3)::uuid,
               'Ad ' || a, 'Headline ' || a, 'https://example.test/ads/' || a, 'active'
        FROM generate_series(0, \(DashboardDataset.organizations - 1)) AS i, generate_series(0, \(adsPerOrganization - 1)) AS a;
        INSERT INTO financbase.marketing_metrics
            (id, organization_id, ad_id, day, impressions, clicks, conversions, spend, revenue)
        SELECT ('00000000-0000-4000-8010-' || lpad(to_hex(g), 12, '0'))::uuid, md5('org-' || g % 20)::uuid,
               md5('ad-' || g % 20 || '-' || n % \(adsPerOrganization))::uuid, date '2024-01-01' + n / \(adsPerOrganization),
               impressions, clicks, clicks * (n % 5) / 20, clicks * (0.40 + n % 9 * 0.15), clicks * (n % 5) / 20 * 45.00
        FROM generate_series(0, \(metrics - 1)) AS g,
             LATERAL (SELECT g / 20 AS n) AS per_organization,
             LATERAL (SELECT 200 + n % 1800 AS impressions) AS shown,
             LATERAL (SELECT impressions * (n % 6 + 1) / 100 AS clicks) AS clicked;
        """
}
