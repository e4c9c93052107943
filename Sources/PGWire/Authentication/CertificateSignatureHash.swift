import Crypto
import SwiftASN1

/// The hash that `tls-server-end-point` channel binding (RFC 5929 §4.1) applies to a server
/// certificate: the one its signature algorithm uses, except that MD5 and SHA-1 become SHA-256.
///
/// It follows libpq, which asks OpenSSL's `X509_get_signature_info` for the signature's digest:
/// - RSA (PKCS #1 v1.5), ECDSA and DSA with MD5, SHA-1, SHA-256, SHA-384 or SHA-512;
/// - RSASSA-PSS with the hash named in its parameters (SHA-1 when they leave it out); as in
///   OpenSSL, the parameters must be present, and a mask generation other than MGF1 with a known
///   hash is an error;
/// - Ed25519 and Ed448 have no separate digest, and OpenSSL reports none, so libpq fails: here
///   they are `.unsupportedCertificateSignatureAlgorithm`. So are SHA-224 (which swift-crypto does
///   not offer), SHA-512/t, SHA-3 and any algorithm not listed above.
///
/// The certificate is parsed as strict DER by swift-asn1; of its fields only the outer structure
/// is read: `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`.
enum CertificateSignatureHash: Hashable, Sendable {
    case sha256
    case sha384
    case sha512

    /// The digest inside a signature algorithm, before RFC 5929's upgrade of MD5 and SHA-1.
    private enum Digest {
        case md5, sha1, sha224, sha256, sha384, sha512
    }

    private static let signatureAlgorithms: [ASN1ObjectIdentifier: Digest] = [
        [1, 2, 840, 113549, 1, 1, 4]: .md5,  // md5WithRSAEncryption
        [1, 2, 840, 113549, 1, 1, 5]: .sha1,  // sha1WithRSAEncryption
        [1, 3, 14, 3, 2, 29]: .sha1,  // sha1WithRSASignature (OIW)
        [1, 2, 840, 113549, 1, 1, 14]: .sha224,  // sha224WithRSAEncryption
        [1, 2, 840, 113549, 1, 1, 11]: .sha256,  // sha256WithRSAEncryption
        [1, 2, 840, 113549, 1, 1, 12]: .sha384,  // sha384WithRSAEncryption
        [1, 2, 840, 113549, 1, 1, 13]: .sha512,  // sha512WithRSAEncryption
        [1, 2, 840, 10045, 4, 1]: .sha1,  // ecdsa-with-SHA1
        [1, 2, 840, 10045, 4, 3, 1]: .sha224,  // ecdsa-with-SHA224
        [1, 2, 840, 10045, 4, 3, 2]: .sha256,  // ecdsa-with-SHA256
        [1, 2, 840, 10045, 4, 3, 3]: .sha384,  // ecdsa-with-SHA384
        [1, 2, 840, 10045, 4, 3, 4]: .sha512,  // ecdsa-with-SHA512
        [1, 2, 840, 10040, 4, 3]: .sha1,  // dsa-with-sha1
        [2, 16, 840, 1, 101, 3, 4, 3, 1]: .sha224,  // dsa-with-sha224
        [2, 16, 840, 1, 101, 3, 4, 3, 2]: .sha256,  // dsa-with-sha256
    ]

    private static let hashAlgorithms: [ASN1ObjectIdentifier: Digest] = [
        [1, 2, 840, 113549, 2, 5]: .md5,
        [1, 3, 14, 3, 2, 26]: .sha1,
        [2, 16, 840, 1, 101, 3, 4, 2, 4]: .sha224,
        [2, 16, 840, 1, 101, 3, 4, 2, 1]: .sha256,
        [2, 16, 840, 1, 101, 3, 4, 2, 2]: .sha384,
        [2, 16, 840, 1, 101, 3, 4, 2, 3]: .sha512,
    ]

    private static let rsassaPSS: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 10]
    private static let mgf1: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 8]

    /// Reads the signature algorithm of a DER certificate and picks the binding hash.
    ///
    /// - Throws: `.malformedCertificate` for bytes that are not a DER certificate's outer structure,
    ///   `.unsupportedCertificateSignatureAlgorithm` when the algorithm gives no usable hash.
    init(certificateDER: [UInt8]) throws(PGAuthenticationError) {
        let root = try Self.reading("the Certificate") { try DER.parse(certificateDER) }
        let signatureAlgorithm = try Self.reading("the Certificate") {
            try DER.sequence(root, identifier: .sequence) { fields in
                guard let tbs = fields.next(), tbs.identifier == .sequence,
                    let algorithm = fields.next(), algorithm.identifier == .sequence,
                    let value = fields.next(), value.identifier == .bitString
                else {
                    throw ASN1Error.invalidASN1Object(
                        reason: "not tbsCertificate, signatureAlgorithm and signatureValue")
                }
                return algorithm
            }
        }
        let (oid, parameters) = try Self.algorithmIdentifier(signatureAlgorithm, "signatureAlgorithm")
        let digest: Digest
        if oid == Self.rsassaPSS {
            digest = try Self.pssDigest(parameters)
        } else if let known = Self.signatureAlgorithms[oid] {
            digest = known
        } else {
            throw PGAuthenticationError(.unsupportedCertificateSignatureAlgorithm(Self.dotted(oid)))
        }
        switch digest {
        case .md5, .sha1, .sha256: self = .sha256
        case .sha384: self = .sha384
        case .sha512: self = .sha512
        case .sha224:
            let hashOID = oid == Self.rsassaPSS ? "SHA-224 in RSASSA-PSS" : Self.dotted(oid)
            throw PGAuthenticationError(.unsupportedCertificateSignatureAlgorithm(hashOID))
        }
    }

    /// Hashes the certificate's DER bytes.
    func digest(_ bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .sha256: return Array(SHA256.hash(data: bytes))
        case .sha384: return Array(SHA384.hash(data: bytes))
        case .sha512: return Array(SHA512.hash(data: bytes))
        }
    }

    /// Runs `body`, turning what swift-asn1 throws into `.malformedCertificate` naming `what`;
    /// our own errors pass through.
    private static func reading<T>(
        _ what: String, _ body: () throws -> T
    ) throws(PGAuthenticationError) -> T {
        do {
            return try body()
        } catch let error as PGAuthenticationError {
            throw error
        } catch {
            throw PGAuthenticationError(.malformedCertificate("\(what): \(error)"))
        }
    }

    /// Splits `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
    private static func algorithmIdentifier(
        _ node: ASN1Node, _ what: String
    ) throws(PGAuthenticationError) -> (oid: ASN1ObjectIdentifier, parameters: ASN1Node?) {
        try reading(what) {
            try DER.sequence(node, identifier: .sequence) { fields in
                (try ASN1ObjectIdentifier(derEncoded: &fields), fields.next())
            }
        }
    }

    /// The context-specific tags of the RSASSA-PSS parameters.
    private static func tag(_ number: UInt) -> ASN1Identifier {
        ASN1Identifier(tagWithNumber: number, tagClass: .contextSpecific)
    }

    /// The digest of RSASSA-PSS from `RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0], maskGenAlgorithm
    /// [1], saltLength [2], trailerField [3] }` (RFC 4055), each optional with SHA-1/MGF1-SHA-1
    /// defaults.
    private static func pssDigest(_ parameters: ASN1Node?) throws(PGAuthenticationError) -> Digest {
        guard let parameters, parameters.identifier == .sequence else {
            throw PGAuthenticationError(.malformedCertificate("RSASSA-PSS signature without its parameters"))
        }
        return try reading("the RSASSA-PSS parameters") {
            try DER.sequence(parameters, identifier: .sequence) { fields in
                var next = fields.next()
                var digest = Digest.sha1
                if let node = next, node.identifier == tag(0) {
                    digest = try hashDigest(try onlyChild(of: node), "RSASSA-PSS hashAlgorithm")
                    next = fields.next()
                }
                if let node = next, node.identifier == tag(1) {
                    let (oid, mgfParameters) = try algorithmIdentifier(
                        try onlyChild(of: node), "RSASSA-PSS maskGenAlgorithm")
                    guard oid == mgf1 else {
                        throw PGAuthenticationError(.unsupportedCertificateSignatureAlgorithm(dotted(oid)))
                    }
                    guard let mgfParameters, mgfParameters.identifier == .sequence else {
                        throw PGAuthenticationError(.malformedCertificate("MGF1 without its hash algorithm"))
                    }
                    _ = try hashDigest(mgfParameters, "MGF1 hash")
                    next = fields.next()
                }
                for number: UInt in [2, 3] {
                    guard let node = next, node.identifier == tag(number) else { continue }
                    guard try onlyChild(of: node).identifier == .integer else {
                        throw ASN1Error.unexpectedFieldType(node.identifier)
                    }
                    next = fields.next()
                }
                guard next == nil else {
                    throw ASN1Error.invalidASN1Object(reason: "unexpected or misordered fields")
                }
                return digest
            }
        }
    }

    /// The one element inside an explicit tag.
    private static func onlyChild(of node: ASN1Node) throws -> ASN1Node {
        guard case .constructed(let children) = node.content else {
            throw ASN1Error.invalidASN1Object(reason: "an explicit tag that is not constructed")
        }
        var iterator = children.makeIterator()
        guard let child = iterator.next(), iterator.next() == nil else {
            throw ASN1Error.invalidASN1Object(reason: "an explicit tag not holding exactly one element")
        }
        return child
    }

    /// The digest of an AlgorithmIdentifier naming a hash function, whose parameters may only be
    /// absent or NULL.
    private static func hashDigest(_ node: ASN1Node, _ what: String) throws(PGAuthenticationError) -> Digest {
        let (oid, parameters) = try algorithmIdentifier(node, what)
        if let parameters {
            _ = try reading("\(what) has parameters other than NULL") { try ASN1Null(derEncoded: parameters) }
        }
        guard let digest = hashAlgorithms[oid] else {
            throw PGAuthenticationError(.unsupportedCertificateSignatureAlgorithm(dotted(oid)))
        }
        return digest
    }

    /// The dotted form of `oid`. The first two arcs share one subidentifier, `40 × first + second`,
    /// whose first arc is 2 from 80 up (X.690 §8.19.4); swift-asn1's `oidComponents` divides by 40
    /// whatever the value (giving 26.39 for 2.999), so the pair is worked out again here.
    static func dotted(_ oid: ASN1ObjectIdentifier) -> String {
        var arcs = oid.oidComponents
        if arcs.count >= 2 {
            let packed = arcs[0] * 40 + arcs[1]
            let first: UInt = packed < 80 ? packed / 40 : 2
            arcs[0] = first
            arcs[1] = packed - first * 40
        }
        return arcs.map(String.init).joined(separator: ".")
    }
}
