import NIOCore
import PGWire

extension PGChannelHandler {
    /// How many ticks of ``cancelTickInterval`` make the cancel timeout: the cancel is sent
    /// again on each tick while its statement runs on, and the connection is closed on the last.
    static let cancelTicks = 5

    /// The caller of request `id` was cancelled: if the request is the only one in flight, ask
    /// the server (on a separate connection, as the protocol requires) to cancel it.
    ///
    /// When other requests were written behind it, the server might be running one of those by
    /// the time the cancel arrives, so the request is left to finish and its results dropped.
    /// Requests issued while the cancel is under way are held until the statement has ended,
    /// for the same reason (see ``StatementCancellation``).
    func cancelRequested(_ id: RequestID) {
        guard context != nil, inFlight.count == 1, inFlight.first?.id == id else { return }
        perform(cancellation.cancelRequested(id))
    }

    /// Carries out what the cancellation decided.
    func perform(_ action: StatementCancellation.Action) {
        switch action {
        case .none:
            break
        case .sendCancel:
            sendCancel()
        case .releaseHeldRequests:
            stopCancelTicker()
            releaseHeldRequests()
        case .closeConnection:
            stopCancelTicker()
            giveUpCancelledStatement()
        }
    }

    private func sendCancel() {
        guard let context else { return }
        startCancelTicker(context: context)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        guard let key = machine.backendKeyData, let address = context.channel.remoteAddress else {
            // Nothing to send it with: the statement runs on until the timeout closes the
            // connection (or it ends by itself).
            context.eventLoop.execute { handler.value.perform(handler.value.cancellation.cancelDelivered()) }
            return
        }
        logger.debug("sending CancelRequest", metadata: ["pg.request": "\(cancellation.request.map { "\($0)" } ?? "?")"])
        PGCancelRequest.send(key: key, to: address, on: context.eventLoop).whenComplete { result in
            if case .failure(let error) = result {
                handler.value.logger.debug("CancelRequest not delivered", metadata: ["error": "\(error)"])
            }
            handler.value.perform(handler.value.cancellation.cancelDelivered())
        }
    }

    private func startCancelTicker(context: ChannelHandlerContext) {
        guard cancelTicker == nil else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let interval = cancelTickInterval
        cancelTicker = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            handler.value.perform(handler.value.cancellation.tick())
        }
    }

    private func stopCancelTicker() {
        cancelTicker?.cancel()
        cancelTicker = nil
    }

    /// The cancelled statement did not end in time: its caller learns that it was cancelled
    /// with an unknown outcome, and the connection closes (failing whatever waits on it).
    private func giveUpCancelledStatement() {
        guard let context else { return }
        let timeout = cancelTickInterval * Int64(Self.cancelTicks)
        logger.debug("closing the connection: a cancelled statement did not end", metadata: ["timeout": "\(timeout)"])
        // Closed before the caller hears of it, so that it finds the connection closed.
        shared.update { $0.isClosed = true }
        if let head = inFlight.first {
            head.settle(with: PGError(
                .cancelled,
                message: "the task was cancelled, and the server did not end the statement within \(timeout); the connection was closed, so the statement's outcome is not known",
                requestWasSent: true, query: head.request.sql))
        }
        run(machine.cancelNotConfirmed(), context: context)
    }
}
