import Foundation
@testable import PGLocalCluster
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A child's exit is found even when Foundation does not report it, so no command waits forever.
@Suite("Command runner")
struct CommandRunnerTests {
    /// Starts `/bin/sh -c script` without Foundation, which then never reaps it.
    static func spawn(_ script: String) throws -> pid_t {
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", script]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let status = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        try #require(status == 0)
        return pid
    }

    @Test func aChildThatExitedIsFoundAndARunningOneIsNot() async throws {
        let running = try Self.spawn("sleep 30")
        let exiting = try Self.spawn("exit 3")
        defer {
            kill(running, SIGKILL)
            var status: Int32 = 0
            waitpid(running, &status, 0)
        }
        // The exiting child becomes a zombie: exited, not reaped.
        var found = false
        for _ in 0..<500 where !found {
            found = CommandRunner.hasExited(exiting)
            if !found { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(found)
        #expect(!CommandRunner.hasExited(running))
        var status: Int32 = 0
        #expect(waitpid(exiting, &status, 0) == exiting)
        // Reaped, it is gone: no longer a child that exited.
        #expect(!CommandRunner.hasExited(exiting))
    }
}
