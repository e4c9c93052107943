extension PGLocalCluster {
    /// Stops the cluster when the process exits normally (`exit`, or `main` returning), as
    /// ``stop()`` does, waiting up to 30 seconds for it: for a cluster that a whole test process
    /// shares, which no test may stop, and which must not outlive the process.
    ///
    /// Clusters registered later are stopped first. A cluster stopped before the process exits is
    /// left alone then (``stop()`` is idempotent); a failure to stop at exit is ignored, as the
    /// process is ending.
    ///
    /// ```swift
    /// static let shared = Task {
    ///     let cluster = try await PGLocalCluster.start()
    ///     cluster.stopAtExit()
    ///     return cluster
    /// }
    /// ```
    public func stopAtExit() {
        ExitStops.add { [self] in try? await stop() }
    }
}

extension PGLocalPgBouncer {
    /// Stops PgBouncer and then the cluster behind it when the process exits normally, as
    /// ``PGLocalCluster/stopAtExit()`` does for a cluster.
    public func stopAtExit() {
        ExitStops.add { [self] in
            try? await stop()
            try? await cluster.stop()
        }
    }
}
