import Foundation

/// What a finished child process printed (standard output and error together) and its status.
struct SubprocessResult: Sendable {
    let status: Int32
    let output: String

    /// The last lines of the output, for error messages.
    var tail: String {
        output.split(separator: "\n").suffix(5).joined(separator: " | ")
    }
}

/// Runs a program to completion on a background thread, so the cooperative pool stays free.
///
/// - Throws: ``BenchError`` when the program cannot be started.
func runSubprocess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> SubprocessResult {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if let environment {
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            }
            // One pipe for both streams: the output is small, and reading it to the end before
            // waiting cannot deadlock on a full second pipe.
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: BenchError("could not start \(executable): \(error)"))
                return
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: SubprocessResult(
                status: process.terminationStatus, output: String(decoding: data, as: UTF8.self)))
        }
    }
}

/// The absolute path of `name` on `PATH`, or `nil`.
func findOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
