import NIOCore

extension PGPool {
    /// One executor per event loop of the pool's group, in the group's order.
    ///
    /// A task that prefers one of these runs on that event loop; the pool then lends it a
    /// connection on the same loop when one is free (or has room for a statement), so its
    /// queries need no thread hop. Spread many tasks over them round-robin, as a server spreads
    /// its requests over its threads.
    ///
    /// ```swift
    /// let executors = pool.executors
    /// try await withThrowingDiscardingTaskGroup { group in
    ///     for (index, job) in jobs.enumerated() {
    ///         group.addTask(executorPreference: executors[index % executors.count]) {
    ///             _ = try await pool.query("SELECT handle(\(job.id))")
    ///         }
    ///     }
    /// }
    /// ```
    public var executors: [PGEventLoopExecutor] {
        eventLoopGroup.makeIterator().map { PGEventLoopExecutor(eventLoop: $0) }
    }
}
