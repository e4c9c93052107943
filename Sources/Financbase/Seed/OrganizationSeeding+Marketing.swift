import FoundationEssentials
import PGWire

extension OrganizationSeeding {
    /// A planned campaign, its ad groups (two ads each) and who creates it.
    struct PlannedCampaign {
        let theme: SeedCatalog.CampaignTheme
        let number: Int
        let channel: CampaignChannel
        let status: CampaignStatus
        let start: PGDate
        let end: PGDate?
        let budgetCents: Int64
        /// The creator: a member (the admin or a user) writes the campaign, its groups and ads.
        let creator: UUID
        /// Per ad group: its bid in cents (`nil`: the platform bids).
        let bids: [Int64?]
    }

    /// One ad's figures for one day.
    struct PlannedMetric {
        let campaign: Int
        let ad: Int
        let day: PGDate
        let impressions: Int64
        let clicks: Int64
        let conversions: Int64
        let spendCents: Int64
        let revenueCents: Int64
    }

    /// The ads each ad group gets.
    static let adsPerGroup = 2

    /// `4 × scale` campaigns created by the admin and the users in turn, two ad groups of two ads
    /// each, and every ad's daily figures over the last 60 days its campaign ran, recorded by the
    /// admin (only admins write them). Returns the campaigns, for the leads they bring.
    mutating func seedMarketing() async throws -> [Campaign] {
        let people = SeedPeople(ids: userIDs)
        let creators = [admin.userID] + people.users
        var plans: [PlannedCampaign] = []
        for index in 0..<(4 * scale) {
            let theme = SeedCatalog.campaignThemes[index % SeedCatalog.campaignThemes.count]
            let channel: CampaignChannel =
                theme.name == "Newsletter" ? .email : random.element(of: [.google, .google, .meta, .linkedin, .other])
            // The first campaign runs today, so the dashboards always have figures.
            let status: CampaignStatus =
                index == 0 ? .active : random.element(of: [.active, .active, .completed, .paused, .draft])
            let start: PGDate
            var end: PGDate?
            switch status {
            case .draft:
                start = day(random.int(in: 5...30))
                end = PGDate(daysSince2000: start.daysSince2000 + Int32(random.int(in: 30...90)))
            case .completed:
                start = day(-random.int(in: 60...150))
                end = PGDate(daysSince2000: start.daysSince2000 + Int32(random.int(in: 20...50)))
            case .active, .paused:
                start = day(-random.int(in: 20...120))
                end = random.chance(50) ? nil : day(random.int(in: 10...90))
            }
            let bids: [Int64?] = (0..<2).map { _ in
                channel == .email || random.chance(25) ? nil : Int64(random.int(in: 40...300))
            }
            plans.append(
                PlannedCampaign(
                    theme: theme, number: index / SeedCatalog.campaignThemes.count + 1, channel: channel,
                    status: status, start: start, end: end,
                    budgetCents: Int64(random.int(in: 4...40)) * 500_00,
                    creator: creators[index % creators.count], bids: bids))
        }
        let metrics = planMetrics(plans)
        let ads = try await createCampaigns(plans, creators: creators)
        let currency = self.currency
        try await store.withTenant(admin) { repos in
            for metric in metrics {
                _ = try await repos.marketingMetrics.create(
                    adID: ads[metric.campaign].ads[metric.ad].id, day: metric.day, impressions: metric.impressions,
                    clicks: metric.clicks, conversions: metric.conversions, spend: Self.money(metric.spendCents),
                    revenue: Self.money(metric.revenueCents), currency: currency)
            }
        }
        report("campaigns", plans.count)
        report("ad_groups", plans.count * 2)
        report("ads", plans.count * 2 * Self.adsPerGroup)
        report("marketing_metrics", metrics.count)
        return ads.map(\.campaign)
    }

    /// Each ad's figures on the last 60 days (before today) its campaign ran: impressions, a
    /// click-through rate of 0.5–6 %, 2–12 % of clicks converting, 0.40–2.50 a click, 15–90
    /// a conversion.
    private mutating func planMetrics(_ plans: [PlannedCampaign]) -> [PlannedMetric] {
        var metrics: [PlannedMetric] = []
        for (index, plan) in plans.enumerated() where plan.status != .draft {
            let first = max(plan.start.daysSince2000, today.daysSince2000 - 60)
            let last = min(plan.end?.daysSince2000 ?? Int32.max, today.daysSince2000 - 1)
            guard first <= last else { continue }
            for ad in 0..<(2 * Self.adsPerGroup) {
                let reach = Int64(random.int(in: plan.channel == .email ? 100...800 : 300...4_000))
                for day in first...last {
                    let impressions = reach * Int64(random.int(in: 70...130)) / 100
                    let clicks = impressions * Int64(random.int(in: 5...60)) / 1_000
                    let conversions = clicks * Int64(random.int(in: 2...12)) / 100
                    let costPerClick = Int64(plan.channel == .email ? random.int(in: 2...10) : random.int(in: 40...250))
                    metrics.append(
                        PlannedMetric(
                            campaign: index, ad: ad, day: PGDate(daysSince2000: day), impressions: impressions,
                            clicks: clicks, conversions: conversions, spendCents: clicks * costPerClick,
                            revenueCents: conversions * Int64(random.int(in: 1_500...9_000))))
                }
            }
        }
        return metrics
    }

    /// A campaign and its ads, in the order planned.
    struct CreatedCampaign {
        let campaign: Campaign
        let ads: [Ad]
    }

    /// Creates the campaigns with their ad groups and ads, each creator's in a unit of work acting
    /// as that creator.
    private func createCampaigns(_ plans: [PlannedCampaign], creators: [UUID]) async throws -> [CreatedCampaign] {
        let (organizationName, currency) = (organization.name, currency)
        let slug = Self.slug(organizationName)
        var created: [Int: CreatedCampaign] = [:]
        for creator in creators where plans.contains(where: { $0.creator == creator }) {
            let context = TenantContext(userID: creator, organizationID: admin.organizationID)
            let mine = plans.enumerated().filter { $0.element.creator == creator }
            let made = try await store.withTenant(context) { repos in
                var made: [(Int, CreatedCampaign)] = []
                for (index, plan) in mine {
                    let name = plan.number == 1 ? plan.theme.name : "\(plan.theme.name) \(plan.number)"
                    let campaign = try await repos.campaigns.create(
                        name: name, channel: plan.channel, budget: Self.money(plan.budgetCents), currency: currency,
                        startDate: plan.start, endDate: plan.end, status: plan.status,
                        description: "\(plan.theme.name) on \(plan.channel.rawValue)")
                    var ads: [Ad] = []
                    for (group, bid) in plan.bids.enumerated() {
                        let adGroup = try await repos.adGroups.create(
                            campaignID: campaign.id, name: plan.theme.groups[group % plan.theme.groups.count],
                            status: plan.status == .completed ? .archived : .active, bid: bid.map(Self.money))
                        for number in 0..<Self.adsPerGroup {
                            let headline = plan.theme.headlines[(group + number) % plan.theme.headlines.count]
                            ads.append(
                                try await repos.ads.create(
                                    adGroupID: adGroup.id, name: "\(adGroup.name) \(number + 1)", headline: headline,
                                    body: "\(headline). \(organizationName) designs and builds digital products.",
                                    url: "https://\(slug).example/\(Self.slug(name))?utm_source=\(plan.channel.rawValue)",
                                    imageURL: plan.channel == .email
                                        ? nil : "https://cdn.\(slug).example/ads/\(Self.slug(name))-\(number + 1).png",
                                    status: plan.status == .draft ? .draft : plan.status == .completed ? .archived : .active))
                        }
                    }
                    made.append((index, CreatedCampaign(campaign: campaign, ads: ads)))
                }
                return made
            }
            for (index, campaign) in made { created[index] = campaign }
        }
        return plans.indices.compactMap { created[$0] }
    }
}
