/// A simple query's SQL text and its results, all collected, completed once on the event loop
/// and awaited, polled or observed from any thread (``PGCompletion``): a transaction's BEGIN and
/// COMMIT wait for it as a query waits for its rows, without a hop to the event loop.
final class PGSimpleResult: Sendable {
    typealias Value = [PGResultSet]

    private let completion = PGCompletion<Value>()

    /// The SQL text: one or more statements.
    let sql: String

    /// A result not completed yet, for `sql`.
    init(sql: String) {
        self.sql = sql
    }

    /// Whether the result has been completed; never waits.
    var isCompleted: Bool { completion.isCompleted }

    /// Completes with `value` (``PGCompletion/complete(_:)``).
    func succeed(_ value: consuming Value) { completion.complete(.success(consume value)) }

    /// Completes with `error`.
    func fail(_ error: any Error) { completion.complete(.failure(error)) }

    /// Resumes `continuation` with the result once it is there
    /// (``PGCompletion/resumeWhenComplete(_:)``).
    func resumeWhenComplete(_ continuation: UnsafeContinuation<Value, any Error>) {
        completion.resumeWhenComplete(continuation)
    }

    /// Moves the result out, if it has been completed and no task waits for it
    /// (``PGCompletion/takeIfCompleted()``).
    func takeIfCompleted() -> Result<Value, any Error>? { completion.takeIfCompleted() }

    /// Calls `callback` with the result once it is there (``PGCompletion/whenComplete(_:)``).
    func whenComplete(_ callback: @escaping PGCompletion<Value>.Callback) { completion.whenComplete(callback) }
}
