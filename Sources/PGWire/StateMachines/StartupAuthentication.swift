/// The authentication part of startup: answers each Authentication request from the server and
/// decides whether AuthenticationOk may be believed.
///
/// It enforces the client's side of the bargain: a SCRAM exchange only succeeds once the server's
/// final signature is verified; `channel_binding=require` accepts nothing but SCRAM-SHA-256-PLUS;
/// `require_auth` refuses every method it does not list, including none at all.
struct StartupAuthentication: Sendable {
    enum Phase: Sendable {
        /// Waiting for the first Authentication request.
        case awaitingRequest
        /// A cleartext or MD5 password was sent; waiting for the verdict.
        case awaitingPasswordOutcome
        /// SASLInitialResponse sent; waiting for the server-first-message.
        case scramAwaitingContinue(SCRAMSHA256)
        /// SASLResponse sent; waiting for the server-final-message.
        case scramAwaitingFinal(SCRAMSHA256)
        /// The server's signature checked out; waiting for AuthenticationOk.
        case scramVerified
    }

    /// What to do after an Authentication message.
    enum Step: Hashable, Sendable {
        case send(FrontendMessage)
        case wait
        case authenticated
        case fail(ConnectionFailure)
    }

    let settings: ConnectionSettings
    /// The server's certificate when the connection uses TLS (`[]` when TLS gave none), else `nil`.
    let tlsCertificate: [UInt8]?
    private(set) var phase = Phase.awaitingRequest
    /// The method the server asked for, once it has; `.none` when it asked for none.
    private(set) var method: ConnectionSettings.AuthenticationMethod?
    /// Whether the SCRAM exchange was bound to the TLS channel.
    private(set) var channelBound = false

    init(settings: ConnectionSettings, tlsCertificate: [UInt8]?) {
        self.settings = settings
        self.tlsCertificate = tlsCertificate
    }

    mutating func receive(_ request: BackendMessage.Authentication) -> Step {
        switch (phase, request) {
        case (_, .ok):
            return authenticationSucceeded()
        case (.awaitingRequest, .cleartextPassword):
            method = .password
            return sendPassword(.password) { $0 }
        case (.awaitingRequest, .md5Password(let salt)):
            method = .md5
            let user = settings.user
            return sendPassword(.md5) { password in
                let saltBytes = withUnsafeBytes(of: salt.bigEndian) { Array($0) }
                let response = MD5Password.response(password: Array(password.utf8), username: user, salt: saltBytes)
                return String(decoding: response, as: UTF8.self)
            }
        case (.awaitingRequest, .sasl(let mechanisms)):
            method = .scramSHA256
            return startSCRAM(offered: mechanisms)
        case (.scramAwaitingContinue(var scram), .saslContinue(let data)):
            do {
                let clientFinal = try scram.receive(serverFirst: Array(data.readableBytesView))
                phase = .scramAwaitingFinal(scram)
                return .send(.saslResponse(.init(data: clientFinal)))
            } catch {
                return .fail(.authentication(error))
            }
        case (.scramAwaitingFinal(var scram), .saslFinal(let data)):
            do {
                try scram.receive(serverFinal: Array(data.readableBytesView))
                phase = .scramVerified
                return .wait
            } catch {
                return .fail(.authentication(error))
            }
        case (.awaitingRequest, .kerberosV5):
            return unsupported("Kerberos V5 (code 2)", policyName: nil)
        case (.awaitingRequest, .gss), (.awaitingRequest, .gssContinue):
            return unsupported("GSSAPI (code \(request.code))", policyName: .gss)
        case (.awaitingRequest, .sspi):
            return unsupported("SSPI (code 9)", policyName: .sspi)
        default:
            return .fail(.protocolViolation(PGWireError(
                .unexpectedMessage, message: "Authentication",
                field: "\(request.methodName) request (code \(request.code))")))
        }
    }

    private mutating func authenticationSucceeded() -> Step {
        switch phase {
        case .awaitingRequest:
            method = ConnectionSettings.AuthenticationMethod.none
            guard settings.allows(.none) else {
                return .fail(.authenticationMethodRejected(
                    "the server did not ask for authentication, and require_auth does not allow none"))
            }
            guard settings.channelBinding != .require else {
                return .fail(.authenticationMethodRejected(
                    "channel binding is required, but the server authenticated the client without it"))
            }
            return .authenticated
        case .awaitingPasswordOutcome, .scramVerified:
            return .authenticated
        case .scramAwaitingContinue, .scramAwaitingFinal:
            return .fail(.authentication(PGAuthenticationError(.incompleteExchange)))
        }
    }

    private mutating func sendPassword(
        _ kind: ConnectionSettings.AuthenticationMethod, _ transform: (String) -> String
    ) -> Step {
        if let refusal = refusal(of: kind) { return .fail(refusal) }
        guard settings.channelBinding != .require else {
            return .fail(.authenticationMethodRejected(
                "channel binding is required, but the server asked for \(kind.rawValue) authentication"))
        }
        guard let password = settings.password else { return .fail(.passwordRequired) }
        phase = .awaitingPasswordOutcome
        return .send(.password(.init(password: transform(password))))
    }

    private mutating func startSCRAM(offered mechanisms: [String]) -> Step {
        if let refusal = refusal(of: .scramSHA256) { return .fail(refusal) }
        let binding: SCRAMChannelBinding
        // An empty certificate means TLS without a certificate to bind to: no -PLUS.
        let certificate = tlsCertificate.flatMap { $0.isEmpty ? nil : $0 }
        if let certificate, settings.channelBinding != .disable, mechanisms.contains("SCRAM-SHA-256-PLUS") {
            do {
                binding = try SCRAMChannelBinding.tlsServerEndPoint(certificateDER: certificate)
            } catch {
                return .fail(.authentication(error))
            }
        } else if settings.channelBinding == .require {
            let reason = if tlsCertificate == nil {
                "the connection does not use TLS"
            } else if certificate == nil {
                "the TLS handshake gave no server certificate to bind to"
            } else {
                "the server does not offer SCRAM-SHA-256-PLUS"
            }
            return .fail(.authenticationMethodRejected("channel binding is required, but " + reason))
        } else if mechanisms.contains("SCRAM-SHA-256") {
            // "y" tells a server that can bind that this client could have: a stripped -PLUS
            // offer then fails the exchange instead of passing unnoticed.
            binding = certificate != nil && settings.channelBinding != .disable
                ? .notOfferedByServer : .notSupportedByClient
        } else {
            return .fail(.unsupportedAuthenticationMethod("SASL with mechanisms " + mechanisms.joined(separator: ", ")))
        }
        guard let password = settings.password else { return .fail(.passwordRequired) }
        let scram: SCRAMSHA256
        if let nonce = settings.scramClientNonce {
            do {
                scram = try SCRAMSHA256(password: Array(password.utf8), channelBinding: binding, clientNonce: nonce)
            } catch {
                return .fail(.authentication(error))
            }
        } else {
            scram = SCRAMSHA256(password: password, channelBinding: binding)
        }
        channelBound = binding.mechanism.hasSuffix("-PLUS")
        phase = .scramAwaitingContinue(scram)
        return .send(.saslInitialResponse(.init(mechanism: scram.mechanism, initialResponse: scram.clientFirstMessage)))
    }

    private func unsupported(_ name: String, policyName: ConnectionSettings.AuthenticationMethod?) -> Step {
        if let policyName, let refusal = refusal(of: policyName) { return .fail(refusal) }
        return .fail(.unsupportedAuthenticationMethod(name))
    }

    private func refusal(of method: ConnectionSettings.AuthenticationMethod) -> ConnectionFailure? {
        guard !settings.allows(method) else { return nil }
        let allowed = (settings.allowedAuthenticationMethods ?? []).map(\.rawValue).sorted().joined(separator: ",")
        return .authenticationMethodRejected(
            "the server asked for \(method.rawValue) authentication, but require_auth allows only \(allowed)")
    }
}
