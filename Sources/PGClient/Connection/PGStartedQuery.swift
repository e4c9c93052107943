/// A statement of ``PGConnection/query(_:logger:)`` once written: its request, its
/// observation, and whether its caller counts as waiting off the event loop
/// (``PGConnection/Options/callerSpinBeforeSleeping``) and already polled its rows in.
struct PGStartedQuery {
    let request: PGStartedRequest<PGPendingResult>
    /// The statement's observation: the rows end it, or a failure here does.
    let observer: PGOperationObserver?
    /// Whether the caller counts as waiting off the event loop (in the connection's
    /// ``CallerSpin``), until its wait ends.
    let counted: Bool
    /// Whether polling found the rows there: ``takeAnsweredRows(_:)`` returns them.
    let answered: Bool

    /// The rows that polling found, taken from the request, with the caller's wait ended.
    ///
    /// - Throws: the statement's error, as a wait would report it.
    // Not inlined: the rows and the result they come in would take room in the query's
    // async frame. (Nothing else takes a polled result, so it is there.)
    @inline(never)
    func takeAnsweredRows(_ callerSpin: CallerSpin) throws -> PGRowSequence {
        finishWaiting(callerSpin)
        do {
            guard let result = request.result.takeIfCompleted() else { throw PGCompletion<PGRowSequence>.takenError }
            return try request.value(of: result)
        } catch {
            // The rows carry the observation; without them, it ends here.
            observer?.end(error)
            throw error
        }
    }

    /// The caller's wait ended with its rows: it no longer counts as waiting.
    func finishWaiting(_ callerSpin: CallerSpin) {
        if counted { callerSpin.finishedWaiting() }
    }

    /// The caller's wait ended with `error`: it no longer counts as waiting, and the
    /// observation ends with the error to report (``PGStartedRequest/failure(_:)``), which
    /// this returns.
    @inline(never)
    func failed(_ error: any Error, _ callerSpin: CallerSpin) -> any Error {
        finishWaiting(callerSpin)
        let error = request.failure(error)
        observer?.end(error)
        return error
    }
}
