import NIOCore

extension PGPool {
    /// One executor per event loop of the pool's group, in the group's order.
    ///
    /// A task that prefers one of these runs on that event loop; the pool then lends it a
    /// connection on the same loop when one is free (or has room for a statement), so its
    /// queries need no thread hop. The pool spreads its connections evenly over the loops; spread
    /// many tasks over the executors round-robin, as a server spreads its requests over its
    /// threads.
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
        eventLoops.map { PGEventLoopExecutor.shared(for: $0) }
    }

    /// The event loop for a new connection: the one with the fewest of the pool's connections,
    /// open or opening, so that callers spread over the loops find connections on their own.
    /// (`EventLoopGroup.next()` would only rotate, and other users of the group move it.)
    /// Under the lock; the caller reports the connect's end with ``connectEnded(on:_:)``.
    func chooseEventLoop(_ state: inout State) -> Int? {
        guard !eventLoops.isEmpty else { return nil }
        if state.connectsPerLoop.count != eventLoops.count {
            state.connectsPerLoop = Array(repeating: 0, count: eventLoops.count)
        }
        var load = state.connectsPerLoop
        for connection in state.connections.values {
            let loop = connection.channel.eventLoop
            if let index = eventLoops.firstIndex(where: { $0 === loop }) { load[index] += 1 }
        }
        var chosen = 0
        for index in load.indices where load[index] < load[chosen] { chosen = index }
        state.connectsPerLoop[chosen] += 1
        return chosen
    }

    /// A connect on loop `index` (from ``chooseEventLoop(_:)``) ended, opened or failed.
    func connectEnded(on index: Int?, _ state: inout State) {
        guard let index, state.connectsPerLoop.indices.contains(index) else { return }
        state.connectsPerLoop[index] -= 1
    }
}
