import ArgumentParser
import Foundation
import PGClient

/// `pgping`: checks that a PostgreSQL server accepts sessions, with pg_isready's exit codes and
/// a real check query.
@main
struct PGPing: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgping",
        abstract: "Check that a PostgreSQL server accepts sessions and answers a query.",
        discussion: """
            Connects with libpq's rules (URI or key=value CONNINFO, PG* environment variables, \
            ~/.pgpass; passwords never come from a flag), runs SELECT 1 (or --query) and prints one \
            line per attempt. Exit codes: 0 accepting, 1 rejecting (starting up, shutting down, too \
            many connections), 2 no response, 3 no attempt (bad arguments), 4 reachable but the check \
            failed (authentication, TLS verification, unknown database, the query failed). With \
            --no-auth it behaves like pg_isready: any answer from the server counts as accepting.
            """,
        // As pg_isready: -h is the host, so help is --help only.
        helpNames: [.long])

    /// What `-V` prints, in pg_isready's form.
    static let versionLine = "pgping (pgwire-swift) \(PGPingVersion.current)"

    /// Parses the arguments and runs, with pg_isready's exit code 3 (not the usual 64) for
    /// arguments that do not parse.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(PingOutcome.noAttempt.rawValue)
        }
    }

    @Argument(help: "A connection URI (postgres://…) or key=value string.")
    var conninfo: String = ""

    @Option(name: [.customShort("h"), .long], help: "Host name, IP address or unix-socket directory.")
    var host: String?

    @Option(name: [.customShort("p"), .long], help: "Port.")
    var port: String?

    @Option(name: [.customShort("d"), .long], help: "Database name.")
    var dbname: String?

    @Option(name: [.customShort("U"), .customLong("username")], help: "User name.")
    var user: String?

    @Option(
        name: [.customShort("t"), .long],
        help: "Seconds one attempt may take, everything included (0: no limit).")
    var timeout: Double = 3

    @Flag(name: [.customShort("q"), .long], help: "Print nothing; only the exit code tells.")
    var quiet = false

    @Flag(name: [.customShort("V"), .customLong("version")], help: "Print the version and exit.")
    var printVersion = false

    @Flag(help: "Print one JSON object per attempt (and one for the summary).")
    var json = false

    @Option(help: "Number of attempts.")
    var count: Int = 1

    @Option(help: "Seconds between attempts.")
    var interval: Double = 1

    @Option(help: "The check query.")
    var query: String = "SELECT 1"

    @Flag(help: "Do not authenticate or query: report whether the server answers, like pg_isready.")
    var noAuth = false

    mutating func run() async throws {
        if printVersion {
            print(Self.versionLine)
            return
        }
        guard count >= 1, interval >= 0, timeout >= 0 else {
            fail("--count must be at least 1, --interval and -t at least 0")
        }
        var overrides = ["host": host ?? "", "port": port ?? "", "dbname": dbname ?? "", "user": user ?? ""]
        let limit = timeout == 0 ? Duration.seconds(86_400) : Duration.milliseconds(Int64(timeout * 1000))
        if timeout > 0 { overrides["connect_timeout"] = String(Int(timeout.rounded(.up))) }
        var config: PGConfig
        do {
            config = try PGConfig(connectionString: conninfo, overrides: overrides)
        } catch {
            fail("\(error)")
        }
        // pg_isready sends no password; the server asking for one already proves it is up.
        if noAuth { config.password = nil }
        let attempt = PingAttempt(config: config, query: query, timeout: limit, noAuth: noAuth)
        var report = PingReport(json: json, quiet: quiet)
        for index in 0..<count {
            if index > 0 { try? await Task.sleep(for: .milliseconds(Int64(interval * 1000))) }
            report.print(await attempt.run())
        }
        report.printSummary()
        throw ExitCode(report.exitCode)
    }

    private func fail(_ message: String) -> Never {
        if !quiet {
            FileHandle.standardError.write(Data("pgping: \(message)\n".utf8))
            if json { print(#"{"outcome":"no attempt","exit_code":3}"#) }
        }
        Foundation.exit(PingOutcome.noAttempt.rawValue)
    }
}
