import Foundation

/// Runs ``Command``s with Foundation's `Process`.
///
/// Output goes to files rather than pipes, so nothing can block on a full pipe.
///
/// Only for programs that leave nothing running behind them: on Linux, `Process` learns that a
/// child exited when a socket it passed down gets closed, and a daemon the child forks inherits that
/// socket (swift-corelibs-foundation#4795), so `pg_ctl start` would never "finish". The server is
/// therefore started directly, see ``ServerController``. A timeout kills with SIGKILL because
/// `Process` children may start with SIGTERM blocked (swift-corelibs-foundation#4772).
enum CommandRunner {
    /// Runs `command` to completion, terminating it after `timeout`. A non-zero exit is not an error
    /// here; callers decide what a status means. A child that exited without Foundation reporting
    /// it is found after `timeout` and reported with ``unknownStatus``, so no run waits forever.
    static func run(
        _ command: Command,
        timeout: Duration
    ) async throws(PGLocalClusterError) -> CommandResult {
        let launch = try PreparedLaunch(command)
        defer { launch.cleanUp() }
        let timedOut = LockedValue(false)
        let timer = LockedValue<Task<Void, Never>?>(nil)
        defer { timer.withLock { $0?.cancel() } }
        let process = launch.process
        let status: Int32
        do {
            status = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let resumed = LockedValue(false)
                    let resumeOnce: @Sendable (Result<Int32, any Error>) -> Void = { result in
                        let first = resumed.withLock { done in
                            defer { done = true }
                            return !done
                        }
                        if first { continuation.resume(with: result) }
                    }
                    process.terminationHandler = { finished in
                        resumeOnce(.success(finished.terminationStatus))
                    }
                    do {
                        try process.run()
                    } catch {
                        resumeOnce(.failure(error))
                        return
                    }
                    launch.closeParentHandles()
                    let watchdog = Task {
                        guard (try? await Task.sleep(for: timeout)) != nil else { return }
                        let pid = process.processIdentifier
                        if Self.hasExited(pid) {
                            // Exited, and Foundation did not notice: a child started meanwhile by
                            // another `Process` inherited the socket through which it learns of the
                            // exit (swift-corelibs-foundation#4795). Its status is not ours to
                            // reap; it counts as failed, and the caller decides.
                            resumeOnce(.success(Self.unknownStatus))
                            return
                        }
                        guard process.isRunning else { return }
                        timedOut.withLock { $0 = true }
                        kill(pid, SIGKILL)
                        // Foundation reports the kill at once, unless it misses it as above.
                        try? await Task.sleep(for: .seconds(2))
                        resumeOnce(.success(Self.unknownStatus))
                    }
                    timer.withLock { $0 = watchdog }
                }
            } onCancel: {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        } catch {
            throw .commandFailed(
                command: command.commandLine, status: -1, output: "\(error)")
        }
        if timedOut.withLock({ $0 }) {
            throw .commandTimedOut(command: command.commandLine, timeout: timeout)
        }
        return launch.result(status: status)
    }

    /// The status reported for a child whose exit Foundation did not report.
    static let unknownStatus: Int32 = -1

    /// Whether child `pid` has exited but not been reaped (a zombie: state `Z` in
    /// `/proc/<pid>/stat`); `false` where there is no `/proc`.
    static func hasExited(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return false }
        // The state follows the command name, which is in parentheses and may hold spaces.
        return stat[stat.index(after: end)...].split(separator: " ").first == "Z"
    }

    /// Runs `command` and blocks the calling thread until it exits. For quick programs (`pg_config`)
    /// and for `deinit`, which cannot await.
    static func runBlocking(_ command: Command) throws(PGLocalClusterError) -> CommandResult {
        let launch = try PreparedLaunch(command)
        defer { launch.cleanUp() }
        do {
            try launch.process.run()
        } catch {
            throw .commandFailed(command: command.commandLine, status: -1, output: "\(error)")
        }
        launch.closeParentHandles()
        launch.process.waitUntilExit()
        return launch.result(status: launch.process.terminationStatus)
    }
}

/// A `Process` wired to fresh output files in a private folder, ready to run.
private final class PreparedLaunch: Sendable {
    let process: Process
    private let folder: URL
    private let outputURL: URL
    private let errorURL: URL
    private let handles: [FileHandle]

    init(_ command: Command) throws(PGLocalClusterError) {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("pglocalcluster-run-\(UUID().uuidString)")
        outputURL = folder.appendingPathComponent("stdout")
        errorURL = folder.appendingPathComponent("stderr")
        let inputURL = folder.appendingPathComponent("stdin")
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try Data().write(to: outputURL)
            try Data().write(to: errorURL)
            let output = try FileHandle(forWritingTo: outputURL)
            let error = try FileHandle(forWritingTo: errorURL)
            var handles = [output, error]
            let process = command.makeProcess()
            process.standardOutput = output
            process.standardError = error
            if let input = command.standardInput {
                try Data(input.utf8).write(to: inputURL)
                let inputHandle = try FileHandle(forReadingFrom: inputURL)
                handles.append(inputHandle)
                process.standardInput = inputHandle
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            self.process = process
            self.handles = handles
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw .fileOperationFailed(path: folder.path, reason: "\(error)")
        }
    }

    /// The child has its own copies of the descriptors; ours would only leak.
    func closeParentHandles() {
        for handle in handles {
            try? handle.close()
        }
    }

    func result(status: Int32) -> CommandResult {
        CommandResult(
            status: status,
            standardOutput: Self.read(outputURL),
            standardError: Self.read(errorURL))
    }

    func cleanUp() {
        closeParentHandles()
        try? FileManager.default.removeItem(at: folder)
    }

    private static func read(_ url: URL) -> String {
        guard let data = try? Data(contentsOf: url) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
