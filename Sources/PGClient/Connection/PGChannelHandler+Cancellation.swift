import NIOCore
import PGWire

extension PGChannelHandler {
    /// The caller of request `id` was cancelled: if the request is the only one in flight, ask
    /// the server (on a separate connection, as the protocol requires) to cancel it.
    ///
    /// When other requests were written behind it, the server might be running one of those by
    /// the time the cancel arrives, so the request is left to finish and its results dropped.
    /// Requests issued while the cancel is under way are held until it has been delivered and
    /// its request has ended, for the same reason.
    func cancelRequested(_ id: RequestID) {
        guard let context, cancellation == nil, inFlight.count == 1, inFlight.first?.id == id,
            let key = machine.backendKeyData, let address = context.channel.remoteAddress
        else { return }
        cancellation = (id, false)
        logger.debug("sending CancelRequest", metadata: ["pg.request": "\(id)"])
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        PGCancelRequest.send(key: key, to: address, on: context.eventLoop).whenComplete { _ in
            handler.value.cancelDelivered()
        }
    }

    private func cancelDelivered() {
        cancellation?.delivered = true
        endCancellationIfSettled()
    }

    /// Ends the hold once the cancel was delivered and its request has ended.
    func endCancellationIfSettled() {
        guard let cancellation, cancellation.delivered,
            !inFlight.contains(where: { $0.id == cancellation.id })
        else { return }
        self.cancellation = nil
        releaseHeldRequests()
    }
}
