extension RequestPipeline {
    /// The caller of request `id` was cancelled.
    ///
    /// - A request not written yet is taken out and fails as never sent.
    /// - The only request in flight, still running: the server is asked to cancel it
    ///   (``PipelineAction/sendCancel``); its caller hears the statement's own end when that
    ///   comes soon, and is let go at the first cancel tick otherwise, told that the outcome is
    ///   not known (``RequestFailure/cancelled(requestWasSent:)``), while the cancellation goes
    ///   on (see ``StatementCancellation``).
    /// - The oldest request in flight, still running, with others behind it that can run again
    ///   (single statements with a Sync of their own, ``InFlightRequest/canRunAgain``): the
    ///   server is asked to cancel it as above. The cancel may arrive after the statement ended
    ///   and stop the next one instead; that one, if it fails with `query_canceled` outside a
    ///   transaction (its own rolled back, nothing of it handed over), is written again once
    ///   the cancellation is over, and its caller never hears of it.
    /// - The same when the requests behind it that cannot run again were all let go already
    ///   (their callers cancelled too, as a pipeline with a Sync after each statement cancels
    ///   its statements, the last first): a cancel that stops one of them stops what nobody
    ///   waits for any more.
    /// - A request with others in flight before it, or with one behind it that cannot run
    ///   again and whose caller still waits: a cancel could stop another caller's statement
    ///   for good, so none is sent; its caller is let go at once (outcome not known) and its
    ///   answer dropped when it comes.
    ///
    /// A caller that has its result, a stream or a COPY is not let go here (a stream's consumer
    /// ends it; a COPY's data is its caller's to end).
    package mutating func cancelRequested(_ id: RequestID) {
        guard !connection.isClosed else { return }
        if removeHeld(id) {
            emit(.fail(id, .cancelled(requestWasSent: false)))
            emit(.requestEnded(id))
            releaseHeldRequests()
            return
        }
        guard let head = inFlight.first else { return }
        guard head.id == id else {
            if let request = inFlight.first(where: { $0.id == id }), request.canBeLetGo, abandoned.insert(id).inserted {
                emit(.fail(id, .cancelled(requestWasSent: true)))
            }
            return
        }
        switch progress.delivery {
        case .waiting, .gathering, .streaming, .copyStreaming, .consumerGone, .failed, .retryWhenIdle:
            break
        case .gathered, .handedOver, .streamEnded, .abandoned, .copyFailed:
            return  // the statement has ended, or its caller was let go already
        }
        if inFlight.dropFirst().allSatisfy({ $0.canRunAgain || abandoned.contains($0.id) }) {
            perform(cancellation.cancelRequested(id))
        } else {
            letGoOfHead()
        }
    }

    /// The caller of the head request stops waiting, told that the outcome is not known, if it
    /// has nothing of its result yet.
    private mutating func letGoOfHead() {
        guard let head = inFlight.first, head.canBeLetGo else { return }
        switch progress.delivery {
        case .waiting, .gathering, .failed, .retryWhenIdle:
            pendingRows.removeAll()
            progress.delivery = .abandoned
            emit(.fail(head.id, .cancelled(requestWasSent: true)))
        default:
            break
        }
    }

    /// A CancelRequest was delivered (or could not be sent).
    package mutating func cancelDelivered() {
        perform(cancellation.cancelDelivered())
    }

    /// A tick interval passed while a cancellation is under way: at the first, the cancelled
    /// caller stops waiting (see ``cancelRequested(_:)``).
    package mutating func cancelTick() {
        let cancelled = cancellation.request
        perform(cancellation.tick())
        if let cancelled, cancellation.isActive, inFlight.first?.id == cancelled { letGoOfHead() }
    }

    /// The request being cancelled, if any.
    package var requestBeingCancelled: RequestID? { cancellation.request }

    /// Carries out what the cancellation decided.
    mutating func perform(_ action: StatementCancellation.Action) {
        switch action {
        case .none:
            break
        case .sendCancel:
            for request in inFlight where request.id != cancellation.request {
                exposedToCancel.insert(request.id)
            }
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
            if !progress.delivery.callerWasTold { emit(.fail(head.id, .cancelNotConfirmed)) }
            emit(.requestEnded(head.id))
            // What is known of the given-up statement's answer is not the next one's: each
            // request behind it fails with the connection.
            progress = HeadProgress()
        }
        failEverything(failure, terminate: false, alreadyClosing: true)
    }
}
