/// What the marketing and leads seed data are drawn from: an agency advertising its own
/// services and working the leads they bring.
extension SeedCatalog {
    /// A campaign theme, the ad groups it targets and the headlines its ads try.
    struct CampaignTheme {
        let name: String
        let groups: [String]
        let headlines: [String]
    }

    static let campaignThemes = [
        CampaignTheme(
            name: "Brand search", groups: ["Brand terms", "Competitor terms"],
            headlines: ["Design that ships", "Your product, faster", "A studio that builds"]),
        CampaignTheme(
            name: "Product launch", groups: ["Early adopters", "Lookalikes"],
            headlines: ["Meet the new dashboard", "Launch week: 20 % off", "See it in action"]),
        CampaignTheme(
            name: "Retargeting", groups: ["Site visitors", "Cart abandoners"],
            headlines: ["Still thinking it over?", "Your quote is waiting", "Back for another look?"]),
        CampaignTheme(
            name: "Webinar series", groups: ["Decision makers", "Engineering leads"],
            headlines: ["Live: scaling your data", "Save your seat", "Ask us anything"]),
        CampaignTheme(
            name: "Newsletter", groups: ["Subscribers", "Past clients"],
            headlines: ["What we shipped this month", "Three case studies", "Tips from the studio"]),
        CampaignTheme(
            name: "Case studies", groups: ["Retail", "Healthcare"],
            headlines: ["How Globex cut costs 30 %", "From idea to launch in 8 weeks", "Read the story"]),
    ]

    static let leadCompanies = [
        "Acme Corp", "Blue Harbor", "Copperleaf", "Driftwood Labs", "Evergreen Health", "Foxglove Media",
        "Granite Bank", "Hummingbird Travel", "Ironclad Security", "Juniper Foods", "Kestrel Energy",
        "Lumen Optics", "Meridian Insurance", "Northstar Retail", "Orchid Hotels", "Pinecrest Schools",
    ]

    static let activitySummaries: [LeadActivityKind: [String]] = [
        .call: ["Intro call: needs a new checkout", "Discussed budget and timeline", "Follow-up call, waiting on legal"],
        .email: ["Sent the case studies", "Sent the proposal", "Answered questions on pricing"],
        .meeting: ["Workshop at their office", "Demo with the product team", "Met the CFO about terms"],
        .note: ["Prefers e-mail over calls", "Budget approved for Q3", "Competitor also pitching"],
    ]

    static let leadTaskTitles = [
        "Call back", "Send proposal", "Book a demo", "Send the contract", "Check in after the demo",
        "Ask for a referral",
    ]
}
