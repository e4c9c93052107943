public import NIOCore

/// Runs Swift tasks on a connection's event loop, so that code which prefers it talks to the
/// connection without crossing threads.
///
/// A query from a task on Swift's global executor crosses threads twice: to the event loop to
/// write, and back when the result arrives. A task that prefers this executor is already on the
/// event loop: the write happens in place and the result resumes it on the same thread.
///
/// ```swift
/// try await withTaskExecutorPreference(connection.executor) {
///     for id in ids { try await connection.execute("UPDATE jobs SET done = true WHERE id = \(id)") }
/// }
/// ```
///
/// Keep CPU-heavy work off it: everything on the executor delays the connection's I/O.
public final class PGEventLoopExecutor: TaskExecutor, Sendable {
    /// The event loop jobs run on.
    public let eventLoop: any EventLoop

    /// Wraps an event loop.
    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute {
            job.runSynchronously(on: executor)
        }
    }
}

extension PGConnection {
    /// An executor on this connection's event loop, for `withTaskExecutorPreference`.
    public var executor: PGEventLoopExecutor { PGEventLoopExecutor(eventLoop: channel.eventLoop) }
}
