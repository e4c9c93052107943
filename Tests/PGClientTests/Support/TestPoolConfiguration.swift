import PGClient

extension PGPool.Configuration {
    /// How long a test's pool waits for a connection: only a hang should reach it. A debug build
    /// connecting with TLS and SCRAM on a starved two-core machine took over 10 s (the default).
    static let testAcquireTimeout: Duration = .seconds(300)

    /// A pool configuration for `connection` whose acquire timeout only catches hangs.
    static func forTests(_ connection: PGConfig) -> PGPool.Configuration {
        var config = PGPool.Configuration(connection: connection)
        config.acquireTimeout = testAcquireTimeout
        return config
    }
}
