import Crypto

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
/// Only the outer structure is read: `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm,
/// signatureValue }`, strictly, without trusting any length.
enum CertificateSignatureHash: Hashable, Sendable {
    case sha256
    case sha384
    case sha512

    /// The digest inside a signature algorithm, before RFC 5929's upgrade of MD5 and SHA-1.
    private enum Digest {
        case md5, sha1, sha224, sha256, sha384, sha512
    }

    private static let signatureAlgorithms: [[UInt64]: Digest] = [
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

    private static let hashAlgorithms: [[UInt64]: Digest] = [
        [1, 2, 840, 113549, 2, 5]: .md5,
        [1, 3, 14, 3, 2, 26]: .sha1,
        [2, 16, 840, 1, 101, 3, 4, 2, 4]: .sha224,
        [2, 16, 840, 1, 101, 3, 4, 2, 1]: .sha256,
        [2, 16, 840, 1, 101, 3, 4, 2, 2]: .sha384,
        [2, 16, 840, 1, 101, 3, 4, 2, 3]: .sha512,
    ]

    private static let rsassaPSS: [UInt64] = [1, 2, 840, 113549, 1, 1, 10]
    private static let mgf1: [UInt64] = [1, 2, 840, 113549, 1, 1, 8]

    /// Reads the signature algorithm of a DER certificate and picks the binding hash.
    ///
    /// - Throws: `.malformedCertificate` for bytes that are not a DER certificate's outer structure,
    ///   `.unsupportedCertificateSignatureAlgorithm` when the algorithm gives no usable hash.
    init(certificateDER: [UInt8]) throws(PGAuthenticationError) {
        var outer = DERReader(certificateDER)
        let certificate = try outer.read(tag: DERReader.sequenceTag, "Certificate")
        try outer.expectEnd("the Certificate")
        var fields = outer.reader(for: certificate)
        _ = try fields.read(tag: DERReader.sequenceTag, "tbsCertificate")
        let signatureAlgorithm = try fields.read(tag: DERReader.sequenceTag, "signatureAlgorithm")
        _ = try fields.read(tag: DERReader.bitStringTag, "signatureValue")
        try fields.expectEnd("signatureValue")

        let (oid, parameters) = try Self.algorithmIdentifier(
            signatureAlgorithm, in: fields, "signatureAlgorithm")
        let digest: Digest
        if oid == Self.rsassaPSS {
            digest = try Self.pssDigest(parameters, in: fields)
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

    /// Splits `AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }`.
    private static func algorithmIdentifier(
        _ element: DERReader.Element,
        in parent: DERReader,
        _ what: String
    ) throws(PGAuthenticationError) -> (oid: [UInt64], parameters: DERReader.Element?) {
        var reader = parent.reader(for: element)
        let oidElement = try reader.read(tag: DERReader.objectIdentifierTag, "\(what).algorithm")
        let oid = try reader.objectIdentifier(oidElement, "\(what).algorithm")
        let parameters = reader.isAtEnd ? nil : try reader.readElement("\(what).parameters")
        try reader.expectEnd("\(what).parameters")
        return (oid, parameters)
    }

    /// The digest of RSASSA-PSS from `RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0], maskGenAlgorithm
    /// [1], saltLength [2], trailerField [3] }` (RFC 4055), each optional with SHA-1/MGF1-SHA-1
    /// defaults.
    private static func pssDigest(
        _ parameters: DERReader.Element?,
        in parent: DERReader
    ) throws(PGAuthenticationError) -> Digest {
        guard let parameters, parameters.tag == DERReader.sequenceTag else {
            throw PGAuthenticationError(
                .malformedCertificate("RSASSA-PSS signature without its parameters"))
        }
        var fields = parent.reader(for: parameters)
        var digest = Digest.sha1
        if fields.nextTag == 0xA0 {
            let explicit = try fields.readElement("RSASSA-PSS hashAlgorithm")
            digest = try hashDigest(
                explicitlyTagged: explicit, in: fields, "RSASSA-PSS hashAlgorithm")
        }
        if fields.nextTag == 0xA1 {
            let explicit = try fields.readElement("RSASSA-PSS maskGenAlgorithm")
            var wrapper = fields.reader(for: explicit)
            let maskGen = try wrapper.read(
                tag: DERReader.sequenceTag, "RSASSA-PSS maskGenAlgorithm")
            try wrapper.expectEnd("RSASSA-PSS maskGenAlgorithm")
            let (oid, mgfParameters) = try algorithmIdentifier(
                maskGen, in: wrapper, "RSASSA-PSS maskGenAlgorithm")
            guard oid == mgf1 else {
                throw PGAuthenticationError(.unsupportedCertificateSignatureAlgorithm(dotted(oid)))
            }
            guard let mgfParameters, mgfParameters.tag == DERReader.sequenceTag else {
                throw PGAuthenticationError(
                    .malformedCertificate("MGF1 without its hash algorithm"))
            }
            _ = try hashDigest(mgfParameters, in: wrapper, "MGF1 hash")
        }
        for (tag, name) in [(UInt8(0xA2), "saltLength"), (0xA3, "trailerField")]
        where fields.nextTag == tag {
            let explicit = try fields.readElement("RSASSA-PSS \(name)")
            var wrapper = fields.reader(for: explicit)
            _ = try wrapper.read(tag: DERReader.integerTag, "RSASSA-PSS \(name)")
            try wrapper.expectEnd("RSASSA-PSS \(name)")
        }
        try fields.expectEnd("the RSASSA-PSS parameters")
        return digest
    }

    /// The digest of an `[n] EXPLICIT AlgorithmIdentifier` naming a hash function.
    private static func hashDigest(
        explicitlyTagged element: DERReader.Element,
        in parent: DERReader,
        _ what: String
    ) throws(PGAuthenticationError) -> Digest {
        var wrapper = parent.reader(for: element)
        let algorithm = try wrapper.read(tag: DERReader.sequenceTag, what)
        try wrapper.expectEnd(what)
        return try hashDigest(algorithm, in: wrapper, what)
    }

    /// The digest of an AlgorithmIdentifier naming a hash function, whose parameters may only be
    /// absent or NULL.
    private static func hashDigest(
        _ element: DERReader.Element,
        in parent: DERReader,
        _ what: String
    ) throws(PGAuthenticationError) -> Digest {
        let (oid, parameters) = try algorithmIdentifier(element, in: parent, what)
        if let parameters, parameters.tag != DERReader.nullTag || !parameters.contents.isEmpty {
            throw PGAuthenticationError(
                .malformedCertificate("\(what) has parameters other than NULL"))
        }
        guard let digest = hashAlgorithms[oid] else {
            throw PGAuthenticationError(.unsupportedCertificateSignatureAlgorithm(dotted(oid)))
        }
        return digest
    }

    private static func dotted(_ oid: [UInt64]) -> String {
        oid.map(String.init).joined(separator: ".")
    }
}
