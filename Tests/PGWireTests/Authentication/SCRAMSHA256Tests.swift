import Testing

@testable import PGWire

@Suite("SCRAM-SHA-256")
struct SCRAMSHA256Tests {
    // RFC 7677 §3. (The proof has "jUhN+Ute9"; Python's hashlib/hmac agree with the RFC.)
    static let rfcNonce = "rOprNGfwEbeRWgbNEkqO"
    static let rfcServerFirst =
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    static let rfcClientFinal =
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    static let rfcServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

    // An exchange computed independently with Python's hashlib and hmac (empty username).
    static let nonce = "fyko+d2lbbFgONRv9qkxdawL"
    static let serverFirst =
        "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"

    static func rfcExchange() throws -> SCRAMSHA256 {
        try SCRAMSHA256(
            password: Array("pencil".utf8), channelBinding: .notSupportedByClient, username: "user",
            clientNonce: rfcNonce)
    }

    static func exchange(
        password: String = "pencil", binding: SCRAMChannelBinding = .notSupportedByClient
    ) throws -> SCRAMSHA256 {
        try SCRAMSHA256(password: Array(password.utf8), channelBinding: binding, clientNonce: nonce)
    }

    @Test func rfc7677TestVector() throws {
        var scram = try Self.rfcExchange()
        #expect(scram.mechanism == "SCRAM-SHA-256")
        #expect(
            String(decoding: scram.clientFirstMessage, as: UTF8.self)
                == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let clientFinal = try scram.receive(serverFirst: Array(Self.rfcServerFirst.utf8))
        #expect(String(decoding: clientFinal, as: UTF8.self) == Self.rfcClientFinal)
        #expect(!scram.isServerVerified)
        try scram.receive(serverFinal: Array(Self.rfcServerFinal.utf8))
        #expect(scram.isServerVerified)
    }

    @Test func defaultUsernameIsEmptyAsInLibpq() throws {
        let scram = try Self.exchange()
        #expect(
            String(decoding: scram.clientFirstMessage, as: UTF8.self)
                == "n,,n=,r=fyko+d2lbbFgONRv9qkxdawL")
    }

    @Test func usernameIsEscaped() throws {
        let scram = try SCRAMSHA256(
            password: [], channelBinding: .notSupportedByClient, username: "a=b,c", clientNonce: "x"
        )
        #expect(String(decoding: scram.clientFirstMessage, as: UTF8.self) == "n,,n=a=3Db=2Cc,r=x")
    }

    @Test func randomNonceIsEighteenBytesOfBase64AndFresh() {
        let first = SCRAMSHA256(password: "pencil", channelBinding: .notSupportedByClient)
        let second = SCRAMSHA256(password: "pencil", channelBinding: .notSupportedByClient)
        let prefix = Array("n,,n=,r=".utf8)
        #expect(first.clientFirstMessage.starts(with: prefix))
        let nonce = Array(first.clientFirstMessage.dropFirst(prefix.count))
        #expect(nonce.count == 24)
        #expect(Base64.decode(nonce)?.count == 18)
        #expect(first.clientFirstMessage != second.clientFirstMessage)
    }

    @Test(arguments: ["", "a,b", "tab\there", "é"])
    func invalidInjectedNonceIsRejected(nonce: String) {
        #expect(throws: PGAuthenticationError(.invalidClientNonce)) {
            try SCRAMSHA256(password: [], channelBinding: .notSupportedByClient, clientNonce: nonce)
        }
    }

    @Test func channelBindingNotOfferedByServerSendsY() throws {
        var scram = try Self.exchange(binding: .notOfferedByServer)
        #expect(scram.mechanism == "SCRAM-SHA-256")
        #expect(
            String(decoding: scram.clientFirstMessage, as: UTF8.self)
                == "y,,n=,r=fyko+d2lbbFgONRv9qkxdawL")
        let clientFinal = try scram.receive(serverFirst: Array(Self.serverFirst.utf8))
        #expect(
            String(decoding: clientFinal, as: UTF8.self)
                == "c=eSws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=wgLg0iPVTpACWjrIlJtVKu4BjsbK4knzdsSn88toerI="
        )
        try scram.receive(serverFinal: Array("v=DrDPuYqa2Vk1xxB1lVO1Nz9Kb/HSttQkUqrqqVgdja0=".utf8))
        #expect(scram.isServerVerified)
    }

    @Test func channelBindingToCertificate() throws {
        let binding = try SCRAMChannelBinding.tlsServerEndPoint(
            certificateDER: AuthenticationFixtures.certificate("rsa-sha384.der"))
        var scram = try Self.exchange(binding: binding)
        #expect(scram.mechanism == "SCRAM-SHA-256-PLUS")
        #expect(
            String(decoding: scram.clientFirstMessage, as: UTF8.self)
                == "p=tls-server-end-point,,n=,r=fyko+d2lbbFgONRv9qkxdawL")
        let clientFinal = try scram.receive(serverFirst: Array(Self.serverFirst.utf8))
        #expect(
            String(decoding: clientFinal, as: UTF8.self)
                == "c=cD10bHMtc2VydmVyLWVuZC1wb2ludCwsr1VPcp8C8lKXKUSfqPduNNo2jTzlW3vj2FcD4opjcD3Za/qkiNXsw53qDki0QL5X,"
                + "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=CeObFBIwUBhOeSXhFF9kYSWxOKZSL3pePrVL5qMwJEQ="
        )
        try scram.receive(serverFinal: Array("v=PNUZr2D6xgOZAcGGATvvGX9GZX1pQCAmfATWwO2rciY=".utf8))
        #expect(scram.isServerVerified)
    }

    @Test func passwordGoesThroughSASLprep() throws {
        // U+2168 ROMAN NUMERAL NINE is "IX" after NFKC; the expected proof was computed for "IX".
        var scram = try Self.exchange(password: "\u{2168}")
        let clientFinal = try scram.receive(serverFirst: Array(Self.serverFirst.utf8))
        #expect(
            String(decoding: clientFinal, as: UTF8.self).hasSuffix(
                ",p=DuNYTn7Yx6Gj5HXLjaZqq8o6hB7XoLqfWVqO3Dfek5Q="))
        try scram.receive(serverFinal: Array("v=ux4l8UKl+DUsi2w2W/rRPgwUHOQg3Tk0a1JyeO1D5D4=".utf8))
        #expect(scram.isServerVerified)
    }

    @Test func forgedServerSignatureIsRejected() throws {
        var scram = try Self.rfcExchange()
        _ = try scram.receive(serverFirst: Array(Self.rfcServerFirst.utf8))
        // Right length and canonical base64, one bit different.
        #expect(throws: PGAuthenticationError(.serverSignatureMismatch)) {
            try scram.receive(
                serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G8=".utf8))
        }
        #expect(!scram.isServerVerified)
        #expect(throws: PGAuthenticationError(.unexpectedStep("the server-final-message"))) {
            try scram.receive(serverFinal: Array(Self.rfcServerFinal.utf8))
        }
        #expect(!scram.isServerVerified)
    }

    @Test func wrongPasswordGivesAnotherServerSignature() throws {
        var scram = try SCRAMSHA256(
            password: Array("pencil!".utf8), channelBinding: .notSupportedByClient,
            username: "user", clientNonce: Self.rfcNonce)
        _ = try scram.receive(serverFirst: Array(Self.rfcServerFirst.utf8))
        #expect(throws: PGAuthenticationError(.serverSignatureMismatch)) {
            try scram.receive(serverFinal: Array(Self.rfcServerFinal.utf8))
        }
    }

    static let serverFirstErrors: [(String, PGAuthenticationError.Kind)] = [
        ("r=XXXXNGfwEbeRWgbNEkqO%hvYDpWUa2RaTC,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", .nonceMismatch),
        ("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", .nonceMismatch),
        ("r=rOprNGfwEbeRWg,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", .nonceMismatch),
        ("r=rOprNGfwEbeRWgbNEkqO%hv\u{7F},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", .invalidServerNonce),
        ("r=rOprNGfwEbeRWgbNEkqO% hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", .invalidServerNonce),
        (
            "m=ext,r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            .unsupportedMandatoryExtension
        ),
        ("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ=,i=4096", .invalidSalt),
        ("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22Z aJ0SNY7soEsUEjb6gQ==,i=4096", .invalidSalt),
        ("r=rOprNGfwEbeRWgbNEkqO%hv,s=,i=4096", .invalidSalt),
        ("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", .invalidIterationCount("0")),
        ("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-1", .invalidIterationCount("-1")),
        (
            "r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=+4096",
            .invalidIterationCount("+4096")
        ),
        (
            "r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096x",
            .invalidIterationCount("4096x")
        ),
        ("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=", .invalidIterationCount("")),
        (
            "r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=100000001",
            .invalidIterationCount("100000001")
        ),
        (
            "r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999999999999999999",
            .invalidIterationCount("99999999999999999999999999")
        ),
        (
            "r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==",
            .malformedServerMessage("attribute 'i' is missing")
        ),
        ("r=rOprNGfwEbeRWgbNEkqO%hv", .malformedServerMessage("attribute 's' is missing")),
        ("", .malformedServerMessage("attribute 'r' is missing")),
        (
            "s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqO%hv,i=4096",
            .malformedServerMessage("expected attribute 'r='")
        ),
        (
            "r=rOprNGfwEbeRWgbNEkqO%hv,i=4096,s=W22ZaJ0SNY7soEsUEjb6gQ==",
            .malformedServerMessage("expected attribute 's='")
        ),
        (
            "rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            .malformedServerMessage("expected attribute 'r='")
        ),
        (
            "r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,x=1",
            .malformedServerMessage("unexpected data after the last attribute")
        ),
        (
            "r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,",
            .malformedServerMessage("unexpected data after the last attribute")
        ),
    ]

    @Test(arguments: serverFirstErrors)
    func badServerFirstMessageIsRejected(message: String, kind: PGAuthenticationError.Kind) throws {
        var scram = try Self.rfcExchange()
        #expect(throws: PGAuthenticationError(kind)) {
            try scram.receive(serverFirst: Array(message.utf8))
        }
        // A failed exchange stays failed.
        #expect(throws: PGAuthenticationError(.unexpectedStep("the server-first-message"))) {
            try scram.receive(serverFirst: Array(Self.rfcServerFirst.utf8))
        }
    }

    @Test func iterationCountAtTheBoundIsAccepted() throws {
        #expect(
            try SCRAMServerFirstMessage.parseIterationCount(Array("100000000".utf8)[...])
                == 100_000_000)
        #expect(try SCRAMServerFirstMessage.parseIterationCount(Array("0004096".utf8)[...]) == 4096)
    }

    static let serverFinalErrors: [(String, PGAuthenticationError.Kind)] = [
        ("e=invalid-proof", .serverError("invalid-proof")),
        ("e=channel-bindings-dont-match,x=1", .serverError("channel-bindings-dont-match")),
        ("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4", .invalidServerSignature),
        // Non-zero pad bits.
        ("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G5=", .invalidServerSignature),
        ("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl9", .invalidServerSignature),
        ("v=", .invalidServerSignature),
        (
            "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=,x=1",
            .malformedServerMessage("unexpected data after the last attribute")
        ),
        ("", .malformedServerMessage("attribute 'v' is missing")),
        (
            "x=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
            .malformedServerMessage("expected attribute 'v='")
        ),
        (
            "V=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
            .malformedServerMessage("expected attribute 'v='")
        ),
    ]

    @Test(arguments: serverFinalErrors)
    func badServerFinalMessageIsRejected(message: String, kind: PGAuthenticationError.Kind) throws {
        var scram = try Self.rfcExchange()
        _ = try scram.receive(serverFirst: Array(Self.rfcServerFirst.utf8))
        #expect(throws: PGAuthenticationError(kind)) {
            try scram.receive(serverFinal: Array(message.utf8))
        }
        #expect(!scram.isServerVerified)
    }

    @Test func stepsOutOfOrderAreErrors() throws {
        var scram = try Self.rfcExchange()
        #expect(throws: PGAuthenticationError(.unexpectedStep("the server-final-message"))) {
            try scram.receive(serverFinal: Array(Self.rfcServerFinal.utf8))
        }

        var twice = try Self.rfcExchange()
        _ = try twice.receive(serverFirst: Array(Self.rfcServerFirst.utf8))
        #expect(throws: PGAuthenticationError(.unexpectedStep("the server-first-message"))) {
            try twice.receive(serverFirst: Array(Self.rfcServerFirst.utf8))
        }

        var done = try Self.rfcExchange()
        _ = try done.receive(serverFirst: Array(Self.rfcServerFirst.utf8))
        try done.receive(serverFinal: Array(Self.rfcServerFinal.utf8))
        #expect(throws: PGAuthenticationError(.unexpectedStep("the server-final-message"))) {
            try done.receive(serverFinal: Array(Self.rfcServerFinal.utf8))
        }
        #expect(done.isServerVerified)
    }

    @Test func descriptionsNeverShowThePassword() throws {
        var scram = try SCRAMSHA256(
            password: Array("hunter2-secret".utf8), channelBinding: .notSupportedByClient,
            clientNonce: "abc")
        #expect(!String(describing: scram).contains("hunter2"))
        #expect(!String(reflecting: scram).contains("hunter2"))
        var dumped = ""
        dump(scram, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(!dumped.contains("104, 117, 110"))  // "hun" as bytes
        do {
            _ = try scram.receive(serverFirst: Array("r=abcd,s=QSXCR+Q6sek8bf92,i=0".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func constantTimeEqual() {
        #expect(SCRAMSHA256.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!SCRAMSHA256.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!SCRAMSHA256.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
