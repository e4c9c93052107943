import NIOCore
import PGWire
import Synchronization

/// The rows of a result as they arrive, with backpressure: when the consumer falls behind, the
/// connection stops reading from the socket, so a result of any size streams in bounded memory.
///
/// ```swift
/// let rows = try await connection.query("SELECT id, total FROM invoices WHERE org = \(org)")
/// for try await row in rows {
///     let (id, total) = try row.decode((UUID, PGNumeric).self)
/// }
/// print(rows.commandTag ?? "")   // "SELECT 42", once iteration has finished
/// ```
///
/// Leaving the loop early is fine: the connection drops the remaining rows of this result. A
/// sequence can be iterated once.
public struct PGRowSequence: AsyncSequence, Sendable {
    public typealias Element = PGRow
    /// Where the rows come from: all already received (the statement finished within the read
    /// that started it), or a stream fed as the server sends them.
    enum Source: Sendable {
        case complete([PGRow], commandTag: String?)
        case streaming(PGStreamConsumerToken<PGRow>, PGQueryCompletion)
    }

    /// The result's columns.
    public let columns: PGColumns
    let source: Source

    /// The command tag (`"SELECT 42"`, `"UPDATE 3"`), once all rows have been read.
    public var commandTag: String? {
        switch source {
        case .complete(_, let tag): tag
        case .streaming(_, let completion): completion.commandTag
        }
    }

    /// The number of rows affected or returned, from the command tag, once all rows have been read.
    public var rowCount: Int64? {
        commandTag.flatMap { BackendMessage.CommandComplete(tag: $0).rowCount }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        switch source {
        case .complete(let rows, _): AsyncIterator(rows: rows.makeIterator(), stream: nil)
        case .streaming(let token, _): AsyncIterator(rows: nil, stream: token.buffer.makeIteratorToken())
        }
    }

    /// Reads every row into an array. Only for results known to be small.
    ///
    /// - Throws: ``PGError`` when the statement fails or the connection breaks.
    public func collect() async throws -> [PGRow] {
        if case .complete(let rows, _) = source { return rows }
        var rows: [PGRow] = []
        for try await row in self { rows.append(row) }
        return rows
    }

    /// Iterates the rows.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The rows of a complete result.
        var rows: IndexingIterator<[PGRow]>?
        /// The stream of a result still arriving.
        let stream: PGStreamConsumerToken<PGRow>?
        /// Rows taken from the stream in one go and not yet returned. Stored apart from the
        /// other properties (not in an enum payload), so that taking one mutates it in place
        /// instead of copying its storage.
        var batch = CircularBuffer<PGRow>()

        init(rows: IndexingIterator<[PGRow]>?, stream: PGStreamConsumerToken<PGRow>?) {
            self.rows = rows
            self.stream = stream
        }

        /// The next row, or `nil` after the last one. The calling task stays on its executor.
        ///
        /// - Throws: ``PGError`` when the statement fails or the connection breaks mid-result;
        ///   of kind ``PGError/Kind/cancelled`` when the task is cancelled before the last row.
        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> PGRow? {
            if rows != nil { return rows?.next() }
            if let row = batch.popFirst() { return row }
            guard let stream else { return nil }
            switch stream.buffer.takeBuffered(into: &batch) {
            case .taken:
                return batch.popFirst()
            case .end(let error):
                if let error { throw error.reportingCancellation() }
                return nil
            case .empty:
                do {
                    return try await stream.buffer.next(isolation: actor)
                } catch let error as PGError {
                    throw error.reportingCancellation()
                }
            }
        }

        /// The next row, or `nil` after the last one.
        public mutating func next() async throws -> PGRow? {
            try await next(isolation: nil)
        }
    }
}

/// What a finished statement reported, written on the event loop and read by the consumer after
/// the stream ends.
final class PGQueryCompletion: Sendable {
    private let tag = Mutex<String?>(nil)

    var commandTag: String? { tag.withLock { $0 } }

    var rowCount: Int64? {
        commandTag.flatMap { BackendMessage.CommandComplete(tag: $0).rowCount }
    }

    func complete(tag newTag: String) { tag.withLock { $0 = newTag } }
}


/// Passes a stream consumer's demand back to the connection's event loop.
struct PGStreamDelegate: Sendable {
    let eventLoop: any EventLoop
    let handler: NIOLoopBound<PGChannelHandler>
    let requestID: RequestID

    func produceMore() {
        let handler = self.handler
        let id = requestID
        eventLoop.execute { handler.value.consumerWantsMore(id) }
    }

    func didTerminate() {
        let handler = self.handler
        let id = requestID
        eventLoop.execute { handler.value.consumerTerminated(id) }
    }
}
