import FoundationEssentials
import PGWire

/// The seeding of one organization: each step draws its plan from the generator first, then
/// inserts it in one unit of work, so the data depend on the seed alone, never on timing.
struct OrganizationSeeding {
    let store: FinancbaseStore
    let organization: SeedOrganization
    let scale: Int
    let today: PGDate
    let progress: @Sendable (SeedProgress) -> Void
    var random: SplitMix64

    /// The organization's id and its admin's.
    let admin = TenantContext(userID: UUID(), organizationID: UUID())
    var userIDs: [UUID] = []
    var rows: [SeedProgress] = []
    var accounts = SeedAccounts()
    var methods = SeedPaymentMethods()
    var clients: [SeedClient] = []
    var projects: [Project] = []
    /// The transactions `payments.record` wrote.
    var paymentTransactions = 0

    init(
        store: FinancbaseStore, organization: SeedOrganization, scale: Int, today: PGDate,
        random: SplitMix64,
        progress: @escaping @Sendable (SeedProgress) -> Void
    ) {
        self.store = store
        self.organization = organization
        self.scale = scale
        self.today = today
        self.random = random
        self.progress = progress
    }

    var currency: String { organization.currency }

    mutating func run() async throws -> SeededOrganization {
        try await seedOrganizationAndUsers()
        try await seedPreferences()
        try await seedFreelancers()
        try await seedAccountsAndPaymentMethods()
        try await seedClients()
        try await seedProjects()
        try await seedInvoices()
        let expenses = try await seedExpenses()
        try await seedTransactions(for: expenses)
        let campaigns = try await seedMarketing()
        try await seedLeads(campaigns: campaigns)
        try await seedWorkspace()
        try await seedAnalyticsAndReports()
        try await seedRealEstate()
        try await seedWorkflows()
        try await seedAccessRoles()
        return SeededOrganization(
            specification: organization, admin: admin, userIDs: userIDs,
            people: SeedPeople(ids: userIDs), rows: rows)
    }

    /// Records and reports that `count` rows went into `table`.
    mutating func report(_ table: String, _ count: Int) {
        let line = SeedProgress(table: table, rows: count, organization: organization.name)
        rows.append(line)
        progress(line)
    }

    /// The day `offset` days from ``today`` (negative: before).
    func day(_ offset: Int) -> PGDate {
        PGDate(daysSince2000: today.daysSince2000 + Int32(clamping: offset))
    }

    /// The instant `hour`:`minute` UTC on `day` (a finite day, as every seeded day is).
    static func instant(_ day: PGDate, hour: Int, minute: Int = 0) -> Date {
        (day.date ?? Date(timeIntervalSince1970: 0)).addingTimeInterval(
            TimeInterval(hour * 3_600 + minute * 60))
    }

    /// `cents` / 100, exactly, with two decimals.
    static func money(_ cents: Int64) -> PGNumeric {
        PGNumeric(
            Decimal(
                sign: cents < 0 ? .minus : .plus, exponent: -2,
                significand: Decimal(cents.magnitude)))
    }

    /// `percent` % of `cents`, rounded half up to a cent.
    static func percent(_ percent: Int, of cents: Int64) -> Int64 {
        (cents * Int64(percent) + 50) / 100
    }
}

/// The accounts every organization gets, and the money that moves through them.
struct SeedAccounts {
    var checking: UUID?
    var savings: UUID?
    var card: UUID?
    var checkingOpeningCents: Int64 = 0
    var savingsOpeningCents: Int64 = 0
    /// What clients paid, into checking.
    var receivedCents: Int64 = 0
}

/// The payment methods every organization gets.
struct SeedPaymentMethods {
    var stripe: UUID?
    var bankTransfer: UUID?
    var card: UUID?
}

/// A seeded client and its payment terms.
struct SeedClient {
    let id: UUID
    let name: String
    let termsDays: Int
}
