import Foundation

/// Starts, stops and probes one data directory's server with `pg_ctl` and `pg_isready`.
struct ServerController: Sendable {
    let tools: ServerTools
    let directory: String
    let dataDirectory: String
    let logFilePath: String
    let timeout: Duration
    /// The postmaster we started last (through `runuser` when root), kept to see it exit.
    let serverProcess = LockedValue<Process?>(nil)

    /// What came of one `pg_ctl start`.
    enum StartOutcome: Sendable, Equatable {
        case ready
        /// Another process bound the port first; the caller may pick another one.
        case portInUse
    }

    private static let pollInterval: Duration = .milliseconds(100)
    private static let logTailLines = 40

    /// Starts the server and waits until it accepts TCP connections on `port`.
    ///
    /// The postmaster runs as our child (through `runuser` when we are root) rather than through
    /// `pg_ctl start`, whose daemon would keep `Process` from ever seeing `pg_ctl` exit (see
    /// ``CommandRunner``). Its output goes to the log file. Ready means: still running, its
    /// `postmaster.pid` says "ready" (what `pg_ctl -w` checks), and `pg_isready` gets an answer.
    ///
    /// - Throws: ``PGLocalClusterError/serverFailedToStart(reason:logTail:)`` or
    ///   ``PGLocalClusterError/serverNotReady(timeout:logTail:)``, both with the log's tail.
    func start(port: Int) async throws(PGLocalClusterError) -> StartOutcome {
        let logOffset = ClusterFiles.size(of: logFilePath)
        let process = try launchServer()
        let deadline = ContinuousClock.now + timeout
        let probe = tools.clientCommand(
            tools.pgIsReady, ["-q", "-h", "127.0.0.1", "-p", String(port), "-t", "1"])
        while true {
            if !process.isRunning {
                if portWasTaken(since: logOffset) { return .portInUse }
                throw .serverFailedToStart(
                    reason: "postgres exited with status \(process.terminationStatus)",
                    logTail: logTail())
            }
            if postmasterReportsReady(),
                try await CommandRunner.run(probe, timeout: .seconds(5)).succeeded
            {
                // A server that lost one of its addresses (say 127.0.0.1) to another process still
                // starts on the rest; the probe may then have reached that other process.
                guard portWasTaken(since: logOffset) else { return .ready }
                try await stop()
                return .portInUse
            }
            guard ContinuousClock.now < deadline else {
                throw .serverNotReady(timeout: timeout, logTail: logTail())
            }
            try? await Task.sleep(for: Self.pollInterval)
        }
    }

    /// Stops the server: `-m fast` (ends sessions, clean shutdown), then `-m immediate` if that
    /// fails, then waits for the postmaster we started to exit, so its port is closed on return.
    /// A server that is not running counts as stopped.
    /// Stops the server: `pg_ctl stop -m fast`, then `-m immediate` if that fails; or at once
    /// with `-m immediate` (every process quits without a checkpoint, as in a crash, and the
    /// next start recovers from the WAL).
    func stop(immediately: Bool = false) async throws(PGLocalClusterError) {
        var failure: PGLocalClusterError?
        for mode in immediately ? ["immediate"] : ["fast", "immediate"] {
            let command = stopCommand(mode: mode)
            let result = try await CommandRunner.run(command, timeout: timeout + .seconds(5))
            var stopped = result.succeeded
            if !stopped { stopped = try await !isRunning() }
            if stopped {
                failure = nil
                break
            }
            failure = .commandFailed(
                command: command.commandLine, status: result.status, output: result.failureOutput)
        }
        if let failure { throw failure }
        await waitForServerExit()
    }

    /// Stops the server without awaiting, for `deinit`: no questions, `-m immediate`.
    func stopBlocking() {
        _ = try? CommandRunner.runBlocking(stopCommand(mode: "immediate"))
    }

    /// Whether a postmaster runs on this data directory (`pg_ctl status` exits 0).
    func isRunning() async throws(PGLocalClusterError) -> Bool {
        let command = tools.serverCommand(tools.pgCtl, ["status", "-D", dataDirectory], in: directory)
        return try await CommandRunner.run(command, timeout: .seconds(10)).succeeded
    }

    /// The end of the server log, for error messages.
    func logTail(lines: Int = ServerController.logTailLines) -> String {
        ClusterFiles.tail(of: logFilePath, lines: lines)
    }

    /// Runs `postgres -D <data>` as the server's account, output appended to the log file.
    private func launchServer() throws(PGLocalClusterError) -> Process {
        let process = tools.serverCommand(tools.postgres, ["-D", dataDirectory], in: directory)
            .makeProcess()
        do {
            if !FileManager.default.fileExists(atPath: logFilePath) {
                try ClusterFiles.write("", to: logFilePath, mode: 0o600)
            }
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFilePath))
            defer { try? log.close() }
            try log.seekToEnd()
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch let error as PGLocalClusterError {
            throw error
        } catch {
            throw .serverFailedToStart(reason: "could not run postgres: \(error)", logTail: logTail())
        }
        serverProcess.withLock { $0 = process }
        return process
    }

    /// Whether the log, from `offset` on, says a listen address could not be bound.
    private func portWasTaken(since offset: Int) -> Bool {
        ClusterFiles.text(of: logFilePath, from: offset).contains("Address already in use")
    }

    /// The status line of `postmaster.pid` (its 8th) is "ready" once connections are accepted.
    private func postmasterReportsReady() -> Bool {
        let lines = ClusterFiles.text(of: dataDirectory + "/postmaster.pid")
            .split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 7 && lines[7].trimmingCharacters(in: .whitespaces) == "ready"
    }

    /// Waits (briefly) until the postmaster we started has exited and been reaped.
    private func waitForServerExit() async {
        guard let process = serverProcess.withLock({ $0 }) else { return }
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        serverProcess.withLock { if $0 === process { $0 = nil } }
    }

    private func stopCommand(mode: String) -> Command {
        tools.serverCommand(
            tools.pgCtl,
            ["stop", "-D", dataDirectory, "-m", mode, "-w", "-t", String(timeout.components.seconds), "-s"],
            in: directory)
    }
}
