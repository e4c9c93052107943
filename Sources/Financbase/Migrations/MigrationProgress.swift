/// What a migrate run is doing, reported as it happens (the CLI prints a line for each).
///
/// ```swift
/// try await runner.migrate(on: connection) { progress in print(progress) }
/// // applying 0002_organizations
/// // applied 0002_organizations (42 ms)
/// ```
public enum MigrationProgress: Sendable, Hashable, CustomStringConvertible {
    /// Another migrate holds the lock; this one waits (the holder's backend pid when known).
    case lockWaiting(holderPID: Int32?)
    /// The runner created a role that did not exist (`financbase_owner` or `financbase_app`).
    case roleCreated(String)
    /// A migration's transaction has begun.
    case applying(version: Int, name: String)
    /// A migration committed, after `duration` of work.
    case applied(version: Int, name: String, duration: Duration)
    /// Nothing was pending: the database was already at `version` (0 when there are no migrations).
    case upToDate(version: Int)

    public var description: String {
        switch self {
        case .lockWaiting(let pid):
            return "waiting for another migrate" + (pid.map { " (pid \($0))" } ?? "")
        case .roleCreated(let role):
            return "created role \(role)"
        case .applying(let version, let name):
            return "applying \(Migration.fileName(version: version, name: name))"
        case .applied(let version, let name, let duration):
            return
                "applied \(Migration.fileName(version: version, name: name)) (\(duration.wholeMilliseconds) ms)"
        case .upToDate(let version):
            return "up to date at version \(version)"
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
