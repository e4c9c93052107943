import ArgumentParser
import Financbase
import Foundation
import Logging
import PGClient

/// How the commands that act as the application reach it: `financbase_app`'s password and a
/// store whose pool logs in as that role.
enum AppRole {
    /// The role row-level security applies to.
    static let name = "financbase_app"

    /// `FINANCBASE_APP_PASSWORD`, or `nil` when unset or empty.
    static var passwordFromEnvironment: String? {
        ProcessInfo.processInfo.environment["FINANCBASE_APP_PASSWORD"].flatMap {
            $0.isEmpty ? nil : $0
        }
    }

    /// `FINANCBASE_APP_PASSWORD`, or a `ValidationError` saying why it is needed.
    static func requiredPassword() throws -> String {
        guard let password = passwordFromEnvironment else {
            throw ValidationError(
                """
                FINANCBASE_APP_PASSWORD is not set. Seed data go in through the application role \
                (\(name)), so that row-level security checks every row; set FINANCBASE_APP_PASSWORD to \
                that role's password (the one given to migrate when it created the role).
                """)
        }
        return password
    }

    /// 24 random letters and digits: safe in every connection-string syntax.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String(
            (0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// The administrator's configuration with the application role's user and password.
    static func config(from admin: PGConfig, password: String) -> PGConfig {
        var config = admin
        config.user = name
        config.password = password
        return config
    }

    /// Runs `body` with a store over a pool of up to `maxConnections` as `config`'s role; the
    /// pool runs for the duration of `body` and is shut down afterwards.
    static func withStore<Result: Sendable>(
        config: PGConfig, maxConnections: Int = 4, _ body: (FinancbaseStore) async throws -> Result
    ) async throws -> Result {
        var configuration = PGPool.Configuration(connection: config)
        configuration.maxConnections = maxConnections
        configuration.minConnections = 0
        var logger = Logger(label: "financbase-db")
        logger.logLevel = .error
        return try await PGPool.withPool(config: configuration, logger: logger) { pool in
            try await body(FinancbaseStore(pool: pool, options: .init(logger: logger)))
        }
    }

    /// Refuses to go on unless every migration is applied, so seeding a bare database says what
    /// to do instead of failing on a missing table.
    static func requireMigrated(_ connection: PGConnection) async throws {
        let status = try await MigrationRunner(migrations: try BundledMigrations.load()).status(
            on: connection)
        let pending = status.entries(.pending).count
        guard pending == 0, !status.hasProblems else {
            throw ValidationError(
                "the database is not fully migrated (\(pending) pending\(status.hasProblems ? ", with problems" : "")): "
                    + "run `financbase-db migrate` first")
        }
    }
}
