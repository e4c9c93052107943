import Dispatch
import NIOCore
import NIOPosix
import Synchronization

/// The entry point: runs ``BenchCommand`` in a task while the main thread waits.
///
/// Not an `async` main, whose main thread runs Dispatch's main queue: valgrind stops with an
/// internal error on that thread at startup, and `Scripts/bench-instructions.sh` counts each
/// workload's instructions under valgrind. No workload runs on the main actor, so nothing
/// waits for the main thread.
@main
enum BenchMain {
    /// Whether `--nio-global-executor` made NIO's event loops Swift's global executor: it must
    /// happen before the first task, so here rather than in the command.
    static let installedNIOGlobalExecutor = Atomic(false)

    static func main() {
        if CommandLine.arguments.contains("--nio-global-executor") {
            installedNIOGlobalExecutor.store(
                NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor(),
                ordering: .relaxed)
        }
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            await BenchCommand.main()
            finished.signal()
        }
        finished.wait()
    }
}
