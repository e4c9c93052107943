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
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        PGRow, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, PGRowStreamDelegate
    >

    /// The result's columns.
    public let columns: PGColumns
    let producer: Producer
    let completion: PGQueryCompletion

    /// The command tag (`"SELECT 42"`, `"UPDATE 3"`), once all rows have been read.
    public var commandTag: String? { completion.commandTag }

    /// The number of rows affected or returned, from the command tag, once all rows have been read.
    public var rowCount: Int64? { completion.rowCount }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: producer.makeAsyncIterator())
    }

    /// Reads every row into an array. Only for results known to be small.
    ///
    /// - Throws: ``PGError`` when the statement fails or the connection breaks.
    public func collect() async throws -> [PGRow] {
        var rows: [PGRow] = []
        for try await row in self { rows.append(row) }
        return rows
    }

    /// Iterates the rows.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator

        /// The next row, or `nil` after the last one.
        ///
        /// - Throws: ``PGError`` when the statement fails or the connection breaks mid-result;
        ///   of kind ``PGError/Kind/cancelled`` when the calling task was cancelled before the
        ///   last row, so that a cut-off result never passes for a complete one.
        public mutating func next() async throws -> PGRow? {
            do {
                return try await base.next()
            } catch is CancellationError {
                // The stream stops at once when the consuming task is cancelled; the connection
                // then cancels the statement and drops the rest of its rows.
                throw PGError(
                    .cancelled, message: "the task was cancelled before the last row; the rest of the result was dropped",
                    requestWasSent: true)
            } catch let error as PGError where error.sqlState == .queryCanceled && Task.isCancelled {
                var cancelled = error
                cancelled.kind = .cancelled
                throw cancelled
            }
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


/// Passes the consumer's demand from the row stream back to the connection's event loop.
struct PGRowStreamDelegate: NIOAsyncSequenceProducerDelegate {
    let eventLoop: any EventLoop
    let handler: NIOLoopBound<PGChannelHandler>
    let requestID: RequestID

    func produceMore() {
        let handler = self.handler
        let id = requestID
        eventLoop.execute { handler.value.rowConsumerWantsMore(id) }
    }

    func didTerminate() {
        let handler = self.handler
        let id = requestID
        eventLoop.execute { handler.value.rowConsumerTerminated(id) }
    }
}
