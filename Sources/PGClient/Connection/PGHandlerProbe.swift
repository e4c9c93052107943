import Logging
package import NIOCore
import PGWire

/// The connection's handler without a socket, for this package's benchmarks: a query's way
/// through the shell and the request pipeline (the statement cache, encoding, decoding the
/// server's answer, handing the rows over), on a channel that its user drives by hand (an
/// `EmbeddedChannel`), so that the driver's own work per statement can be measured apart from
/// the network, the server and thread hops.
///
/// Everything runs on the channel's event loop, as for a caller pinned there.
package final class PGHandlerProbe {
    private let handler: PGChannelHandler
    private var lastID: UInt64 = 0

    /// Succeeds once the handler has read the server's answer to its startup.
    package let connected: EventLoopFuture<Void>

    /// Adds a handler to `channel`'s pipeline, with a statement cache of `statementCacheCapacity`
    /// entries. Call on the channel's event loop, before the channel becomes active.
    ///
    /// - Throws: what adding a handler to the pipeline throws.
    package init(addingTo channel: any Channel, statementCacheCapacity: Int = 64) throws {
        let promise = channel.eventLoop.makePromise(of: NIOLoopBound<PGChannelHandler>.self)
        handler = PGChannelHandler(
            settings: ConnectionSettings(user: "probe", database: "probe", tls: .disable), tls: nil,
            shared: PGConnectionShared(), logger: Logger(label: "pgwire.probe"), connectPromise: promise,
            statementCacheCapacity: statementCacheCapacity)
        try channel.pipeline.syncOperations.addHandler(handler)
        connected = promise.futureResult.map { _ in }
    }

    /// Writes `query` as ``PGConnection/query(_:logger:)`` does for a caller on the event loop;
    /// its rows are there once the channel has read the server's answer.
    package func query(_ query: consuming PGQuery) -> PGProbeResult {
        let result = PGPendingResult(query: query)
        lastID += 1
        handler.submitAndFlush(PGRequest(id: RequestID(lastID), kind: .query(result)))
        return PGProbeResult(pending: result)
    }
}

/// A probe's query: its rows once the answer has been read.
package struct PGProbeResult {
    fileprivate let pending: PGPendingResult

    /// The rows, `nil` while the answer has not been read in full.
    ///
    /// - Throws: the query's error.
    package func rows() throws -> [PGRow]? {
        try pending.resultIfCompleted()?.get().collectedIfComplete()
    }
}
