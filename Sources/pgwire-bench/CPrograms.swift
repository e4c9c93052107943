import Foundation

/// The small libpq programs in `Benchmarks/`, compiled at run time with
/// `cc -O2 … -I$(pg_config --includedir) -lpq`, for the workloads pgbench cannot express.
struct CPrograms: Sendable {
    enum Program: String, Sendable, CaseIterable {
        case decode = "decode_1m"
        case insert = "insert_100k"
        case copy = "copy_100k"
        case pipelineSync = "pipeline_sync"
    }

    let binaryDirectory: String
    let connectionString: String

    /// Compiles every program into `binaryDirectory`.
    ///
    /// - Throws: ``BenchError`` saying what is missing (a C compiler, or `libpq-dev` with its
    ///   `pg_config` and `libpq-fe.h`) or how compiling failed.
    static func build(sourceDirectory: String, binaryDirectory: String, connectionString: String) async throws -> CPrograms {
        let install = "install it with `apt-get install libpq-dev` (or run .ci/install-postgres)"
        guard let compiler = findOnPath("cc") ?? findOnPath("gcc") ?? findOnPath("clang") else {
            throw BenchError("no C compiler (cc) on PATH: the libpq C programs cannot be built")
        }
        guard let pgConfig = findOnPath("pg_config") else {
            throw BenchError("libpq-dev is missing (no pg_config on PATH): \(install)")
        }
        let includeDirectory = try await runSubprocess(pgConfig, ["--includedir"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let libraryDirectory = try await runSubprocess(pgConfig, ["--libdir"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.fileExists(atPath: "\(includeDirectory)/libpq-fe.h") else {
            throw BenchError("libpq-dev is missing (no libpq-fe.h in \(includeDirectory)): \(install)")
        }
        for program in Program.allCases {
            let source = "\(sourceDirectory)/\(program.rawValue).c"
            guard FileManager.default.fileExists(atPath: source) else {
                throw BenchError("\(source) not found; pass --benchmarks-dir with the repository's Benchmarks folder")
            }
            let result = try await runSubprocess(compiler, [
                "-O2", "-o", "\(binaryDirectory)/\(program.rawValue)", source,
                "-I\(includeDirectory)", "-L\(libraryDirectory)", "-lpq",
            ])
            guard result.status == 0 else {
                throw BenchError("compiling \(program.rawValue).c failed (is libpq-dev installed?): \(result.tail)")
            }
        }
        return CPrograms(binaryDirectory: binaryDirectory, connectionString: connectionString)
    }

    /// Runs a program and reads its `RESULT ops=… seconds=… maxrss_kb=…` line.
    func run(_ program: Program, _ arguments: [String]) async -> Outcome {
        do {
            let result = try await runSubprocess(
                "\(binaryDirectory)/\(program.rawValue)", [connectionString] + arguments)
            guard result.status == 0 else { return .failed(message: "\(program.rawValue) exited with \(result.status): \(result.tail)") }
            guard let measurement = Self.parse(result.output) else {
                return .failed(message: "no RESULT line from \(program.rawValue): \(result.tail)")
            }
            return .measured(measurement)
        } catch {
            return .failed(message: "\(error)")
        }
    }

    static func parse(_ output: String) -> Measurement? {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("RESULT ") }) else { return nil }
        var fields: [Substring: Substring] = [:]
        for pair in line.split(separator: " ").dropFirst() {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard let ops = fields["ops"].flatMap({ Int($0) }), let seconds = fields["seconds"].flatMap({ Double($0) }) else {
            return nil
        }
        return Measurement(ops: ops, seconds: seconds, peakRSSKiB: fields["maxrss_kb"].flatMap { Int($0) })
    }
}
