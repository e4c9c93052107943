public import FoundationEssentials
public import PGWire
import PGClient

/// The daily figures of the current organization's ads, and what the campaigns spent and
/// returned over a period.
public struct MarketingMetricRepository: Sendable {
    let session: TenantSession

    /// Records the figures of the ad with `adID` for `day`.
    ///
    /// - Throws: `PGError` `23505` when that ad already has figures for that day, `23514` for
    ///   negative figures, more clicks than impressions or more conversions than clicks,
    ///   `23503` for an ad of another organization, `42501` for a role other than admin.
    public func create(
        adID: UUID, day: PGDate, impressions: Int64, clicks: Int64, conversions: Int64, spend: PGNumeric,
        revenue: PGNumeric, currency: String = "USD"
    ) async throws -> MarketingMetric {
        let context = session.context
        return try await session.record(
            MarketingMetric.self, "marketingMetrics.create", entity: "ads", id: adID,
            """
            INSERT INTO financbase.marketing_metrics
                (organization_id, ad_id, day, impressions, clicks, conversions, spend, revenue, currency)
            VALUES (\(context.organizationID), \(adID), \(day), \(impressions), \(clicks), \(conversions), \(spend),
                    \(revenue), \(currency))
            RETURNING \(columnsOf: MarketingMetric.self)
            """)
    }

    /// The figures with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func get(_ id: UUID) async throws -> MarketingMetric {
        try await session.fetch(MarketingMetric.self, "marketingMetrics.get", id: id)
    }

    /// Saves the figures of `metric` (a platform's correction of a day); its ad and day stay.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)`` (also for a role other than admin,
    ///   which cannot touch the row); `PGError` `23514` for figures a CHECK refuses.
    public func update(_ metric: MarketingMetric) async throws -> MarketingMetric {
        try await session.record(
            MarketingMetric.self, "marketingMetrics.update", entity: "marketing_metrics", id: metric.id,
            """
            UPDATE financbase.marketing_metrics
            SET impressions = \(metric.impressions), clicks = \(metric.clicks), conversions = \(metric.conversions),
                spend = \(metric.spend), revenue = \(metric.revenue), currency = \(metric.currency)
            WHERE id = \(metric.id) RETURNING \(columnsOf: MarketingMetric.self)
            """)
    }

    /// Deletes the figures with `id`.
    ///
    /// - Throws: ``RepositoryError/notFound(entity:id:)``.
    public func delete(_ id: UUID) async throws {
        try await session.delete("marketingMetrics.delete", table: "marketing_metrics", id: id)
    }

    /// A page of figures in the order they were recorded.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` for a limit outside 1...1000.
    public func list(after cursor: Cursor? = nil, limit: Int = 50) async throws -> Page<MarketingMetric> {
        try await session.page(MarketingMetric.self, "marketingMetrics.list", after: cursor, limit: limit)
    }

    /// Spend and return per campaign and currency over the days `from <= day < to`: spend,
    /// revenue, return on spend, impressions, clicks, conversions and click-through rate, the
    /// biggest spender first. Campaigns without figures in the period are left out.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when `to` is not after `from`.
    public func campaignReturns(from: PGDate, to: PGDate) async throws -> [CampaignReturn] {
        try RepositoryError.checkPeriod(from: from, to: to)
        return try await session.records(
            CampaignReturn.self, "marketingMetrics.campaignReturns", Self.campaignReturnsQuery(from: from, to: to))
    }

    /// The statement of ``campaignReturns(from:to:)``, as sent; the plan tests explain it.
    static func campaignReturnsQuery(from: PGDate, to: PGDate) -> PGQuery {
        """
        \(withAdTotalsFrom: from, to: to)
        SELECT c.id AS campaign_id, c.name AS campaign_name, c.channel, t.currency,
               sum(t.spend) AS spend, sum(t.revenue) AS revenue,
               round(sum(t.revenue) / NULLIF(sum(t.spend), 0), 4) AS return_on_spend,
               sum(t.impressions)::bigint AS impressions, sum(t.clicks)::bigint AS clicks,
               sum(t.conversions)::bigint AS conversions,
               round(sum(t.clicks) / NULLIF(sum(t.impressions), 0), 4) AS click_through_rate
        FROM ad_totals t
        JOIN financbase.ads a ON a.id = t.ad_id
        JOIN financbase.ad_groups g ON g.organization_id = a.organization_id AND g.id = a.ad_group_id
        JOIN financbase.campaigns c ON c.organization_id = g.organization_id AND c.id = g.campaign_id
        GROUP BY c.id, c.name, c.channel, t.currency
        ORDER BY spend DESC, c.name, c.id, t.currency
        """
    }

    /// What a conversion cost over the days `from <= day < to`, per campaign or per ad group
    /// (`level`) and currency, by campaign name then ad group name. Rows with figures but no
    /// conversion have a `nil` cost; campaigns and groups without figures are left out.
    ///
    /// - Throws: ``RepositoryError/invalidArgument(reason:)`` when `to` is not after `from`.
    public func costPerConversion(by level: MarketingLevel, from: PGDate, to: PGDate) async throws
        -> [CostPerConversion]
    {
        try RepositoryError.checkPeriod(from: from, to: to)
        return try await session.records(
            CostPerConversion.self, "marketingMetrics.costPerConversion",
            Self.costPerConversionQuery(by: level, from: from, to: to))
    }

    /// The statement of ``costPerConversion(by:from:to:)``, as sent; the plan tests explain it.
    static func costPerConversionQuery(by level: MarketingLevel, from: PGDate, to: PGDate) -> PGQuery {
        let (group, keys, order) =
            switch level {
            case .campaign: ("NULL::uuid AS ad_group_id, NULL::text AS ad_group_name", "", "")
            case .adGroup: ("g.id AS ad_group_id, g.name AS ad_group_name", ", g.id, g.name", ", g.name, g.id")
            }
        return """
            \(withAdTotalsFrom: from, to: to)
            SELECT c.id AS campaign_id, c.name AS campaign_name, \(unescaped: group), t.currency,
                   sum(t.spend) AS spend, sum(t.conversions)::bigint AS conversions,
                   round(sum(t.spend) / NULLIF(sum(t.conversions), 0), 2) AS cost_per_conversion
            FROM ad_totals t
            JOIN financbase.ads a ON a.id = t.ad_id
            JOIN financbase.ad_groups g ON g.organization_id = a.organization_id AND g.id = a.ad_group_id
            JOIN financbase.campaigns c ON c.organization_id = g.organization_id AND c.id = g.campaign_id
            GROUP BY c.id, c.name\(unescaped: keys), t.currency
            ORDER BY c.name, c.id\(unescaped: order), t.currency
            """
    }
}

extension PGQuery.StringInterpolation {
    /// `WITH ad_totals AS MATERIALIZED (…)`: the figures of each ad and currency over
    /// `from <= day < to`, summed in one pass over the tenant's index of days, before the few
    /// ads, groups and campaigns are joined. Materialized, so that a nested loop over the
    /// campaigns reads the sums instead of summing again per campaign.
    fileprivate mutating func appendInterpolation(withAdTotalsFrom from: PGDate, to: PGDate) {
        appendLiteral("WITH ad_totals AS MATERIALIZED (SELECT ad_id, currency, sum(spend) AS spend, ")
        appendLiteral("sum(revenue) AS revenue, sum(impressions) AS impressions, sum(clicks) AS clicks, ")
        appendLiteral("sum(conversions) AS conversions FROM financbase.marketing_metrics WHERE day >= ")
        appendInterpolation(from)
        appendLiteral(" AND day < ")
        appendInterpolation(to)
        appendLiteral(" GROUP BY ad_id, currency)")
    }
}

extension TenantRepositories {
    /// The daily figures of the current organization's ads, and the campaigns' returns.
    public var marketingMetrics: MarketingMetricRepository { MarketingMetricRepository(session: session) }
}
