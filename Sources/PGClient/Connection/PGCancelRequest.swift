import NIOCore
import NIOPosix
import PGWire

/// Sends a CancelRequest on a connection of its own, as the protocol requires, and waits for
/// the server to close it (which it does after signalling the backend).
enum PGCancelRequest {
    /// Sends the cancel for the backend that `key` names to `address`, and succeeds once the
    /// server has closed the connection, or fails. `timeout` bounds the connect and the wait
    /// for the close: the connection's cancel timeout, so that requests held while a cancel is
    /// on its way (it could stop a statement written after it) wait for it as long as the
    /// cancelled statement may run, and no longer.
    static func send(
        key: BackendMessage.BackendKeyData, to address: SocketAddress, timeout: TimeAmount, on eventLoop: any EventLoop
    ) -> EventLoopFuture<Void> {
        var bytes = ByteBuffer()
        do {
            try FrontendMessage.cancelRequest(.init(processID: key.processID, secretKey: key.secretKey))
                .encode(into: &bytes)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        let request = bytes
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .connect(to: address)
            .flatMap { channel in
                channel.writeAndFlush(request).flatMap {
                    let closed = channel.closeFuture
                    let deadline = eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
                    closed.whenComplete { _ in deadline.cancel() }
                    return closed
                }
            }
    }
}
