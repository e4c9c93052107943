/// Why a ``PGLocalCluster`` could not be set up, started, stopped or queried.
///
/// Every case that involves the server carries what it printed (stderr or the tail of its log), so a
/// failing test shows the cause without anyone having to find the temporary folder.
///
/// ```swift
/// do {
///     let cluster = try await PGLocalCluster.start()
/// } catch let error as PGLocalClusterError {
///     print(error)  // e.g. "PostgreSQL binaries not found in … Run .ci/install-postgres …"
/// }
/// ```
public enum PGLocalClusterError: Error, Hashable, CustomStringConvertible {
    /// The server binaries (`postgres`, `initdb`, `pg_ctl`, `pg_isready`) are not in `directory`.
    case binariesNotFound(directory: String, missing: [String])
    /// A helper program (`psql`, `runuser`) is not installed.
    case toolNotFound(name: String)
    /// The process runs as root but the `postgres` OS user, needed to run the server, does not exist.
    case serverAccountNotFound(name: String)
    /// A file or folder could not be created, written, read, chowned or removed.
    case fileOperationFailed(path: String, reason: String)
    /// A program exited with a non-zero status; `output` is its stderr (or stdout when stderr is empty).
    case commandFailed(command: String, status: Int32, output: String)
    /// A program did not finish in time and was terminated.
    case commandTimedOut(command: String, timeout: Duration)
    /// `pg_ctl start` failed; `logTail` is the end of the server log.
    case serverFailedToStart(reason: String, logTail: String)
    /// The server started but did not accept connections before the deadline.
    case serverNotReady(timeout: Duration, logTail: String)
    /// No free TCP port could be found (or every one found was taken before the server bound it).
    case noFreePort(reason: String)
    /// A certificate or key could not be made (swift-certificates' reason).
    case certificateFailed(what: String, reason: String)
    /// A TLS operation was asked of a cluster started with TLS off.
    case tlsDisabled
    /// The cluster was stopped with ``PGLocalCluster/stop()``; its folder is gone.
    case clusterStopped

    static let installHint =
        "Run .ci/install-postgres (as root) to install PostgreSQL and psql, put its pg_config "
        + "on PATH, or set PGWIRE_PG_BIN to a folder with the server binaries."

    /// A one-paragraph explanation, with the server's own words where there are some.
    public var description: String {
        switch self {
        case .binariesNotFound(let directory, let missing):
            return "PostgreSQL binaries not found in \(directory) (missing: "
                + "\(missing.joined(separator: ", "))). \(Self.installHint)"
        case .certificateFailed(let what, let reason):
            return "Could not make \(what): \(reason)"
        case .toolNotFound(let name):
            return "The program `\(name)` was not found. \(Self.installHint)"
        case .serverAccountNotFound(let name):
            return "Running as root, but the OS user `\(name)` that must run the server does not "
                + "exist. \(Self.installHint)"
        case .fileOperationFailed(let path, let reason):
            return "File operation on \(path) failed: \(reason)"
        case .commandFailed(let command, let status, let output):
            return "`\(command)` exited with status \(status):\n\(output)"
        case .commandTimedOut(let command, let timeout):
            return "`\(command)` did not finish within \(timeout) and was terminated."
        case .serverFailedToStart(let reason, let logTail):
            return "PostgreSQL failed to start: \(reason)\n--- server log (tail) ---\n\(logTail)"
        case .serverNotReady(let timeout, let logTail):
            return "PostgreSQL did not accept connections within \(timeout).\n"
                + "--- server log (tail) ---\n\(logTail)"
        case .noFreePort(let reason):
            return "No free TCP port on 127.0.0.1: \(reason)"
        case .tlsDisabled:
            return "The cluster was started with TLS off; there is no certificate authority."
        case .clusterStopped:
            return "The cluster has been stopped and its folder removed."
        }
    }
}
