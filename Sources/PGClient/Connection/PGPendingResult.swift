import NIOCore
import PGWire

/// A query and its result (its rows), completed once on the event loop and awaited, polled or
/// observed from any thread (``PGCompletion``).
///
/// The query rides here, in the object its caller allocates anyway, rather than beside it in
/// the request: a request is then one reference for the event loop to take apart, and its
/// query is read where it is kept instead of copied out of the request each time.
final class PGPendingResult: Sendable {
    typealias Value = PGRowSequence
    typealias Callback = PGCompletion<Value>.Callback

    private let completion = PGCompletion<Value>()

    /// Whether the result has been completed; never waits.
    var isCompleted: Bool { completion.isCompleted }

    /// The statement whose result this is.
    let query: PGQuery

    /// The statement as the request pipeline plans it, read in place: reading it through
    /// `query` from outside copies the whole query first.
    var statementSpec: StatementSpec { query.statementSpec }

    /// Writes the statement as `write` plans it, with its Sync, reading the query in place (for
    /// the reason above).
    func write(_ write: StatementWrite, into out: inout ByteBuffer) throws(PGWireError) {
        try write.write(query.bindings, sql: query.sql, into: &out, sync: true)
    }

    /// A result not completed yet, for `query`.
    init(query: PGQuery) {
        self.query = query
    }

    /// Completes with `result` (``PGCompletion/complete(_:)``).
    func complete(_ result: consuming Result<Value, any Error>) { completion.complete(consume result) }

    /// Completes with `value`.
    func succeed(_ value: consuming Value) { complete(.success(consume value)) }

    /// Completes with `error`.
    func fail(_ error: any Error) { complete(.failure(error)) }

    /// Resumes `continuation` with the result once it is there
    /// (``PGCompletion/resumeWhenComplete(_:)``).
    func resumeWhenComplete(_ continuation: UnsafeContinuation<Value, any Error>) {
        completion.resumeWhenComplete(continuation)
    }

    /// Moves the result out, if it has been completed and no task waits for it
    /// (``PGCompletion/takeIfCompleted()``).
    func takeIfCompleted() -> Result<Value, any Error>? { completion.takeIfCompleted() }

    /// The result, if it has been completed; never waits.
    func resultIfCompleted() -> Result<Value, any Error>? { completion.resultIfCompleted() }

    /// Calls `callback` with the result once it is there (``PGCompletion/whenComplete(_:)``).
    func whenComplete(_ callback: @escaping Callback) { completion.whenComplete(callback) }
}
