import Foundation

/// The programs a cluster runs, found once when it starts.
struct ServerTools: Sendable {
    let binDirectory: String
    let postgres: String
    let initdb: String
    let pgCtl: String
    let pgIsReady: String
    let psql: String
    let account: ServerAccount

    /// Finds the server binaries in `binDirectory` and `psql` (that folder first, then the system).
    ///
    /// - Throws: ``PGLocalClusterError/binariesNotFound(directory:missing:)`` naming what is missing,
    ///   whose message says to run `.ci/install-postgres`.
    static func locate(binDirectory: String) throws(PGLocalClusterError) -> ServerTools {
        let required = ["postgres", "initdb", "pg_ctl", "pg_isready"]
        let missing = required.filter {
            !FileManager.default.isExecutableFile(atPath: "\(binDirectory)/\($0)")
        }
        guard missing.isEmpty else {
            throw .binariesNotFound(directory: binDirectory, missing: missing)
        }
        guard let psql = ExecutableLocator.find("psql", preferring: [binDirectory]) else {
            throw .toolNotFound(name: "psql")
        }
        return ServerTools(
            binDirectory: binDirectory,
            postgres: "\(binDirectory)/postgres",
            initdb: "\(binDirectory)/initdb",
            pgCtl: "\(binDirectory)/pg_ctl",
            pgIsReady: "\(binDirectory)/pg_isready",
            psql: psql,
            account: try ServerAccount.current())
    }

    /// Our environment without `PG*` variables, plus `extra`: a stray `PGPORT`, `PGSSLMODE` or
    /// `PGSERVICE` in the caller's shell must not change what the tools do.
    static func cleanEnvironment(adding extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// A server program (`initdb`, `pg_ctl`) run as the server's account inside `directory`.
    func serverCommand(_ executable: String, _ arguments: [String], in directory: String) -> Command {
        var command = account.command(executable, arguments, in: directory)
        command.environment = Self.cleanEnvironment()
        return command
    }

    /// A client program run as ourselves, with `environment` on top of the clean one.
    func clientCommand(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        standardInput: String? = nil
    ) -> Command {
        Command(
            executable, arguments, environment: Self.cleanEnvironment(adding: environment),
            standardInput: standardInput)
    }
}
