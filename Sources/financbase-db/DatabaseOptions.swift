import ArgumentParser
import Foundation
import PGClient

/// The `--url` option every command shares, with `DATABASE_URL` as its fallback. The password
/// comes from libpq's places (`PGPASSWORD`, `~/.pgpass` or `PGPASSFILE`); one in `--url` works
/// but is warned about.
struct DatabaseOptions: ParsableArguments {
    @Option(
        help: """
            A connection URI (postgres://…) or key=value string; DATABASE_URL when absent. \
            The password: PGPASSWORD or ~/.pgpass (one here is visible to other users).
            """)
    var url: String?

    /// The connection string to use, or `nil` when neither `--url` nor `DATABASE_URL` gives one.
    var connectionString: String? {
        if let url, !url.isEmpty { return url }
        if let env = ProcessInfo.processInfo.environment["DATABASE_URL"], !env.isEmpty {
            return env
        }
        return nil
    }

    /// The configuration to connect with, from `--url` or `DATABASE_URL` and libpq's `PG*` rules.
    ///
    /// - Throws: `ValidationError` when neither gives a connection string, or it does not parse.
    func config() throws -> PGConfig {
        guard let connectionString else {
            throw ValidationError("no database: pass --url or set DATABASE_URL")
        }
        let config: PGConfig
        do {
            config = try PGConfig(connectionString: connectionString, overrides: [:])
        } catch {
            throw ValidationError("bad connection string: \(error)")
        }
        if let url, Self.holdsPassword(url) {
            FileHandle.standardError.write(Data((Self.passwordInURLWarning + "\n").utf8))
        }
        return config
    }

    /// The warning printed when `--url` holds a password: any user of the machine can read a
    /// process's arguments.
    static let passwordInURLWarning = """
        warning: --url holds a password, which other users of this machine can see in the \
        process list; give it in PGPASSWORD, DATABASE_URL or ~/.pgpass instead
        """

    /// Whether `connectionString` itself names a password (not the environment or `.pgpass`).
    static func holdsPassword(_ connectionString: String) -> Bool {
        let alone = try? PGConfig(
            connectionString: connectionString, overrides: [:], environment: [:],
            homeDirectory: "/nonexistent-financbase-home")
        return alone?.password != nil
    }
}

extension DatabaseOptions {
    /// Runs `body` with a new connection made from ``config()``, closed afterwards.
    ///
    /// - Throws: `ValidationError` from ``config()``, `PGError` when connecting fails, or what
    ///   `body` throws.
    func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PGConnection) async throws -> Result
    ) async throws -> Result {
        try await DatabaseConnection.with(try config(), body)
    }
}
