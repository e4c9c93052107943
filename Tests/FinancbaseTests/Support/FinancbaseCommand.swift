import Foundation
import PGClient

/// Runs the `financbase-db` executable built beside the test bundle, as a user would.
enum FinancbaseCommand {
    struct Run {
        var status: Int32
        var output: String
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
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    struct CommandNotBuilt: Error {}

    /// A key=value connection string for the administrator of `database`.
    static func connectionString(_ database: FinancbaseTestDatabase) -> String? {
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
        if let password = config.password { parts.append("password=\(quoted(password))") }
        return parts.joined(separator: " ")
    }
}
