import Foundation

/// pgbench with custom scripts, for the libpq side of the workloads it can express.
struct PGBench: Sendable {
    /// One pgbench invocation: a script and the flags that shape it.
    struct Invocation: Sendable {
        let script: Script
        let transactions: Int
        var mode = "prepared"
        var clients = 1
        var threads = 1
        var reconnectEachTransaction = false
        /// Statements per transaction, to turn transactions into operations.
        var statementsPerTransaction = 1

        /// How the report names this form.
        var form: String {
            var words = ["pgbench", "-M \(mode)"]
            if reconnectEachTransaction { words.append("-C") }
            if clients > 1 { words.append("-c \(clients) -j \(threads)") }
            if script == .pipeline { words.append("\\startpipeline ×\(PipelineShape.batchSize)") }
            return words.joined(separator: " ")
        }
    }

    /// The custom scripts.
    enum Script: String, Sendable, CaseIterable {
        case select1
        case parameter
        case pipeline
        case transaction

        var text: String {
            switch self {
            case .select1: "SELECT 1;\n"
            case .parameter: "\\set v random(1, 1000000)\nSELECT :v::int4;\n"
            case .transaction: "\\set v random(1, 1000000)\nBEGIN;\nSELECT :v::int4;\nCOMMIT;\n"
            case .pipeline:
                "\\set v random(1, 1000000)\n\\startpipeline\n"
                    + String(repeating: "SELECT :v::int4;\n", count: PipelineShape.batchSize)
                    + "\\endpipeline\n"
            }
        }
    }

    let executable: String
    let scriptDirectory: String
    let connectionString: String

    /// Writes the scripts into `scriptDirectory`.
    func writeScripts() throws {
        for script in Script.allCases {
            try script.text.write(toFile: path(of: script), atomically: true, encoding: .utf8)
        }
    }

    func run(_ invocation: Invocation) async -> Outcome {
        var arguments = ["-n", "-M", invocation.mode, "-f", path(of: invocation.script),
                         "-t", String(invocation.transactions),
                         "-c", String(invocation.clients), "-j", String(invocation.threads)]
        if invocation.reconnectEachTransaction { arguments.append("-C") }
        // pgbench expands a connection string in the database name position.
        arguments.append(connectionString)
        do {
            let result = try await runSubprocess(executable, arguments)
            guard result.status == 0 else { return .failed(message: "pgbench exited with \(result.status): \(result.tail)") }
            guard let (transactions, tps) = Self.parse(result.output), tps > 0 else {
                return .failed(message: "could not read pgbench's output: \(result.tail)")
            }
            return .measured(Measurement(
                ops: transactions * invocation.statementsPerTransaction, seconds: Double(transactions) / tps))
        } catch {
            return .failed(message: "\(error)")
        }
    }

    /// Reads `number of transactions actually processed: N/M` and `tps = X (…)`.
    static func parse(_ output: String) -> (transactions: Int, tps: Double)? {
        var transactions: Int?
        var tps: Double?
        for line in output.split(separator: "\n") {
            if let range = line.range(of: "number of transactions actually processed: ") {
                transactions = Int(line[range.upperBound...].prefix { $0.isNumber })
            } else if line.hasPrefix("tps = ") {
                tps = Double(line.dropFirst("tps = ".count).prefix { $0.isNumber || $0 == "." })
            }
        }
        guard let transactions, let tps else { return nil }
        return (transactions, tps)
    }

    private func path(of script: Script) -> String {
        "\(scriptDirectory)/\(script.rawValue).sql"
    }
}
