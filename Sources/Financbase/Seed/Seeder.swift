import FoundationEssentials
public import PGWire

/// Fills a migrated database with realistic data for some organizations, through the
/// repositories, so every row passes row-level security the way an application's would.
///
/// Each organization gets an admin, users, a viewer, a deactivated user and a contractor
/// (``SeedPeople``), their preferences, freelancer profiles, accounts,
/// payment methods, clients, projects with tasks and time entries, invoices with lines in every
/// status (due dates spread over every aging bucket), payments recorded against them, a year of
/// expenses by category and a ledger of transactions. Amounts, names, dates and statuses come
/// from a ``SplitMix64`` seeded with ``Options/seed``: the same seed and day give the same data
/// (ids and creation times differ).
///
/// Each run adds new organizations and touches nothing else, so seeding a seeded database adds
/// another set beside the first (slugs and sign-in ids carry the new organization's id).
///
/// ```swift
/// let seeder = Seeder(store: store, options: .init(scale: 2))
/// let tenants = try await seeder.seed(SeedOrganization.demoPair) { print($0) }
/// ```
public struct Seeder: Sendable {
    /// How much to seed, from what seed, as of which day.
    public struct Options: Sendable, Hashable {
        /// The generator's seed.
        public var seed: UInt64
        /// Multiplies the volume of every table but the fixed ones (accounts, payment methods):
        /// 1 gives about 500 rows per organization.
        public var scale: Int
        /// The day the data are seeded as of: invoices are issued and expenses spent before it.
        public var today: PGDate

        /// Creates options; `today` defaults to the current UTC day.
        public init(seed: UInt64 = 2024, scale: Int = 1, today: PGDate = Seeder.currentDay()) {
            self.seed = seed
            self.scale = scale
            self.today = today
        }
    }

    /// The largest ``Options/scale`` accepted.
    public static let maximumScale = 1_000

    let store: FinancbaseStore
    let options: Options

    /// A seeder that writes through `store`, whose pool logs in as `financbase_app`.
    public init(store: FinancbaseStore, options: Options = Options()) {
        self.store = store
        self.options = options
    }

    /// Seeds `organizations` one after the other, each table of each in a unit of work of its
    /// own, reporting each table to `progress` once its unit has committed.
    ///
    /// - Throws: ``SeedError/invalidOptions(reason:)`` for a scale outside
    ///   1...``maximumScale``; `PGError` or ``RepositoryError`` when a statement fails (the
    ///   tables already committed stay).
    public func seed(
        _ organizations: [SeedOrganization] = SeedOrganization.demoPair,
        progress: @escaping @Sendable (SeedProgress) -> Void = { _ in }
    ) async throws -> [SeededOrganization] {
        guard (1...Self.maximumScale).contains(options.scale) else {
            throw SeedError.invalidOptions(
                reason: "scale \(options.scale) is outside 1...\(Self.maximumScale)")
        }
        var seeded: [SeededOrganization] = []
        for (organization, random) in zip(organizations, Self.streams(seed: options.seed, count: organizations.count)) {
            var seeding = OrganizationSeeding(
                store: store, organization: organization, scale: options.scale,
                today: options.today,
                random: random, progress: progress)
            seeded.append(try await seeding.run())
        }
        return seeded
    }

    /// One generator per organization, each seeded by the next output of a parent generator, so
    /// adding an organization changes no other's data. (Seeds one generator step apart — seed
    /// plus index times SplitMix's increment — would be one sequence shifted by one draw.)
    static func streams(seed: UInt64, count: Int) -> [SplitMix64] {
        var parent = SplitMix64(seed: seed)
        return (0..<count).map { _ in SplitMix64(seed: parent.next()) }
    }

    /// Today in UTC.
    public static func currentDay() -> PGDate {
        let days = (Date().timeIntervalSince1970 / 86_400).rounded(.down) - 10_957
        return PGDate(daysSince2000: Int32(days))
    }
}
