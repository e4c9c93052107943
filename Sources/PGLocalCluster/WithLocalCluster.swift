/// Starts a ``PGLocalCluster``, runs `body` with it, and stops it whether `body` returns or throws.
///
/// ```swift
/// @Test func insertsRows() async throws {
///     try await withLocalCluster { cluster in
///         try await cluster.execute("CREATE TABLE t (id int)")
///         // connect to cluster.url and test…
///     }
/// }
/// ```
///
/// - Throws: what `body` throws (which wins over a failure to stop), or a ``PGLocalClusterError``
///   from starting or stopping.
public func withLocalCluster<Value>(
    options: PGLocalCluster.Options = PGLocalCluster.Options(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (PGLocalCluster) async throws -> Value
) async throws -> Value {
    let cluster = try await PGLocalCluster.start(options: options)
    let result: Value
    do {
        result = try await body(cluster)
    } catch {
        try? await cluster.stop()
        throw error
    }
    try await cluster.stop()
    return result
}
