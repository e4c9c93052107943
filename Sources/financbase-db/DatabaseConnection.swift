import Logging
import PGClient

/// One connection for the length of a closure.
enum DatabaseConnection {
    /// Runs `body` with a new connection made from `config`, closed afterwards whether `body`
    /// returns or throws. Only warnings and worse are logged (a migration's notices are noise).
    static func with<Result>(
        _ config: PGConfig, _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "financbase-db")
        logger.logLevel = .warning
        let connection = try await PGConnection.connect(config: config, logger: logger)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
