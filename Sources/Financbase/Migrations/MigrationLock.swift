import PGClient

/// The session advisory lock that keeps two migrates of one database from running at once.
///
/// Advisory locks are per database, so migrates of different databases in one cluster do not
/// wait for each other. Being session-level, the lock outlives each migration's transaction and
/// goes away by itself if the migrating process dies and its connection closes.
enum MigrationLock {
    /// A fixed key: the ASCII bytes of "FBMIGRAT", unlikely to clash with another tool's.
    static let key: Int64 = 0x4642_4D49_4752_4154

    /// Takes the lock, waiting up to `timeout` for another holder; reports the wait once.
    ///
    /// - Throws: ``MigrationError/lockTimeout(holderPID:waitedSeconds:)`` when the wait is over.
    static func acquire(
        on connection: PGConnection, timeout: Duration,
        progress: @Sendable (MigrationProgress) -> Void
    ) async throws {
        let taken = try await connection.query("SELECT pg_try_advisory_lock(\(key))").collect()
        if let row = taken.first, try row.decode(Bool.self, at: 0) { return }

        let holder = try await holderPID(on: connection)
        progress(.lockWaiting(holderPID: holder))
        let milliseconds = max(1, timeout.wholeMilliseconds)
        // lock_timeout bounds the blocking wait on the server; the caller's setting comes back after.
        let previous = try await connection.query("SELECT current_setting('lock_timeout')")
            .collect()
        let previousTimeout = try previous.first?.decode(String.self, at: 0) ?? "0"
        try await connection.execute(
            "SELECT set_config('lock_timeout', \(String(milliseconds) + "ms"), false)")
        let waitError: (any Error)?
        do {
            try await connection.execute("SELECT pg_advisory_lock(\(key))")
            waitError = nil
        } catch {
            waitError = error
        }
        if !connection.isClosed {
            try await connection.execute(
                "SELECT set_config('lock_timeout', \(previousTimeout), false)")
        }
        if let error = waitError as? PGError, error.sqlState == .lockNotAvailable {
            throw MigrationError.lockTimeout(
                holderPID: try await holderPID(on: connection) ?? holder,
                waitedSeconds: Double(milliseconds) / 1000)
        }
        if let waitError { throw waitError }
    }

    /// Gives the lock back; a closed connection has already given it back.
    static func release(on connection: PGConnection) async {
        guard !connection.isClosed else { return }
        do {
            try await connection.execute("SELECT pg_advisory_unlock(\(key))")
        } catch {
            connection.logger.warning(
                "could not release the migration lock", metadata: ["error": "\(error)"])
        }
    }

    /// The backend that holds the lock in this database, if any.
    private static func holderPID(on connection: PGConnection) async throws -> Int32? {
        // A bigint key shows in pg_locks as classid (high half), objid (low half), objsubid 1.
        let rows = try await connection.query(
            """
            SELECT pid FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 1
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND classid::bigint = \(key >> 32) AND objid::bigint = \(key & 0xFFFF_FFFF)
            LIMIT 1
            """
        ).collect()
        return try rows.first?.decode(Int32.self, at: 0)
    }
}
