import NIOCore
import NIOPosix
import PGWire

/// Sends a CancelRequest on a connection of its own, as the protocol requires, and waits for
/// the server to close it (which it does after signalling the backend).
enum PGCancelRequest {
    /// How long to wait for the server to take the cancel before giving up on it.
    static let timeout = TimeAmount.seconds(5)

    static func send(
        key: BackendMessage.BackendKeyData, to address: SocketAddress, on eventLoop: any EventLoop
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
