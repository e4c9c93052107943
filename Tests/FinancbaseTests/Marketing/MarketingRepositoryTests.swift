import Financbase
import Foundation
import PGClient
import PGWire
import Testing

@Suite("Marketing repositories: campaigns, ad groups, ads, metrics")
struct MarketingRepositoryTests {
    /// A campaign with one ad group and one ad, made by `context`.
    static func campaignWithAd(_ repos: TenantRepositories, name: String = "Spring launch") async throws
        -> (Campaign, AdGroup, Ad)
    {
        let campaign = try await repos.campaigns.create(
            name: name, channel: .google, budget: try numeric("5000.00"), startDate: try date(2025, 3, 1),
            endDate: try date(2025, 5, 31), status: .active)
        let group = try await repos.adGroups.create(campaignID: campaign.id, name: "Brand terms", bid: try numeric("1.25"))
        let ad = try await repos.ads.create(
            adGroupID: group.id, name: "Brand 1", headline: "Design that ships", url: "https://acme.example/launch")
        return (campaign, group, ad)
    }

    @Test("campaigns, ad groups and ads round-trip, update, list by parent and page; deleting a draft takes its groups and ads")
    func roundTrips() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            try await store.withTenant(tenant.context) { repos in
                var (campaign, group, ad) = try await Self.campaignWithAd(repos)
                #expect(campaign.userID == tenant.context.userID)
                #expect(campaign.budget == (try numeric("5000.00")) && campaign.currency == "USD")
                #expect(try await repos.campaigns.get(campaign.id) == campaign)
                campaign.status = .paused
                campaign.endDate = nil
                campaign.budget = try numeric("0.01")
                let savedCampaign = try await repos.campaigns.update(campaign)
                #expect(savedCampaign.status == .paused && savedCampaign.endDate == nil)
                #expect(savedCampaign.budget.description == "0.01")

                #expect(try await repos.adGroups.get(group.id) == group)
                group.bid = nil
                group.status = .paused
                let savedGroup = try await repos.adGroups.update(group)
                #expect(savedGroup.bid == nil && savedGroup.status == .paused)
                let second = try await repos.adGroups.create(campaignID: campaign.id, name: "Competitors")
                #expect(Set(try await repos.adGroups.forCampaign(campaign.id).map(\.id)) == [group.id, second.id])

                #expect(ad.status == .draft && ad.body == nil && ad.imageURL == nil)
                #expect(try await repos.ads.get(ad.id) == ad)
                ad.body = "Built by people who ship."
                ad.imageURL = "https://cdn.acme.example/brand-1.png"
                ad.status = .active
                ad.adGroupID = second.id
                let savedAd = try await repos.ads.update(ad)
                #expect(savedAd.imageURL == ad.imageURL && savedAd.status == .active)
                #expect(try await repos.ads.forAdGroup(second.id).map(\.id) == [ad.id])
                #expect(try await repos.ads.forAdGroup(group.id).isEmpty)

                let page = try await repos.adGroups.list(limit: 1)
                #expect(page.rows.count == 1)
                let cursor = try #require(page.next)
                let rest = try await repos.adGroups.list(after: cursor, limit: 10)
                #expect(Set((page.rows + rest.rows).map(\.id)) == [group.id, second.id] && rest.next == nil)
                #expect(try await repos.campaigns.list().rows.map(\.id) == [campaign.id])
                #expect(try await repos.ads.list().rows.map(\.id) == [ad.id])

                // No metrics yet: the campaign goes with its groups and ads.
                try await repos.campaigns.delete(campaign.id)
                await #expect(throws: RepositoryError.notFound(entity: "ad_groups", id: group.id)) {
                    try await repos.adGroups.get(group.id)
                }
                await #expect(throws: RepositoryError.notFound(entity: "ads", id: ad.id)) {
                    try await repos.ads.get(ad.id)
                }
                await #expect(throws: RepositoryError.notFound(entity: "campaigns", id: campaign.id)) {
                    try await repos.campaigns.delete(campaign.id)
                }
                await #expect(throws: RepositoryError.self) { try await repos.campaigns.list(limit: 1_001) }
            }
        }
    }

    @Test("metrics: one row per ad and day, exact money, corrections, paging; reported spend keeps its campaign")
    func metrics() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let (campaign, ad, metric) = try await store.withTenant(tenant.context) { repos in
                let (campaign, _, ad) = try await Self.campaignWithAd(repos)
                var metric = try await repos.marketingMetrics.create(
                    adID: ad.id, day: try date(2025, 3, 2), impressions: 1_000, clicks: 40, conversions: 3,
                    spend: try numeric("52.10"), revenue: try numeric("9999999999.99"))
                #expect(metric.revenue.description == "9999999999.99" && metric.currency == "USD")
                #expect(try await repos.marketingMetrics.get(metric.id) == metric)
                metric.clicks = 41
                metric.spend = try numeric("53.35")
                let corrected = try await repos.marketingMetrics.update(metric)
                #expect(corrected.clicks == 41 && corrected.spend.description == "53.35")
                let next = try await repos.marketingMetrics.create(
                    adID: ad.id, day: try date(2025, 3, 3), impressions: 0, clicks: 0, conversions: 0,
                    spend: 0, revenue: 0)
                let page = try await repos.marketingMetrics.list(limit: 1)
                #expect(page.rows.count == 1 && page.next != nil)
                try await repos.marketingMetrics.delete(next.id)
                await #expect(throws: RepositoryError.notFound(entity: "marketing_metrics", id: next.id)) {
                    try await repos.marketingMetrics.get(next.id)
                }
                return (campaign, ad, corrected)
            }
            // A second row for the same ad and day: the unique key refuses it.
            let duplicate = await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.marketingMetrics.create(
                        adID: ad.id, day: metric.day, impressions: 1, clicks: 0, conversions: 0, spend: 0, revenue: 0)
                }
            }
            #expect(duplicate?.sqlState == .uniqueViolation)
            // More clicks than impressions, more conversions than clicks, negative spend: CHECKs.
            for (impressions, clicks, conversions, spend) in [(10, 11, 0, "1.00"), (10, 5, 6, "1.00"), (10, 5, 1, "-0.01")] {
                let error = await #expect(throws: PGError.self) {
                    try await store.withTenant(tenant.context) { repos in
                        try await repos.marketingMetrics.create(
                            adID: ad.id, day: try date(2025, 3, 9), impressions: Int64(impressions), clicks: Int64(clicks),
                            conversions: Int64(conversions), spend: try numeric(spend), revenue: 0)
                    }
                }
                #expect(error?.sqlState == .checkViolation, "\(impressions) \(clicks) \(conversions) \(spend)")
            }
            // The campaign's ads have figures: deleting it is refused, nothing goes.
            let kept = await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in try await repos.campaigns.delete(campaign.id) }
            }
            #expect(kept?.sqlState == .foreignKeyViolation)
            let still = try await store.withTenant(tenant.context) { repos in
                (try await repos.campaigns.get(campaign.id).id, try await repos.marketingMetrics.get(metric.id).id)
            }
            #expect(still == (campaign.id, metric.id))
        }
    }

    @Test("bad values are the database's to refuse, with their SQLSTATE")
    func constraints() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let (campaignID, groupID) = try await store.withTenant(tenant.context) { repos in
                let (campaign, group, _) = try await Self.campaignWithAd(repos)
                return (campaign.id, group.id)
            }
            let attempts: [(String, @Sendable (TenantRepositories) async throws -> Void)] = [
                ("an end before the start", { repos in
                    _ = try await repos.campaigns.create(
                        name: "Backwards", channel: .meta, budget: 1, startDate: try date(2025, 3, 2),
                        endDate: try date(2025, 3, 1))
                }),
                ("a negative budget", { repos in
                    _ = try await repos.campaigns.create(
                        name: "Negative", channel: .meta, budget: try numeric("-1.00"), startDate: try date(2025, 3, 2))
                }),
                ("a lowercase currency", { repos in
                    _ = try await repos.campaigns.create(
                        name: "Lower", channel: .meta, budget: 1, currency: "usd", startDate: try date(2025, 3, 2))
                }),
                ("a blank name", { repos in
                    _ = try await repos.campaigns.create(name: "  ", channel: .meta, budget: 1, startDate: try date(2025, 3, 2))
                }),
                ("a zero bid", { repos in
                    _ = try await repos.adGroups.create(campaignID: campaignID, name: "Free", bid: 0)
                }),
                ("a URL that is not http(s)", { repos in
                    _ = try await repos.ads.create(adGroupID: groupID, name: "Bad", headline: "H", url: "javascript:alert(1)")
                }),
                ("a headline over 300 characters", { repos in
                    _ = try await repos.ads.create(
                        adGroupID: groupID, name: "Long", headline: String(repeating: "x", count: 301), url: "https://a.example")
                }),
            ]
            for (name, attempt) in attempts {
                let error = await #expect(throws: PGError.self, "\(name)") {
                    try await store.withTenant(tenant.context) { repos in try await attempt(repos) }
                }
                #expect(error?.sqlState == .checkViolation, "\(name): \(String(describing: error))")
            }
            // A group's writers are its campaign's: with no campaign to write, the policy refuses
            // the row before its foreign key is checked. An ad's figures name an ad that is not.
            let orphan = await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.adGroups.create(campaignID: UUID(), name: "Orphan")
                }
            }
            #expect(orphan?.sqlState == .insufficientPrivilege)
            let missing = await #expect(throws: PGError.self) {
                try await store.withTenant(tenant.context) { repos in
                    try await repos.marketingMetrics.create(
                        adID: UUID(), day: try date(2025, 3, 1), impressions: 1, clicks: 0, conversions: 0, spend: 0,
                        revenue: 0)
                }
            }
            #expect(missing?.sqlState == .foreignKeyViolation)
        }
    }

    @Test("another organization's campaign, ad group or ad cannot be referenced, read or changed")
    func crossTenant() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let acme = try await TenantFixture.make(in: store)
            let globex = try await TenantFixture.make(in: store, name: "Globex")
            let (campaign, group, ad) = try await store.withTenant(globex.context) { repos in
                try await Self.campaignWithAd(repos, name: "Globex launch")
            }
            // Groups and ads are written by whoever may write their parent: Globex's parent is not
            // Acme's to write, so the policy refuses (42501); figures name their ad by a foreign key.
            let attempts: [(String, SQLState, @Sendable (TenantRepositories) async throws -> Void)] = [
                ("an ad group in Globex's campaign", .insufficientPrivilege, { repos in
                    _ = try await repos.adGroups.create(campaignID: campaign.id, name: "Stolen")
                }),
                ("an ad in Globex's ad group", .insufficientPrivilege, { repos in
                    _ = try await repos.ads.create(adGroupID: group.id, name: "Stolen", headline: "H", url: "https://a.example")
                }),
                ("figures for Globex's ad", .foreignKeyViolation, { repos in
                    _ = try await repos.marketingMetrics.create(
                        adID: ad.id, day: try date(2025, 3, 1), impressions: 1, clicks: 0, conversions: 0, spend: 0,
                        revenue: 0)
                }),
            ]
            for (name, state, attempt) in attempts {
                let error = await #expect(throws: PGError.self, "\(name)") {
                    try await store.withTenant(acme.context) { repos in try await attempt(repos) }
                }
                #expect(error?.sqlState == state, "\(name): \(String(describing: error))")
            }
            try await store.withTenant(acme.context) { repos async throws in
                await #expect(throws: RepositoryError.notFound(entity: "campaigns", id: campaign.id)) {
                    try await repos.campaigns.get(campaign.id)
                }
                await #expect(throws: RepositoryError.notFound(entity: "ads", id: ad.id)) {
                    try await repos.ads.delete(ad.id)
                }
                #expect(try await repos.adGroups.forCampaign(campaign.id).isEmpty)
            }
            let theirs = try await store.withTenant(globex.context) { repos in try await repos.ads.get(ad.id) }
            #expect(theirs.name == "Brand 1")
        }
    }

    @Test("members write campaigns and their ads; only an admin writes the platforms' figures; a viewer writes nothing")
    func writers() async throws {
        let database = try await FinancbaseTestServer.freshDatabase()
        try await database.withStore { store in
            let tenant = try await TenantFixture.make(in: store)
            let (member, viewer) = try await store.withTenant(tenant.context) { repos in
                (
                    try await repos.users.create(clerkID: "clerk_\(UUID())", email: "grace@acme.test").id,
                    try await repos.users.create(clerkID: "clerk_\(UUID())", email: "vera@acme.test", role: .viewer).id
                )
            }
            let memberContext = TenantContext(userID: member, organizationID: tenant.context.organizationID)
            let viewerContext = TenantContext(userID: viewer, organizationID: tenant.context.organizationID)
            let (adminCampaign, _, adminAd) = try await store.withTenant(tenant.context) { repos in
                try await Self.campaignWithAd(repos, name: "Admin's")
            }
            // A member writes its own campaign and changes the admin's (shared), groups and ads included.
            let memberAd = try await store.withTenant(memberContext) { repos in
                let (_, _, ad) = try await Self.campaignWithAd(repos, name: "Member's")
                var campaign = try await repos.campaigns.get(adminCampaign.id)
                campaign.status = .completed
                _ = try await repos.campaigns.update(campaign)
                var theirs = try await repos.ads.get(adminAd.id)
                theirs.status = .paused
                #expect(try await repos.ads.update(theirs).status == .paused)
                return ad
            }
            // A member cannot record figures (42501), nor change the admin's.
            let refused = await #expect(throws: PGError.self) {
                try await store.withTenant(memberContext) { repos in
                    try await repos.marketingMetrics.create(
                        adID: memberAd.id, day: try date(2025, 3, 1), impressions: 1, clicks: 0, conversions: 0, spend: 0,
                        revenue: 0)
                }
            }
            #expect(refused?.sqlState == .insufficientPrivilege)
            let metric = try await store.withTenant(tenant.context) { repos in
                try await repos.marketingMetrics.create(
                    adID: memberAd.id, day: try date(2025, 3, 1), impressions: 10, clicks: 1, conversions: 0,
                    spend: try numeric("0.50"), revenue: 0)
            }
            try await store.withTenant(memberContext) { repos in
                #expect(try await repos.marketingMetrics.get(metric.id) == metric)
                var inflated = metric
                inflated.revenue = try numeric("1000.00")
                await #expect(throws: RepositoryError.notFound(entity: "marketing_metrics", id: metric.id)) {
                    try await repos.marketingMetrics.update(inflated)
                }
            }
            // A viewer reads, and cannot create a campaign.
            let viewerError = await #expect(throws: PGError.self) {
                try await store.withTenant(viewerContext) { repos in
                    #expect(try await repos.campaigns.list().rows.count == 2)
                    return try await Self.campaignWithAd(repos, name: "Viewer's")
                }
            }
            #expect(viewerError?.sqlState == .insufficientPrivilege)
        }
    }
}
