import Crypto
import Testing

@testable import PGWire

@Suite("tls-server-end-point channel binding")
struct SCRAMChannelBindingTests {
    /// `file hash hex` lines of Fixtures/auth/certificates.txt, made by make_certificates.sh with openssl.
    static let manifest: [(file: String, hash: String, hex: String)] =
        (try? AuthenticationFixtures.lines("certificates.txt"))?
        .map { $0.split(separator: " ").map(String.init) }
        .compactMap { $0.count == 3 ? ($0[0], $0[1], $0[2]) : nil } ?? []

    @Test func manifestIsRead() {
        #expect(Self.manifest.count == 15)
    }

    @Test(arguments: manifest.filter { $0.hash != "unsupported" })
    func hashMatchesOpenSSL(certificate: (file: String, hash: String, hex: String)) throws {
        let der = try AuthenticationFixtures.certificate(certificate.file)
        let expected = try #require(AuthenticationFixtures.hex(certificate.hex))
        let binding = try SCRAMChannelBinding.tlsServerEndPoint(certificateDER: der)
        #expect(binding == .tlsServerEndPoint(certificateHash: expected))
        #expect(binding.mechanism == "SCRAM-SHA-256-PLUS")
        #expect(
            binding.channelBindingAttribute
                == Base64.encode(Array("p=tls-server-end-point,,".utf8) + expected))
    }

    @Test(arguments: [
        ("ed25519.der", "1.3.101.112"),
        ("ed448.der", "1.3.101.113"),
        ("rsa-sha224.der", "1.2.840.113549.1.1.14"),
    ])
    func algorithmsWithoutAUsableHashAreRefused(file: String, oid: String) throws {
        #expect(Self.manifest.contains { $0.file == file && $0.hash == "unsupported" })
        let der = try AuthenticationFixtures.certificate(file)
        #expect(throws: PGAuthenticationError(.unsupportedCertificateSignatureAlgorithm(oid))) {
            try SCRAMChannelBinding.tlsServerEndPoint(certificateDER: der)
        }
    }

    @Test func gs2HeadersAndCBindValues() {
        #expect(SCRAMChannelBinding.notSupportedByClient.gs2Header == "n,,")
        #expect(SCRAMChannelBinding.notSupportedByClient.channelBindingAttribute == "biws")
        #expect(SCRAMChannelBinding.notOfferedByServer.gs2Header == "y,,")
        #expect(SCRAMChannelBinding.notOfferedByServer.channelBindingAttribute == "eSws")
        #expect(SCRAMChannelBinding.notOfferedByServer.mechanism == "SCRAM-SHA-256")
    }

    // MARK: Hostile DER

    @Test func everyTruncationOfARealCertificateIsAnError() throws {
        let der = try AuthenticationFixtures.certificate("rsa-pss-sha256.der")
        for length in 0..<der.count {
            #expect(throws: PGAuthenticationError.self) {
                try SCRAMChannelBinding.tlsServerEndPoint(certificateDER: der.prefix(length))
            }
        }
    }

    @Test func corruptedBytesNeverCrash() throws {
        for file in ["rsa-pss-sha512.der", "ecdsa-p256-sha256.der"] {
            let der = try AuthenticationFixtures.certificate(file)
            var outcomes = 0
            for index in der.indices {
                for value: UInt8 in [0x00, 0x01, 0x1F, 0x7F, 0x80, 0x81, 0x84, 0x85, 0xFF] {
                    var corrupted = der
                    corrupted[index] = value
                    _ = try? SCRAMChannelBinding.tlsServerEndPoint(certificateDER: corrupted)
                    outcomes += 1
                }
            }
            #expect(outcomes == der.count * 9)
        }
    }

    static let sha256WithRSA = DER.oid([1, 2, 840, 113549, 1, 1, 11])
    static let rsassaPSS = DER.oid([1, 2, 840, 113549, 1, 1, 10])

    static func certificate(signatureAlgorithm: [UInt8]) -> [UInt8] {
        DER.sequence(
            DER.sequence([0x02, 0x01, 0x01]) + signatureAlgorithm + DER.tlv(0x03, [0x00, 0xAB]))
    }

    @Test func minimalSyntheticCertificateIsAccepted() throws {
        let der = Self.certificate(signatureAlgorithm: DER.sequence(Self.sha256WithRSA + DER.null))
        #expect(try CertificateSignatureHash(certificateDER: der) == .sha256)
        #expect(
            try CertificateSignatureHash(
                certificateDER: Self.certificate(
                    signatureAlgorithm: DER.sequence(Self.sha256WithRSA))) == .sha256)
    }

    static let malformed: [(String, [UInt8])] = [
        ("empty", []),
        ("only a tag", [0x30]),
        ("not a sequence", [0x31, 0x00]),
        ("indefinite length", [0x30, 0x80, 0x00, 0x00]),
        ("non-minimal long length", [0x30, 0x81, 0x05] + [UInt8](repeating: 0, count: 5)),
        (
            "leading zero length byte",
            [0x30, 0x82, 0x00, 0x85] + [UInt8](repeating: 0, count: 0x85)
        ),
        ("five length bytes", [0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00]),
        ("huge length", [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]),
        ("length past the end", [0x30, 0x10, 0x30, 0x00]),
        ("multi-byte tag", [0x3F, 0x01, 0x00]),
        ("trailing bytes", certificate(signatureAlgorithm: DER.sequence(sha256WithRSA)) + [0x00]),
        ("empty certificate", DER.sequence([])),
        ("no signature value", DER.sequence(DER.sequence([]) + DER.sequence(sha256WithRSA))),
        (
            "extra element",
            DER.sequence(
                DER.sequence([]) + DER.sequence(sha256WithRSA) + DER.tlv(0x03, [0]) + DER.null)
        ),
        ("algorithm not an OID", certificate(signatureAlgorithm: DER.sequence(DER.null))),
        ("empty OID", certificate(signatureAlgorithm: DER.sequence(DER.tlv(0x06, [])))),
        (
            "OID ends mid-arc",
            certificate(signatureAlgorithm: DER.sequence(DER.tlv(0x06, [0x2A, 0x86])))
        ),
        (
            "OID arc with leading 0x80",
            certificate(signatureAlgorithm: DER.sequence(DER.tlv(0x06, [0x2A, 0x80, 0x01])))
        ),
        (
            "OID arc overflowing 64 bits",
            certificate(
                signatureAlgorithm: DER.sequence(
                    DER.tlv(0x06, [0x2A] + [UInt8](repeating: 0xFF, count: 12) + [0x01])))
        ),
        (
            "two parameters",
            certificate(signatureAlgorithm: DER.sequence(sha256WithRSA + DER.null + DER.null))
        ),
        ("PSS without parameters", certificate(signatureAlgorithm: DER.sequence(rsassaPSS))),
        (
            "PSS with NULL parameters",
            certificate(signatureAlgorithm: DER.sequence(rsassaPSS + DER.null))
        ),
        (
            "PSS hash with odd parameters",
            pss(
                DER.tlv(
                    0xA0,
                    DER.sequence(
                        DER.oid([2, 16, 840, 1, 101, 3, 4, 2, 1]) + DER.tlv(0x02, [1]))))
        ),
        (
            "PSS fields out of order",
            pss(
                DER.tlv(0xA2, DER.tlv(0x02, [32]))
                    + DER.tlv(0xA0, hashAlgorithm([2, 16, 840, 1, 101, 3, 4, 2, 1])))
        ),
        (
            "PSS MGF1 without hash",
            pss(DER.tlv(0xA1, DER.sequence(DER.oid([1, 2, 840, 113549, 1, 1, 8]))))
        ),
        ("PSS parameters with trailing element", pss(DER.tlv(0xA3, DER.tlv(0x02, [1])) + DER.null)),
    ]

    @Test(arguments: malformed)
    func malformedCertificatesAreErrors(name: String, der: [UInt8]) {
        do {
            let hash = try CertificateSignatureHash(certificateDER: der)
            Issue.record("\(name): accepted as \(hash)")
        } catch {
            guard case .malformedCertificate = error.kind else {
                Issue.record("\(name): \(error)")
                return
            }
        }
    }

    static func pss(_ parameters: [UInt8]) -> [UInt8] {
        certificate(signatureAlgorithm: DER.sequence(rsassaPSS + DER.sequence(parameters)))
    }

    static func hashAlgorithm(_ arcs: [UInt64]) -> [UInt8] {
        DER.sequence(DER.oid(arcs) + DER.null)
    }

    @Test func pssParameters() throws {
        let sha1 = Self.hashAlgorithm([1, 3, 14, 3, 2, 26])
        let sha384 = Self.hashAlgorithm([2, 16, 840, 1, 101, 3, 4, 2, 2])
        let sha512 = Self.hashAlgorithm([2, 16, 840, 1, 101, 3, 4, 2, 3])
        let mgf1SHA512 = DER.sequence(DER.oid([1, 2, 840, 113549, 1, 1, 8]) + sha512)
        // All defaults: SHA-1, so SHA-256 for the binding.
        #expect(try CertificateSignatureHash(certificateDER: Self.pss([])) == .sha256)
        #expect(
            try CertificateSignatureHash(certificateDER: Self.pss(DER.tlv(0xA0, sha1))) == .sha256)
        #expect(
            try CertificateSignatureHash(certificateDER: Self.pss(DER.tlv(0xA0, sha384))) == .sha384
        )
        #expect(
            try CertificateSignatureHash(
                certificateDER: Self.pss(
                    DER.tlv(0xA0, sha512) + DER.tlv(0xA1, mgf1SHA512)
                        + DER.tlv(0xA2, DER.tlv(0x02, [64])) + DER.tlv(0xA3, DER.tlv(0x02, [1]))))
                == .sha512)
        #expect(
            throws: PGAuthenticationError(
                .unsupportedCertificateSignatureAlgorithm("SHA-224 in RSASSA-PSS"))
        ) {
            try CertificateSignatureHash(
                certificateDER: Self.pss(
                    DER.tlv(0xA0, Self.hashAlgorithm([2, 16, 840, 1, 101, 3, 4, 2, 4]))))
        }
        #expect(
            throws: PGAuthenticationError(
                .unsupportedCertificateSignatureAlgorithm("2.16.840.1.101.3.4.2.8"))
        ) {
            try CertificateSignatureHash(
                certificateDER: Self.pss(
                    DER.tlv(0xA0, Self.hashAlgorithm([2, 16, 840, 1, 101, 3, 4, 2, 8]))))
        }
        #expect(throws: PGAuthenticationError(.unsupportedCertificateSignatureAlgorithm("1.2.3.4")))
        {
            try CertificateSignatureHash(
                certificateDER: Self.pss(
                    DER.tlv(0xA0, sha512)
                        + DER.tlv(0xA1, DER.sequence(DER.oid([1, 2, 3, 4]) + sha512))))
        }
    }

    @Test(
        arguments: [
            // md5WithRSAEncryption
            ([1, 2, 840, 113549, 1, 1, 4], CertificateSignatureHash.sha256),
            ([1, 2, 840, 113549, 1, 1, 5], .sha256),
            ([1, 3, 14, 3, 2, 29], .sha256),
            ([1, 2, 840, 10040, 4, 3], .sha256),
            ([2, 16, 840, 1, 101, 3, 4, 3, 2], .sha256),
            ([1, 2, 840, 10045, 4, 3, 3], .sha384),
            ([1, 2, 840, 113549, 1, 1, 13], .sha512),
        ] as [([UInt64], CertificateSignatureHash)])
    func signatureAlgorithmTable(arcs: [UInt64], expected: CertificateSignatureHash) throws {
        let der = Self.certificate(signatureAlgorithm: DER.sequence(DER.oid(arcs)))
        #expect(try CertificateSignatureHash(certificateDER: der) == expected)
    }

    @Test func unknownAlgorithmNamesItsOID() {
        let der = Self.certificate(
            signatureAlgorithm: DER.sequence(DER.oid([2, 999, 12_345_678_901_234])))
        #expect(
            throws: PGAuthenticationError(
                .unsupportedCertificateSignatureAlgorithm("2.999.12345678901234"))
        ) {
            try CertificateSignatureHash(certificateDER: der)
        }
    }
}

/// Builds DER by hand for the synthetic certificates above.
enum DER {
    static let null: [UInt8] = [0x05, 0x00]

    static func tlv(_ tag: UInt8, _ contents: [UInt8]) -> [UInt8] {
        var length: [UInt8]
        if contents.count < 0x80 {
            length = [UInt8(contents.count)]
        } else {
            length = []
            var remaining = contents.count
            while remaining > 0 {
                length.insert(UInt8(truncatingIfNeeded: remaining), at: 0)
                remaining >>= 8
            }
            length.insert(0x80 | UInt8(length.count), at: 0)
        }
        return [tag] + length + contents
    }

    static func sequence(_ contents: [UInt8]) -> [UInt8] {
        tlv(0x30, contents)
    }

    static func oid(_ arcs: [UInt64]) -> [UInt8] {
        var contents: [UInt8] = []
        for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var groups: [UInt8] = [UInt8(arc & 0x7F)]
            var rest = arc >> 7
            while rest > 0 {
                groups.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
                rest >>= 7
            }
            contents += groups
        }
        return tlv(0x06, contents)
    }
}
