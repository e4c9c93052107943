import NIOCore
import Testing

@testable import PGWire

@Suite("Connection state machine: authentication")
struct AuthenticationTests {
    typealias Server = SimulatedSCRAMServer

    /// Finishes a startup whose authentication just succeeded.
    static func expectSessionStarts(_ machine: inout ConnectionStateMachine) {
        #expect(machine.receive(Backend.sessionStart).last == .connected)
        #expect(machine.isReady)
    }

    static func rejected(_ reason: String) -> ConnectionAction {
        .failAndClose(.authenticationMethodRejected(reason), failedRequests: [])
    }

    static func authenticationFailure(_ kind: PGAuthenticationError.Kind) -> ConnectionAction {
        .failAndClose(.authentication(PGAuthenticationError(kind)), failedRequests: [])
    }

    // MARK: Trust and passwords

    @Test func trustNeedsNoPassword() {
        var machine = ConnectionStateMachine.awaitingAuthentication(.plain())
        #expect(machine.messageReceived(.authentication(.ok)) == .none)
        #expect(machine.authenticationMethod == ConnectionSettings.AuthenticationMethod.none)
        Self.expectSessionStarts(&machine)
    }

    @Test func cleartextPasswordIsSentAsIs() {
        var machine = ConnectionStateMachine.awaitingAuthentication(.plain(password: "clear-secret"))
        #expect(machine.messageReceived(.authentication(.cleartextPassword)) == .sendMessage(.password(.init(password: "clear-secret"))))
        #expect(machine.messageReceived(.authentication(.ok)) == .none)
        #expect(machine.authenticationMethod == .password)
        Self.expectSessionStarts(&machine)
    }

    @Test func md5PasswordIsHashedWithUserAndSalt() {
        // "md5" + md5(md5("md5-secret" + "md5_user").hex + DE AD BE EF).hex, from Python's hashlib.
        var machine = ConnectionStateMachine.awaitingAuthentication(.plain(user: "md5_user", password: "md5-secret"))
        #expect(machine.messageReceived(.authentication(.md5Password(salt: 0xDEAD_BEEF)))
            == .sendMessage(.password(.init(password: "md58dade95ffa4606e687482aa57adb7659"))))
        #expect(machine.messageReceived(.authentication(.ok)) == .none)
        #expect(machine.authenticationMethod == .md5)
        Self.expectSessionStarts(&machine)
    }

    @Test(arguments: [
        BackendMessage.Authentication.cleartextPassword, .md5Password(salt: 1), .sasl(mechanisms: ["SCRAM-SHA-256"]),
    ])
    func missingPasswordFails(request: BackendMessage.Authentication) {
        var machine = ConnectionStateMachine.awaitingAuthentication(.plain())
        #expect(machine.messageReceived(.authentication(request)) == .failAndClose(.passwordRequired, failedRequests: []))
        #expect(machine.isClosed)
    }

    @Test func secondPasswordRequestIsAViolation() {
        var machine = ConnectionStateMachine.awaitingAuthentication(.plain(password: "pw"))
        _ = machine.messageReceived(.authentication(.cleartextPassword))
        #expect(machine.messageReceived(.authentication(.md5Password(salt: 9))) == .failAndClose(
            .protocolViolation(PGWireError(.unexpectedMessage, message: "Authentication", field: "md5 request (code 5)")),
            failedRequests: []))
    }

    // MARK: SCRAM

    @Test func scramExchangeAgainstASimulatedServer() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256")) == Server.unbound.initialResponse)
        #expect(machine.messageReceived(Server.continueMessage) == Server.unbound.response)
        #expect(machine.messageReceived(Server.unbound.final) == .none)
        #expect(machine.messageReceived(.authentication(.ok)) == .none)
        #expect(machine.authenticationMethod == .scramSHA256)
        #expect(!machine.isChannelBound)
        Self.expectSessionStarts(&machine)
    }

    @Test func scramPlusIsChosenOverTLSWhenOffered() throws {
        for policy in [ConnectionSettings.ChannelBindingPolicy.prefer, .require] {
            var machine = ConnectionStateMachine.awaitingAuthentication(
                Server.settings(channelBinding: policy), over: .tls(certificate: try Server.certificate()))
            #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")) == Server.bound.initialResponse)
            #expect(machine.messageReceived(Server.continueMessage) == Server.bound.response)
            #expect(machine.messageReceived(Server.bound.final) == .none)
            #expect(machine.messageReceived(.authentication(.ok)) == .none)
            #expect(machine.isChannelBound)
            #expect(machine.usesTLS)
            Self.expectSessionStarts(&machine)
        }
    }

    // "y,,": this client could bind, so a server that can bind too sees a stripped -PLUS offer.
    @Test func scramOverTLSWithoutPlusOfferSendsY() throws {
        var machine = ConnectionStateMachine.awaitingAuthentication(
            Server.settings(), over: .tls(certificate: try Server.certificate()))
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256")) == Server.bindingNotOffered.initialResponse)
        #expect(machine.messageReceived(Server.continueMessage) == Server.bindingNotOffered.response)
        #expect(machine.messageReceived(Server.bindingNotOffered.final) == .none)
        #expect(machine.messageReceived(.authentication(.ok)) == .none)
        #expect(!machine.isChannelBound)
    }

    @Test func scramWithChannelBindingDisabledSendsNEvenOverTLSWithPlusOffered() throws {
        var machine = ConnectionStateMachine.awaitingAuthentication(
            Server.settings(channelBinding: .disable), over: .tls(certificate: try Server.certificate()))
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")) == Server.unbound.initialResponse)
        #expect(machine.messageReceived(Server.continueMessage) == Server.unbound.response)
    }

    // Unlike libpq, which says "y" whenever TLS is up: without the certificate this client
    // cannot bind, and "n" says exactly that, so a server offering -PLUS still accepts it.
    @Test func scramOverTLSWithoutACertificateSendsNBecauseItCannotBind() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings(), over: .tls(certificate: nil))
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")) == Server.unbound.initialResponse)
        #expect(!machine.isChannelBound)
    }

    @Test func scramInPlainTextSendsN() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")) == Server.unbound.initialResponse)
    }

    @Test func forgedServerSignatureFails() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        _ = machine.receive([Server.offer("SCRAM-SHA-256"), Server.continueMessage])
        // The genuine signature with its first character changed.
        let forged = "v=Z" + Server.unbound.serverFinal.dropFirst(3)
        #expect(machine.messageReceived(.authentication(.saslFinal(data: ByteBuffer(string: forged))))
            == Self.authenticationFailure(.serverSignatureMismatch))
        #expect(machine.isClosed)
        #expect(machine.messageReceived(.authentication(.ok)) == .none)
    }

    @Test func serverErrorInServerFinalFails() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        _ = machine.receive([Server.offer("SCRAM-SHA-256"), Server.continueMessage])
        #expect(machine.messageReceived(.authentication(.saslFinal(data: ByteBuffer(string: "e=invalid-proof"))))
            == Self.authenticationFailure(.serverError("invalid-proof")))
    }

    @Test func serverFirstWithAnotherNonceFails() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        _ = machine.messageReceived(Server.offer("SCRAM-SHA-256"))
        let serverFirst = "r=someoneElsesNonce,s=c3RhdGUtbWFjaGluZS1zYWx0,i=4096"
        #expect(machine.messageReceived(.authentication(.saslContinue(data: ByteBuffer(string: serverFirst))))
            == Self.authenticationFailure(.nonceMismatch))
    }

    @Test func invalidFixedClientNonceFails() {
        var settings = Server.settings()
        settings.scramClientNonce = "a,b"
        var machine = ConnectionStateMachine.awaitingAuthentication(settings)
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256")) == Self.authenticationFailure(.invalidClientNonce))
    }

    // A server (or a man in the middle) that skips the proof must not be believed.
    @Test func authenticationOkBeforeSASLFinalFails() {
        var afterOffer = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        _ = afterOffer.messageReceived(Server.offer("SCRAM-SHA-256"))
        #expect(afterOffer.messageReceived(.authentication(.ok)) == Self.authenticationFailure(.incompleteExchange))

        var afterContinue = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        _ = afterContinue.receive([Server.offer("SCRAM-SHA-256"), Server.continueMessage])
        #expect(afterContinue.messageReceived(.authentication(.ok)) == Self.authenticationFailure(.incompleteExchange))
        #expect(afterContinue.isClosed)
    }

    @Test func scramMessagesOutOfOrderAreViolations() {
        func violation(_ field: String) -> ConnectionAction {
            .failAndClose(.protocolViolation(PGWireError(.unexpectedMessage, message: "Authentication", field: field)), failedRequests: [])
        }
        var finalFirst = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        _ = finalFirst.messageReceived(Server.offer("SCRAM-SHA-256"))
        #expect(finalFirst.messageReceived(Server.unbound.final) == violation("SASL request (code 12)"))

        var continueTwice = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        _ = continueTwice.receive([Server.offer("SCRAM-SHA-256"), Server.continueMessage])
        #expect(continueTwice.messageReceived(Server.continueMessage) == violation("SASL request (code 11)"))

        var offerTwice = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        _ = offerTwice.messageReceived(Server.offer("SCRAM-SHA-256"))
        #expect(offerTwice.messageReceived(Server.offer("SCRAM-SHA-256")) == violation("SASL request (code 10)"))

        var continueUnasked = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        #expect(continueUnasked.messageReceived(Server.continueMessage) == violation("SASL request (code 11)"))
    }

    @Test func onlyUnknownSASLMechanismsAreUnsupported() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-1", "OAUTHBEARER"))
            == .failAndClose(.unsupportedAuthenticationMethod("SASL with mechanisms SCRAM-SHA-1, OAUTHBEARER"), failedRequests: []))
    }

    @Test func plusOnlyOfferWithoutTLSIsUnsupported() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings())
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256-PLUS"))
            == .failAndClose(.unsupportedAuthenticationMethod("SASL with mechanisms SCRAM-SHA-256-PLUS"), failedRequests: []))
    }

    @Test func unusableCertificateForBindingFails() throws {
        for certificate in [[0x30, 0x03, 0x02, 0x01, 0x00], try AuthenticationFixtures.certificate("ed25519.der")] as [[UInt8]] {
            var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings(), over: .tls(certificate: certificate))
            let action = machine.messageReceived(Server.offer("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"))
            guard case .failAndClose(.authentication(let error), failedRequests: []) = action else {
                Issue.record("expected an authentication failure, got \(action)")
                continue
            }
            switch error.kind {
            case .malformedCertificate, .unsupportedCertificateSignatureAlgorithm: break
            default: Issue.record("unexpected error \(error)")
            }
        }
    }

    // MARK: channel_binding=require

    @Test func requiredChannelBindingWithoutTLSIsRejected() {
        var machine = ConnectionStateMachine.awaitingAuthentication(Server.settings(channelBinding: .require))
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"))
            == Self.rejected("channel binding is required, but the connection does not use TLS"))
    }

    @Test func requiredChannelBindingWithServerNotOfferingPlusIsRejected() throws {
        var machine = ConnectionStateMachine.awaitingAuthentication(
            Server.settings(channelBinding: .require), over: .tls(certificate: try Server.certificate()))
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256"))
            == Self.rejected("channel binding is required, but the server does not offer SCRAM-SHA-256-PLUS"))
    }

    @Test(arguments: [nil, []] as [[UInt8]?])
    func requiredChannelBindingOverTLSWithoutACertificateIsRejected(certificate: [UInt8]?) {
        var machine = ConnectionStateMachine.awaitingAuthentication(
            Server.settings(channelBinding: .require), over: .tls(certificate: certificate))
        #expect(machine.messageReceived(Server.offer("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"))
            == Self.rejected("channel binding is required, but the TLS handshake gave no server certificate to bind to"))
    }

    @Test func requiredChannelBindingRefusesTrust() throws {
        var machine = ConnectionStateMachine.awaitingAuthentication(
            Server.settings(channelBinding: .require), over: .tls(certificate: try Server.certificate()))
        #expect(machine.messageReceived(.authentication(.ok))
            == Self.rejected("channel binding is required, but the server authenticated the client without it"))
    }

    @Test(arguments: [
        (BackendMessage.Authentication.md5Password(salt: 1), "md5"), (.cleartextPassword, "password"),
    ])
    func requiredChannelBindingRefusesPasswords(request: BackendMessage.Authentication, name: String) throws {
        var machine = ConnectionStateMachine.awaitingAuthentication(
            Server.settings(channelBinding: .require), over: .tls(certificate: try Server.certificate()))
        #expect(machine.messageReceived(.authentication(request))
            == Self.rejected("channel binding is required, but the server asked for \(name) authentication"))
    }

    // MARK: require_auth

    static let requests: [(BackendMessage.Authentication, ConnectionSettings.AuthenticationMethod)] = [
        (.cleartextPassword, .password), (.md5Password(salt: 1), .md5), (.sasl(mechanisms: ["SCRAM-SHA-256"]), .scramSHA256),
        (.gss, .gss), (.gssContinue(data: ByteBuffer()), .gss), (.sspi, .sspi),
    ]

    @Test(arguments: requests)
    func requireAuthRefusesEveryMethodItDoesNotList(request: BackendMessage.Authentication, method: ConnectionSettings.AuthenticationMethod) {
        let others = Set(ConnectionSettings.AuthenticationMethod.allCases).subtracting([method, .none])
        var settings = Server.settings()
        settings.allowedAuthenticationMethods = others
        let allowed = others.map(\.rawValue).sorted().joined(separator: ",")
        var machine = ConnectionStateMachine.awaitingAuthentication(settings)
        #expect(machine.messageReceived(.authentication(request))
            == Self.rejected("the server asked for \(method.rawValue) authentication, but require_auth allows only \(allowed)"))
    }

    @Test func requireAuthRefusesNoAuthenticationUnlessItListsNone() {
        var settings = ConnectionSettings.plain(password: "pw")
        settings.allowedAuthenticationMethods = [.scramSHA256]
        var strict = ConnectionStateMachine.awaitingAuthentication(settings)
        #expect(strict.messageReceived(.authentication(.ok))
            == Self.rejected("the server did not ask for authentication, and require_auth does not allow none"))

        settings.allowedAuthenticationMethods = [.none]
        var lenient = ConnectionStateMachine.awaitingAuthentication(settings)
        #expect(lenient.messageReceived(.authentication(.ok)) == .none)
    }

    @Test func requireAuthListingTheMethodLetsItThrough() {
        var settings = ConnectionSettings.plain(password: "pw")
        settings.allowedAuthenticationMethods = [.password]
        var machine = ConnectionStateMachine.awaitingAuthentication(settings)
        #expect(machine.messageReceived(.authentication(.cleartextPassword)) == .sendMessage(.password(.init(password: "pw"))))
    }

    // MARK: Methods pgwire-swift does not speak

    @Test(arguments: [
        (BackendMessage.Authentication.kerberosV5, "Kerberos V5 (code 2)"), (.gss, "GSSAPI (code 7)"),
        (.gssContinue(data: ByteBuffer(string: "x")), "GSSAPI (code 8)"), (.sspi, "SSPI (code 9)"),
    ])
    func gssSSPIAndKerberosAreUnsupported(request: BackendMessage.Authentication, name: String) {
        var machine = ConnectionStateMachine.awaitingAuthentication(.plain(password: "pw"))
        #expect(machine.messageReceived(.authentication(request))
            == .failAndClose(.unsupportedAuthenticationMethod(name), failedRequests: []))
    }
}
