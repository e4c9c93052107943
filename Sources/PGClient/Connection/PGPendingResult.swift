import NIOCore
import PGWire

/// A query and its result (its rows), completed once on the event loop and awaited, polled or
/// observed from any thread (``PGCompletion``).
///
/// The query rides here, in the object its caller allocates anyway, rather than beside it in
/// the request: a request is then one reference for the event loop to take apart, and its
/// query is read where it is kept instead of copied out of the request each time.
final class PGPendingResult: PGCompletionHolder, Sendable {
    typealias Value = PGRowSequence

    let completion = PGCompletion<Value>()

    /// The statement whose result this is.
    let query: PGQuery

    /// The statement's observation (its request's), which its rows end.
    let observer: PGOperationObserver?

    /// The statement as the request pipeline plans it. Made with the result, on the caller's
    /// thread: the event loop, which plans the statements of all its connections one after
    /// another, then only reads it.
    let statementSpec: StatementSpec

    /// Writes the statement as `write` plans it, with its Sync, reading the query in place:
    /// reading it through `query` from outside copies the whole query first.
    func write(_ write: StatementWrite, into out: inout ByteBuffer) throws(PGWireError) {
        try write.write(query.bindings, sql: query.sql, into: &out, sync: true)
    }

    /// A result not completed yet, for `query`, observed by `observer`.
    init(query: PGQuery, observer: PGOperationObserver? = nil) {
        self.query = query
        self.statementSpec = query.statementSpec
        self.observer = observer
    }
}
