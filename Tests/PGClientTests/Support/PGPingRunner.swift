import Foundation

/// Runs the `pgping` executable built beside the test bundle, with an environment cleared of
/// `PG*` variables so that the developer's shell cannot change what it connects to.
enum PGPingRunner {
    /// What one run printed and returned.
    struct Run: Sendable {
        let status: Int32
        let standardOutput: String
        let standardError: String
        let duration: Duration
    }

    /// The `pgping` binary in the build folder that holds the running test bundle.
    static func executablePath() throws -> String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        // On Linux the bundle is a file in the build folder; on macOS a directory inside it.
        while folder.pathComponents.count > 1 {
            let candidate = folder.appendingPathComponent("pgping").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            if folder.lastPathComponent == "debug" || folder.lastPathComponent == "release" { break }
            folder = folder.deletingLastPathComponent()
        }
        throw TestSupportError("pgping is not built next to \(testBinary.path); run `swift build` first")
    }

    /// Runs `pgping` with `arguments` and waits for it to exit.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executablePath())
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["HOME"] = "/nonexistent-pgwire-test-home"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let clock = ContinuousClock()
        let start = clock.now
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.finish() }
        try process.run()
        // Read while it runs, so a full pipe cannot block it.
        async let outputData = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        async let errorData = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }.value
        for await _ in exited.stream {}
        let duration = clock.now - start
        return Run(
            status: process.terminationStatus,
            standardOutput: String(decoding: await outputData, as: UTF8.self),
            standardError: String(decoding: await errorData, as: UTF8.self),
            duration: duration)
    }
}
