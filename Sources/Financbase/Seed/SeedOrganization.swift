public import FoundationEssentials

/// An organization to seed: its name, the currency it works in and the tax rate on its invoices.
public struct SeedOrganization: Sendable, Hashable {
    /// The display name.
    public var name: String
    /// The currency of every amount seeded for it (ISO 4217).
    public var currency: String
    /// The tax added to its invoices, in percent.
    public var taxPercent: Int

    /// Creates a specification.
    public init(name: String, currency: String, taxPercent: Int) {
        self.name = name
        self.currency = currency
        self.taxPercent = taxPercent
    }

    /// The two organizations the demo seeds: a US design studio and a German analytics firm.
    public static let demoPair = [
        SeedOrganization(name: "Northwind Studio", currency: "USD", taxPercent: 8),
        SeedOrganization(name: "Alpine Analytics GmbH", currency: "EUR", taxPercent: 19),
    ]

    /// `count` organizations: the ``demoPair`` first, then others, numbered once the names run
    /// out.
    public static func examples(_ count: Int) -> [SeedOrganization] {
        let names =
            demoPair + [
                SeedOrganization(name: "Harbor Legal LLP", currency: "GBP", taxPercent: 20),
                SeedOrganization(name: "Maple Robotics Inc.", currency: "CAD", taxPercent: 13),
            ]
        return (0..<max(0, count)).map { index in
            var organization = names[index % names.count]
            if index >= names.count { organization.name += " \(index / names.count + 1)" }
            return organization
        }
    }
}

/// An organization the ``Seeder`` created, with how to act in it and what it holds.
public struct SeededOrganization: Sendable, Hashable {
    /// What was asked for.
    public var specification: SeedOrganization
    /// The organization's id with its admin user's id: the context to act in it as its admin.
    public var admin: TenantContext
    /// Every user's id, the admin's first.
    public var userIDs: [UUID]
    /// Who plays each access role.
    public var people: SeedPeople
    /// The rows inserted per table, in the order they were seeded.
    public var rows: [SeedProgress]

    /// The organization's name.
    public var name: String { specification.name }

    /// The rows inserted into `table` (0 for a table not seeded).
    public func rowCount(_ table: String) -> Int {
        rows.first { $0.table == table }?.rows ?? 0
    }
}
