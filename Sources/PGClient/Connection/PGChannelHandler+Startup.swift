import NIOCore
import NIOSSL
import PGWire

extension PGChannelHandler {
    /// Performs an action of the connection itself: startup, TLS, notifications and parameters.
    func performConnectionAction(_ action: ConnectionAction) {
        guard let context else { return }
        switch action {
        case .sendSSLRequest:
            awaitingSSLResponse = true
            send(.sslRequest, context: context)
        case .startTLSHandshake:
            startTLS(context: context)
        case .sendMessage(let message):
            send(message, context: context)
        case .connected:
            shared.connected(pipeline.connection)
            connectPromise?.succeed(NIOLoopBound(self, eventLoop: context.eventLoop))
            connectPromise = nil
        case .notification(let notification):
            shared.deliver(notification: notification)
        case .parameterStatus(let status):
            shared.update { $0.serverParameters[status.name] = status.value }
        default:
            break
        }
    }

    func send(_ message: FrontendMessage, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        do {
            try message.encode(into: &buffer)
        } catch {
            // Only user-given strings (user name, password, parameters) can fail here.
            connectPromise?.fail(PGError(.configuration, message: "\(error)", requestWasSent: false))
            connectPromise = nil
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private func startTLS(context: ChannelHandlerContext) {
        guard let tls else {
            feed { $0.connectionClosed() }
            return
        }
        do {
            let handler = try NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverHostname)
            try context.pipeline.syncOperations.addHandler(handler, position: .before(self))
        } catch {
            connectPromise?.fail(PGError(.tls, message: "\(error)", requestWasSent: false))
            connectPromise = nil
            context.close(promise: nil)
        }
    }

    /// The TLS handshake finished: check the server's name, then start the session.
    func tlsHandshakeCompleted(context: ChannelHandlerContext) {
        let tlsHandler = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
        if let error = tls?.checkPeer(of: tlsHandler) {
            connectPromise?.fail(error)
            connectPromise = nil
            context.close(promise: nil)
            return
        }
        let certificate = try? tlsHandler?.peerCertificate?.toDERBytes()
        let version = tlsHandler?.tlsVersion.map(PGTLSSetup.name(of:))
        shared.update { $0.tlsVersion = version }
        feed { $0.tlsHandshakeCompleted(serverCertificateDER: certificate) }
    }
}
