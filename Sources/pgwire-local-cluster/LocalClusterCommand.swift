import ArgumentParser
import Foundation
import PGLocalCluster

/// `pgwire-local-cluster -- COMMAND …`: runs a command against a throwaway PostgreSQL.
///
/// The cluster (initdb in a temporary folder, a free port, SCRAM, TLS with a CA it makes) is
/// started, the command runs with `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`,
/// `PGSSLMODE` and `PGSSLROOTCERT` pointing at it, and the cluster is stopped and removed when the
/// command ends. The exit status is the command's. With no command, it prints the connection URI
/// and keeps the server until Enter is pressed.
@main
struct LocalClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgwire-local-cluster",
        abstract: "Run a command against a throwaway PostgreSQL 15 cluster.")

    @Flag(help: "Start the server without TLS.")
    var noTLS = false

    @Argument(parsing: .captureForPassthrough, help: "The command to run, after --.")
    var command: [String] = []

    mutating func run() async throws {
        var options = PGLocalCluster.Options()
        options.isTLSEnabled = !noTLS
        let cluster = try await PGLocalCluster.start(options: options)
        let status: Int32
        do {
            status = try await run(command, environment: cluster.libpqEnvironment(), cluster: cluster)
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
        throw ExitCode(status)
    }

    private func run(_ command: [String], environment: [String: String], cluster: PGLocalCluster) async throws -> Int32 {
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        guard let executable = arguments.first else {
            print("PostgreSQL is running: \(cluster.url)")
            print(environment.sorted(by: { $0.key < $1.key }).map { "export \($0.key)='\($0.value)'" }.joined(separator: "\n"))
            print("Press Enter (or end the input) to stop and remove it.")
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    _ = readLine()
                    continuation.resume()
                }
            }
            return 0
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments.dropFirst()
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, cluster in cluster }
        try process.run()
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        return process.terminationStatus
    }
}
