extension RequestPipeline {
    /// The caller of request `id` was cancelled: if the request is the only one in flight, ask
    /// the server to cancel it (``PipelineAction/sendCancel``).
    ///
    /// When other requests were written behind it, the server might be running one of those by
    /// the time the cancel arrives, so the request is left to finish and its results dropped.
    /// Requests made while the cancel is under way are held until the statement has ended, for
    /// the same reason (see ``StatementCancellation``).
    package mutating func cancelRequested(_ id: RequestID) {
        guard inFlight.count == 1, inFlight.first?.id == id, !connection.isClosed else { return }
        switch progress.delivery {
        case .gathered, .handedOver, .streamEnded:
            return  // the statement has ended; only its ReadyForQuery is to come
        default:
            perform(cancellation.cancelRequested(id))
        }
    }

    /// A CancelRequest was delivered (or could not be sent).
    package mutating func cancelDelivered() {
        perform(cancellation.cancelDelivered())
    }

    /// A tick interval passed while a cancellation is under way.
    package mutating func cancelTick() {
        perform(cancellation.tick())
    }

    /// The request being cancelled, if any.
    package var requestBeingCancelled: RequestID? { cancellation.request }

    /// Carries out what the cancellation decided.
    mutating func perform(_ action: StatementCancellation.Action) {
        switch action {
        case .none:
            break
        case .sendCancel:
            emit(.sendCancel)
        case .releaseHeldRequests:
            emit(.stopCancelTicks)
            releaseHeldRequests()
        case .closeConnection:
            emit(.stopCancelTicks)
            giveUpCancelledStatement()
        }
    }

    /// The cancelled statement did not end in time: the connection closes (before the caller
    /// hears of it, so that it finds the connection closed), its caller learns that the outcome
    /// is unknown, and whatever else waits fails.
    private mutating func giveUpCancelledStatement() {
        let action = connection.cancelNotConfirmed()
        guard case .failAndClose(let failure, _) = action else {
            handle(action)
            return
        }
        emit(.close(failure))
        if let head = inFlight.popFirst() {
            if head.kind == .copyIn { copyInsInFlight -= 1 }
            if case .handedOver = progress.delivery {
                // Its caller has the whole result already.
            } else {
                emit(.fail(head.id, .cancelNotConfirmed))
            }
            emit(.requestEnded(head.id))
        }
        failEverything(failure, terminate: false, alreadyClosing: true)
    }
}
