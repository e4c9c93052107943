/// What one migrate run did.
///
/// ```swift
/// let summary = try await runner.migrate(on: connection)
/// print("applied \(summary.applied.count), now at version \(summary.version)")
/// ```
public struct MigrationSummary: Sendable, Hashable, CustomStringConvertible {
    /// One migration this run applied.
    public struct Applied: Sendable, Hashable {
        /// Its version.
        public var version: Int
        /// Its name.
        public var name: String
        /// From BEGIN to COMMIT.
        public var duration: Duration
    }

    /// The roles this run created (none when they existed).
    public var createdRoles: [String]
    /// The migrations this run applied, in order; empty when the database was up to date.
    public var applied: [Applied]
    /// The database's version afterwards: the highest applied version, 0 for none.
    public var version: Int
    /// The whole run, lock wait included.
    public var duration: Duration

    /// `migrated to version 3: 2 migrations in 85 ms`, or `up to date at version 3`.
    public var description: String {
        guard !applied.isEmpty else { return "up to date at version \(version)" }
        let noun = applied.count == 1 ? "migration" : "migrations"
        return
            "migrated to version \(version): \(applied.count) \(noun) in \(duration.wholeMilliseconds) ms"
    }
}
