import NIOCore
public import PGWire
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
        case complete(PGElementQueue<BackendMessage.DataRow>, commandTag: String?)
        case streaming(PGStreamConsumerToken<BackendMessage.DataRow>, PGQueryCompletion)
    }

    /// The result's columns.
    public let columns: PGColumns
    let source: Source
    /// The statement's observation, ended when the rows end (`nil` when nothing observes it).
    let observer: PGOperationObserver?

    init(columns: PGColumns, source: Source, observer: PGOperationObserver?) {
        self.columns = columns
        self.source = source
        self.observer = observer
    }

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
        case .complete(let rows, _): AsyncIterator(columns: columns, batch: rows, stream: nil, observer: observer)
        case .streaming(let token, _):
            AsyncIterator(
                columns: columns, batch: PGElementQueue(), stream: token.buffer.makeIteratorToken(), observer: observer)
        }
    }

    /// Reads every row into an array. Only for results known to be small.
    ///
    /// - Throws: ``PGError`` when the statement fails or the connection breaks.
    nonisolated(nonsending) public func collect() async throws -> [PGRow] {
        if let rows = collectedIfComplete() { return rows }
        return try await collectStreaming()
    }

    /// ``collect()`` for rows still streaming in. Apart, so that its iterator takes no room in
    /// the async frame of every `collect()`.
    nonisolated(nonsending) private func collectStreaming() async throws -> [PGRow] {
        var rows: [PGRow] = []
        for try await row in self { rows.append(row) }
        return rows
    }

    /// Every row, without waiting, when the whole result has arrived (the observation then
    /// ends); `nil` when the rows are still streaming in.
    func collectedIfComplete() -> [PGRow]? {
        guard case .complete(let queue, _) = source else { return nil }
        let rows = queue.rows(columns: columns)
        observer?.end(nil)
        return rows
    }

    /// Iterates the rows.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// The result's columns, which every row shares.
        @usableFromInline let columns: PGColumns
        /// The stream of a result still arriving (`nil` when the result was complete).
        let stream: PGStreamConsumerToken<BackendMessage.DataRow>?
        /// Rows received and not yet returned: all of a complete result, or those taken from
        /// the stream in one go. Taking one moves it out, without retaining its references.
        @usableFromInline var batch: PGElementQueue<BackendMessage.DataRow>
        /// The statement's observation, ended with the last row or the error.
        let observer: PGOperationObserver?

        init(
            columns: PGColumns, batch: PGElementQueue<BackendMessage.DataRow>,
            stream: PGStreamConsumerToken<BackendMessage.DataRow>?, observer: PGOperationObserver?
        ) {
            self.columns = columns
            self.batch = batch
            self.stream = stream
            self.observer = observer
        }

        /// The next row, or `nil` after the last one. The calling task stays on its executor.
        ///
        /// - Throws: ``PGError`` when the statement fails or the connection breaks mid-result;
        ///   of kind ``PGError/Kind/cancelled`` when the task is cancelled before the last row.
        // Inlinable, with the rows already received returned here: a call into another module
        // with an `isolated` parameter switches executors on entry (`swift_task_switch`), which
        // for a task with an executor preference took a lock per row. Inlined, the switch
        // happens only when the slow path runs.
        //
        // The end of a result that arrived whole is found here too, by a synchronous call:
        // otherwise every statement's last `next()` would switch executors just to return nil.
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> PGRow? {
            if let row = batch.popFirst() { return PGRow(dataRow: row, columns: columns) }
            if endedWithoutStream() { return nil }
            return try await nextFromStream(isolation: actor)
        }

        /// The next row, or `nil` after the last one.
        public mutating func next() async throws -> PGRow? {
            try await next(isolation: nil)
        }

        /// Whether the rows have ended because the result arrived whole (no stream) and all of
        /// it has been returned; the observation then ends.
        @usableFromInline
        func endedWithoutStream() -> Bool {
            guard stream == nil else { return false }
            observer?.end(nil)
            return true
        }

        /// Takes the rows buffered by the connection, or waits for more.
        @usableFromInline
        mutating func nextFromStream(isolation actor: isolated (any Actor)?) async throws -> PGRow? {
            guard let stream else {
                observer?.end(nil)
                return nil
            }
            switch stream.buffer.takeBuffered(into: &batch) {
            case .taken:
                return batch.popFirst().map { PGRow(dataRow: $0, columns: columns) }
            case .end(let error):
                if let error { throw ended(error.reportingCancellation()) }
                observer?.end(nil)
                return nil
            case .empty:
                do {
                    guard let row = try await stream.buffer.next(isolation: actor) else {
                        observer?.end(nil)
                        return nil
                    }
                    return PGRow(dataRow: row, columns: columns)
                } catch let error as PGError {
                    throw ended(error.reportingCancellation())
                } catch {
                    observer?.end(error)
                    throw error
                }
            }
        }

        /// Ends the observation with `error`, and returns it to be thrown.
        private func ended(_ error: PGError) -> PGError {
            observer?.end(error)
            return error
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
    let handler: NIOLoopBound<PGChannelHandler>
    let requestID: RequestID

    func produceMore() {
        let handler = self.handler
        let id = requestID
        handler.eventLoop.execute { handler.value.consumerWantsMore(id) }
    }

    func didTerminate() {
        let handler = self.handler
        let id = requestID
        handler.eventLoop.execute { handler.value.consumerGone(id) }
    }
}
