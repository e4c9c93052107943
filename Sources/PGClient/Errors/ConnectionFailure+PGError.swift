import PGWire

extension PGError {
    /// The client's error for a connection-level failure from the state machine.
    ///
    /// - Parameter requestWasSent: whether the request this error is given to had been written.
    init(_ failure: ConnectionFailure, requestWasSent: Bool, query: String? = nil) {
        let kind: Kind
        var fields: [ResponseField: String] = [:]
        switch failure {
        case .protocolViolation, .unsupportedProtocolVersion, .unencryptedBytesAfterSSLResponse:
            kind = .protocolViolation
        case .authentication, .unsupportedAuthenticationMethod, .authenticationMethodRejected, .passwordRequired:
            kind = .authentication
        case .server(let error):
            kind = .server
            fields = error.fields
        case .tlsRefused:
            kind = .tls
        case .connectionClosed, .closedByClient, .closing, .cancelNotConfirmed:
            kind = .connectionClosed
        case .notReady:
            kind = .invalidUsage
        }
        let message = fields[.message] ?? failure.description
        self.init(kind, message: message, serverFields: fields, requestWasSent: requestWasSent, query: query)
    }
}
