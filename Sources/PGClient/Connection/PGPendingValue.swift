/// The result of a request that is neither a query nor a simple query — a batch's results, a
/// COPY's start or end, a prepared statement's columns — completed once on the event loop and
/// awaited or observed from any thread (``PGCompletion``), as a query's result is: a caller off
/// the event loop waits for it without first hopping to the loop to register a callback, as an
/// `EventLoopFuture` would make it.
///
/// Generic, unlike ``PGPendingResult`` and ``PGSimpleResult``: its deinit looks up the metadata
/// of its value's type at run time, which a request that comes once per batch, COPY or
/// prepared statement can afford and one that comes with every statement could not.
final class PGPendingValue<Value: Sendable>: PGCompletionHolder, Sendable {
    let completion = PGCompletion<Value>()

    /// A result not completed yet.
    init() {}
}
