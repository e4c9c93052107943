import NIOCore
import PGWire

/// A unit of work written into the channel by ``PGConnection`` and carried out by
/// ``PGChannelHandler`` on the event loop.
struct PGRequest: Sendable {
    enum Kind: Sendable {
        /// An extended-protocol statement whose rows stream back.
        case query(PGQuery, promise: EventLoopPromise<PGRowSequence>)
        /// A simple query, all of whose results are collected.
        case simple(String, promise: EventLoopPromise<[PGResultSet]>)
    }

    /// Chosen by the connection, so that a caller can name its request (to cancel it) before
    /// the event loop has seen it.
    let id: RequestID
    let kind: Kind

    /// The SQL text, for errors.
    var sql: String {
        switch kind {
        case .query(let query, _): query.sql
        case .simple(let sql, _): sql
        }
    }

    /// What the state machine must expect in answer.
    var machineRequest: QueryRequest {
        switch kind {
        case .query: .extended(.parseBindDescribeExecute)
        case .simple: .simple
        }
    }

    /// Writes the request's messages into `buffer`; on failure the buffer is left as it was.
    func encode(into buffer: inout ByteBuffer) throws(PGWireError) {
        let start = buffer.writerIndex
        do {
            switch kind {
            case .query(let query, _):
                try FrontendMessage.parse(.init(statementName: "", query: query.sql, parameterTypes: query.bindings.dataTypes))
                    .encode(into: &buffer)
                try FrontendMessage.Bind.write(
                    into: &buffer, portalName: "", statementName: "", parameterFormats: query.bindings.formats,
                    parameterCount: query.bindings.count, resultFormats: [.binary]
                ) { body in
                    body.writeImmutableBuffer(query.bindings.bytes)
                }
                try FrontendMessage.describe(.init(.portal)).encode(into: &buffer)
                try FrontendMessage.execute(.init()).encode(into: &buffer)
                try FrontendMessage.sync.encode(into: &buffer)
            case .simple(let sql, _):
                try FrontendMessage.query(.init(sql: sql)).encode(into: &buffer)
            }
        } catch {
            buffer.moveWriterIndex(to: start)
            throw error
        }
    }

    /// Fails the request's promise.
    func fail(_ error: PGError) {
        switch kind {
        case .query(_, let promise): promise.fail(error)
        case .simple(_, let promise): promise.fail(error)
        }
    }
}
