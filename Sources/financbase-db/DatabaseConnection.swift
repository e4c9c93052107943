import Logging
import PGClient

/// One connection for the length of a closure.
enum DatabaseConnection {
    /// Runs `body` with a new connection made from `config`, closed afterwards whether `body`
    /// returns or throws. Only warnings and worse are logged (a migration's notices are noise).
    static func with<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ config: PGConfig, _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "financbase-db")
        logger.logLevel = .warning
        return try await PGConnection.withConnection(config: config, logger: logger, body)
    }
}
