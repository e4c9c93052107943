/// A simple query's SQL text and its results, all collected, completed once on the event loop
/// and awaited, polled or observed from any thread (``PGCompletion``): a transaction's BEGIN and
/// COMMIT wait for it as a query waits for its rows, without a hop to the event loop.
final class PGSimpleResult: PGCompletionHolder, Sendable {
    typealias Value = [PGResultSet]

    let completion = PGCompletion<Value>()

    /// The SQL text: one or more statements.
    let sql: String

    /// A result not completed yet, for `sql`.
    init(sql: String) {
        self.sql = sql
    }
}
