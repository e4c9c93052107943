/// One table seeded for one organization, reported as it happens (the CLI prints a line each).
///
/// ```swift
/// try await seeder.seed { print($0) }   // seeded clients: 8 rows (org Northwind Studio)
/// ```
public struct SeedProgress: Sendable, Hashable, CustomStringConvertible {
    /// The table, without its schema (`clients`).
    public var table: String
    /// How many rows were inserted into it for the organization.
    public var rows: Int
    /// The organization's name.
    public var organization: String

    /// Creates a progress report.
    public init(table: String, rows: Int, organization: String) {
        self.table = table
        self.rows = rows
        self.organization = organization
    }

    /// `seeded clients: 8 rows (org Northwind Studio)`.
    public var description: String {
        "seeded \(table): \(rows) \(rows == 1 ? "row" : "rows") (org \(organization))"
    }
}
