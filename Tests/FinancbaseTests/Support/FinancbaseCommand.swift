import Foundation
import PGClient

/// Runs the `financbase-db` executable built beside the test bundle, as a user would.
enum FinancbaseCommand {
    struct Run {
        var status: Int32
        /// What the command wrote to stdout (a `--json` document, for one).
        var standardOutput: String
        /// What it wrote to stderr (warnings, errors).
        var standardError: String
        /// Both, stdout first: for checks that a line was printed at all.
        var output: String { standardOutput + standardError }
    }

    /// Runs the `financbase-db` built beside the test bundle with `arguments`, with DATABASE_URL
    /// and the `PG*` variables unset and `environment` added.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        var folder = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(
            atPath: folder.appendingPathComponent("financbase-db").path)
        {
            guard folder.pathComponents.count > 1, folder.lastPathComponent != "debug",
                folder.lastPathComponent != "release"
            else { throw CommandNotBuilt() }
            folder = folder.deletingLastPathComponent()
        }
        let process = Process()
        process.executableURL = folder.appendingPathComponent("financbase-db")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter {
            $0.key != "DATABASE_URL" && !$0.key.hasPrefix("PG")
        }.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Both pipes are read while it runs, so neither can fill and block it.
        async let errorData = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }.value
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorBytes = await errorData
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, standardOutput: String(decoding: data, as: UTF8.self),
            standardError: String(decoding: errorBytes, as: UTF8.self))
    }

    struct CommandNotBuilt: Error {}

    /// A key=value connection string for the administrator of `database`, with the password
    /// unless `includingPassword` is false.
    static func connectionString(
        _ database: FinancbaseTestDatabase, includingPassword: Bool = true
    ) -> String? {
        let config = database.adminConfig
        guard let host = config.hosts.first else { return nil }
        func quoted(_ value: String) -> String {
            "'"
                + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                    of: "'", with: "\\'") + "'"
        }
        var parts = [
            "host=\(quoted(host.host))", "port=\(host.port)", "dbname=\(quoted(config.database))",
            "user=\(quoted(config.user))",
            "sslmode=\(config.sslMode == .disable ? "disable" : "prefer")",
        ]
        if includingPassword, let password = config.password { parts.append("password=\(quoted(password))") }
        return parts.joined(separator: " ")
    }
}
