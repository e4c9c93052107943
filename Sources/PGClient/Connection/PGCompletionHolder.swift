/// A request's result object — ``PGPendingResult``, ``PGSimpleResult``, ``PGPendingValue`` —
/// which keeps its ``PGCompletion`` and answers for it: what each of them does with its result
/// is written once, here.
///
/// Each is a final class, so these calls are dispatched statically and specialized for its
/// value, as if each class had written them.
protocol PGCompletionHolder<Value>: PGPollableResult {
    /// The result's completion, read in place (a noncopyable value is borrowed, never copied).
    var completion: PGCompletion<Value> { get }
}

extension PGCompletionHolder {
    /// Whether the result has been completed; never waits.
    var isCompleted: Bool { completion.isCompleted }

    /// Completes with `result`; a second completion is ignored (``PGCompletion/complete(_:)``).
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
    func whenComplete(_ callback: @escaping PGCompletion<Value>.Callback) { completion.whenComplete(callback) }

    /// Waits for the result, without cancelling the request when the calling task is cancelled
    /// (a caller's statement waits through ``PGConnection/wait(for:)``, which does): for the end
    /// of a COPY FROM STDIN, which the client's own CopyDone or CopyFail brings.
    ///
    /// - Throws: the error the request failed with.
    func value() async throws -> Value {
        try await withUnsafeThrowingContinuation { completion.resumeWhenComplete($0) }
    }
}
