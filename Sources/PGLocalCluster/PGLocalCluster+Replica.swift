import Foundation

extension PGLocalCluster {
    /// Makes, starts and returns a streaming replica of this cluster: a hot standby on a free port
    /// of its own, copied with `pg_basebackup -R` (run as the server's account, over this
    /// cluster's Unix socket) and following this cluster through `primary_conninfo`.
    ///
    /// The replica has the same superuser and password, the same settings and `pg_hba.conf`, and
    /// serves TLS with this cluster's certificate, so one `sslrootcert` verifies both (the replica
    /// reads those files from this cluster's folder: ``stop()`` the replica first). It runs until
    /// its own ``stop()``; ``promote()`` makes it a primary.
    ///
    /// ```swift
    /// let replica = try await primary.startReplica()
    /// // postgres://postgres:…@127.0.0.1:\(primary.port),127.0.0.1:\(replica.port)/postgres?target_session_attrs=read-write
    /// try await primary.stopServer()
    /// try await replica.promote()
    /// ```
    ///
    /// - Throws: ``PGLocalClusterError``: ``PGLocalClusterError/clusterStopped`` after
    ///   ``stop()``, `pg_basebackup` missing or failing (with its output), or the replica not
    ///   starting (with its log's tail). Nothing is left running or on disk after a failure.
    public func startReplica() async throws(PGLocalClusterError) -> PGLocalCluster {
        try requireNotRemoved()
        let basebackup = tools.binDirectory + "/pg_basebackup"
        guard FileManager.default.isExecutableFile(atPath: basebackup) else {
            throw .binariesNotFound(directory: tools.binDirectory, missing: ["pg_basebackup"])
        }
        let directory = try ClusterFiles.makeTemporaryFolder(in: options.parentDirectory)
        let bootstrap = ClusterBootstrap(
            tools: tools, options: options, directory: directory, superuserPassword: superuserPassword)
        let controller = ServerController(
            tools: tools, directory: directory, dataDirectory: bootstrap.dataDirectory,
            logFilePath: bootstrap.logFilePath, timeout: options.startTimeout)
        do throws(PGLocalClusterError) {
            try tools.account.handOver(directory)
            var copy = tools.serverCommand(
                basebackup,
                [
                    "-h", socketDirectory, "-p", String(port), "-U", superuser,
                    "-D", bootstrap.dataDirectory, "-R", "-X", "stream", "-c", "fast", "--no-sync",
                ],
                in: directory)
            copy.environment = ServerTools.cleanEnvironment(adding: ["PGPASSWORD": superuserPassword])
            let result = try await CommandRunner.run(copy, timeout: .seconds(120))
            guard result.succeeded else {
                throw .commandFailed(
                    command: copy.commandLine, status: result.status, output: result.failureOutput)
            }
            let port = try await Self.startOnFreePort(
                bootstrap: bootstrap, controller: controller, requestedPort: nil,
                tls: certificateAuthority?.files, isConfigured: true)
            return PGLocalCluster(
                port: port, bootstrap: bootstrap, controller: controller,
                certificateAuthority: certificateAuthority)
        } catch {
            if FileManager.default.fileExists(atPath: bootstrap.dataDirectory + "/postmaster.pid") {
                try? await controller.stop()
            }
            try? ClusterFiles.remove(directory)
            throw error
        }
    }

    /// Promotes a standby (a cluster from ``startReplica()``) to a primary that accepts writes,
    /// with `pg_ctl promote`, and waits until it has left recovery.
    ///
    /// ```swift
    /// try await primary.stopServer()
    /// try await replica.promote()   // writes now go to the replica
    /// ```
    ///
    /// - Throws: ``PGLocalClusterError/clusterStopped`` after ``stop()``, or
    ///   ``PGLocalClusterError/commandFailed(command:status:output:)`` when the server is not a
    ///   standby or did not finish promoting in time.
    public func promote() async throws(PGLocalClusterError) {
        try requireNotRemoved()
        let command = tools.serverCommand(
            tools.pgCtl,
            ["promote", "-D", dataDirectory, "-w", "-t", String(options.startTimeout.components.seconds)],
            in: directory)
        let result = try await CommandRunner.run(command, timeout: options.startTimeout + .seconds(5))
        guard result.succeeded else {
            throw .commandFailed(
                command: command.commandLine, status: result.status, output: result.failureOutput)
        }
    }

    /// Whether the server is a standby in recovery (`pg_is_in_recovery()`).
    ///
    /// ```swift
    /// #expect(try await replica.isInRecovery())
    /// ```
    ///
    /// - Throws: as ``psql(_:database:)``.
    public func isInRecovery() async throws(PGLocalClusterError) -> Bool {
        try await psql("SELECT pg_is_in_recovery()") == "t"
    }

    /// Waits until `replica` has replayed everything this cluster had written when it was called
    /// (its replay position reaches this cluster's current WAL insert position), so that a test reads on
    /// the replica what it just wrote here.
    ///
    /// ```swift
    /// try await primary.execute("INSERT INTO t VALUES (1)")
    /// try await primary.waitUntilReplayed(by: replica)
    /// ```
    ///
    /// - Throws: as ``psql(_:database:)``; ``PGLocalClusterError/serverNotReady(timeout:logTail:)``
    ///   (with the replica's log) when the replica is still behind after the start timeout.
    public func waitUntilReplayed(by replica: PGLocalCluster) async throws(PGLocalClusterError) {
        // The insert position: with synchronous_commit = off (these clusters' setting) a
        // commit's record may not be written yet, and the write position would not include it.
        let position = try await psql("SELECT pg_current_wal_insert_lsn()")
        let deadline = ContinuousClock.now + options.startTimeout
        while ContinuousClock.now < deadline {
            let caughtUp = try await replica.psql(
                "SELECT pg_last_wal_replay_lsn() >= '\(position)'::pg_lsn")
            if caughtUp == "t" { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw .serverNotReady(timeout: options.startTimeout, logTail: replica.logTail())
    }
}
