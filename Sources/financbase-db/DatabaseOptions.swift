import ArgumentParser
import Foundation
import PGClient

/// The `--url` option every command shares, with `DATABASE_URL` as its fallback.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "A connection URI (postgres://…) or key=value string; DATABASE_URL when absent.")
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
        do {
            return try PGConfig(connectionString: connectionString, overrides: [:])
        } catch {
            throw ValidationError("bad connection string: \(error)")
        }
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
