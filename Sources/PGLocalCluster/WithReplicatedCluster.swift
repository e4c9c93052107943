/// Starts a ``PGLocalCluster`` and a streaming replica of it (``PGLocalCluster/startReplica()``),
/// runs `body` with both, and stops both (the replica first) whether `body` returns or throws.
///
/// ```swift
/// try await withReplicatedCluster { primary, replica in
///     let uri = primary.url(listing: [replica], targetSessionAttributes: "prefer-standby")
///     // connect to uri: the replica answers
/// }
/// ```
///
/// - Throws: what `body` throws (which wins over a failure to stop), or a ``PGLocalClusterError``
///   from starting or stopping either server.
public func withReplicatedCluster<Value>(
    options: PGLocalCluster.Options = PGLocalCluster.Options(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (_ primary: PGLocalCluster, _ replica: PGLocalCluster) async throws -> Value
) async throws -> Value {
    try await withLocalCluster(options: options) { primary in
        let replica = try await primary.startReplica()
        let result: Value
        do {
            result = try await body(primary, replica)
        } catch {
            try? await replica.stop()
            throw error
        }
        try await replica.stop()
        return result
    }
}
