/// The names, services, vendors and price ranges seed data are drawn from: a small agency's
/// world, so the dashboard reads like a real one.
enum SeedCatalog {
    static let firstNames = [
        "Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Edsger",
        "Frances",
        "Ken", "Radia", "Donald", "Hedy", "John", "Sophie", "Tim", "Annie", "Guido", "Karen",
    ]
    static let lastNames = [
        "Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov",
        "Dijkstra",
        "Allen", "Thompson", "Perlman", "Knuth", "Lamarr", "Backus", "Wilson", "Berners-Lee",
        "Easley",
    ]
    static let clientCompanies = [
        "Globex", "Initech", "Umbrella Health", "Stark Logistics", "Wayne Foods", "Cyberdyne Labs",
        "Soylent Farms", "Hooli", "Vandelay Imports", "Pied Piper", "Wonka Confections",
        "Tyrell Robotics",
        "Aperture Science", "Massive Dynamic", "Oscorp", "Gringotts Finance", "Monarch Solutions",
        "Dunder Paper",
    ]
    static let cities = [
        "New York", "Austin", "Seattle", "Toronto", "Berlin", "Paris", "Lisbon", "Zurich",
    ]
    static let projectKinds = [
        "Website redesign", "Mobile app", "Data warehouse", "Brand refresh", "Checkout revamp",
        "Analytics dashboard", "API integration", "Cloud migration", "SEO audit", "Design system",
    ]
    static let taskTitles = [
        "Kick-off workshop", "Requirements", "Wireframes", "Visual design", "Implementation",
        "Code review",
        "QA pass", "Launch", "Retrospective", "Documentation",
    ]
    static let jobTitles = [
        "Senior designer", "Full-stack developer", "Data engineer", "Copywriter",
    ]
    static let skills = [
        "Swift", "PostgreSQL", "Figma", "React", "Python", "SEO", "Copywriting", "AWS",
    ]

    /// A billable service: what a line says and its price range per unit (cents), per hour or
    /// as a fixed fee.
    struct Service {
        let description: String
        let unitCents: ClosedRange<Int64>
        let hourly: Bool
    }

    static let services = [
        Service(description: "Design hours", unitCents: 9_000...14_000, hourly: true),
        Service(description: "Development hours", unitCents: 11_000...16_500, hourly: true),
        Service(description: "Project management", unitCents: 8_000...11_000, hourly: true),
        Service(description: "Hosting (monthly)", unitCents: 4_900...29_900, hourly: false),
        Service(description: "Software licence", unitCents: 19_900...99_900, hourly: false),
        Service(
            description: "Discovery workshop (fixed fee)", unitCents: 150_000...400_000,
            hourly: false),
    ]

    /// An expense category with the vendors paid under it and a typical amount range (cents).
    struct ExpenseCategory {
        let name: String
        let vendors: [String]
        let cents: ClosedRange<Int64>
        /// How many a month, at scale 1.
        let perMonth: ClosedRange<Int>
    }

    static let expenseCategories = [
        ExpenseCategory(
            name: "software", vendors: ["GitHub", "Figma", "Slack", "AWS", "Notion"],
            cents: 1_200...89_000, perMonth: 2...4),
        ExpenseCategory(
            name: "office", vendors: ["WeWork", "Staples", "City Power & Light"],
            cents: 2_500...320_000, perMonth: 1...2),
        ExpenseCategory(
            name: "travel", vendors: ["Delta", "Lufthansa", "Marriott", "Uber"],
            cents: 2_800...140_000, perMonth: 0...3),
        ExpenseCategory(
            name: "marketing", vendors: ["Google Ads", "LinkedIn", "Meetup"],
            cents: 10_000...300_000, perMonth: 0...2),
        ExpenseCategory(
            name: "contractors", vendors: ["Upwork", "Toptal", "Freelance invoice"],
            cents: 50_000...600_000, perMonth: 0...2),
        ExpenseCategory(
            name: "meals", vendors: ["Sweetgreen", "Blue Bottle", "Team lunch"],
            cents: 1_500...24_000, perMonth: 1...4),
    ]
}
