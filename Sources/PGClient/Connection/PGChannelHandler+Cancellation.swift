import NIOCore
import PGWire

extension PGChannelHandler {
    /// Sends a CancelRequest on a connection of its own and tells the pipeline when it is
    /// delivered; ticks the pipeline's cancellation until it is over.
    func sendCancel() {
        guard let context else { return }
        startCancelTicker(context: context)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        guard let key = pipeline.connection.backendKeyData, let address = context.channel.remoteAddress else {
            // Nothing to send it with: the statement runs on until the timeout closes the
            // connection (or it ends by itself).
            context.eventLoop.execute { handler.value.feedAndFlush { $0.cancelDelivered() } }
            return
        }
        let cancelled = pipeline.requestBeingCancelled
        let logger = requestLogger(for: cancelled)
        logger.debug("sending CancelRequest", metadata: ["pg.request": "\(cancelled.map { "\($0)" } ?? "?")"])
        PGCancelRequest.send(key: key, to: address, timeout: cancelTimeout, on: context.eventLoop).whenComplete { result in
            if case .failure(let error) = result {
                logger.debug("CancelRequest not delivered", metadata: ["error": "\(error)"])
            }
            handler.value.feedAndFlush { $0.cancelDelivered() }
        }
    }

    private func startCancelTicker(context: ChannelHandlerContext) {
        guard cancelTicker == nil else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let interval = cancelTickInterval
        cancelTicker = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            handler.value.feedAndFlush { $0.cancelTick() }
        }
    }
}
