import Foundation

/// The OS account the server programs run as.
///
/// PostgreSQL refuses to run as root. When this process is root (as in CI), `initdb`, `pg_ctl` and
/// the server run as the `postgres` user through `runuser`, and the files they need are handed to
/// that user. Otherwise everything runs as ourselves and ownership never changes.
struct ServerAccount: Sendable {
    /// Set only when we are root and must switch users.
    private let switchUser: SwitchUser?

    private struct SwitchUser: Sendable {
        var name: String
        var runuser: String
        var userID: uid_t
        var groupID: gid_t
    }

    static let serverUserName = "postgres"

    /// The account for this process: `postgres` via `runuser` when root, ourselves otherwise.
    static func current() throws(PGLocalClusterError) -> ServerAccount {
        guard geteuid() == 0 else { return ServerAccount(switchUser: nil) }
        guard let ids = userIDs(of: serverUserName) else {
            throw .serverAccountNotFound(name: serverUserName)
        }
        guard
            let runuser = ExecutableLocator.firstExecutable(
                among: ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"])
        else {
            throw .toolNotFound(name: "runuser")
        }
        return ServerAccount(
            switchUser: SwitchUser(
                name: serverUserName, runuser: runuser, userID: ids.user, groupID: ids.group))
    }

    /// `executable arguments`, run as the server's account.
    func command(
        _ executable: String, _ arguments: [String], in directory: String
    ) -> Command {
        guard let switchUser else {
            return Command(executable, arguments, currentDirectory: directory)
        }
        return Command(
            switchUser.runuser, ["-u", switchUser.name, "--", executable] + arguments,
            currentDirectory: directory)
    }

    /// Gives `path` to the server's account (a no-op when we are that account).
    func handOver(_ path: String) throws(PGLocalClusterError) {
        guard let switchUser else { return }
        guard chown(path, switchUser.userID, switchUser.groupID) == 0 else {
            throw .fileOperationFailed(
                path: path, reason: "chown to \(switchUser.name): \(String(cString: strerror(errno)))")
        }
    }

    /// The user and group ids of `name`, read with the re-entrant `getpwnam_r` because tests start
    /// clusters in parallel.
    private static func userIDs(of name: String) -> (user: uid_t, group: gid_t)? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16_384)
        let status = getpwnam_r(name, &entry, &buffer, buffer.count, &found)
        guard status == 0, found != nil else { return nil }
        return (entry.pw_uid, entry.pw_gid)
    }
}
