public import NIOCore

/// A JSON document as text, for `json` and `jsonb` columns, without parsing it.
///
/// The text is passed through unchanged, so a caller decodes it with whatever JSON library it
/// likes. It is sent as `jsonb` (binary: a version byte 1, then the text); it reads `json` and
/// `jsonb` in either format. `jsonb` comes back in the server's normalized form (keys sorted,
/// whitespace collapsed), not as sent.
///
/// ```swift
/// let payload = PGJSON(#"{"amount": "12.30"}"#)
/// let back = try PGJSON.decode(from: cell, type: .jsonb, format: .binary)
/// back.text   // {"amount": "12.30"}
/// ```
public struct PGJSON: Hashable, Sendable, CustomStringConvertible, PGCodable {
    /// The JSON text.
    public var text: String

    /// Wraps JSON text; it is not validated here, the server checks it.
    public init(_ text: String) { self.text = text }

    /// The JSON text.
    public var description: String { text }

    public static var pgDataType: PGDataType { .jsonb }

    /// The only `jsonb` binary format version PostgreSQL has.
    static let jsonbVersion: UInt8 = 1

    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        if format == .binary { buffer.writeInteger(Self.jsonbVersion) }
        try text.encode(into: &buffer, format: format)
    }

    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat)
        throws(PGDecodingError)
    {
        try Self.require(type, accepts: type == .jsonb || type == .json, [.jsonb, .json], format)
        if type == .jsonb && format == .binary {
            try Self.readJSONBVersion(from: &buffer, type, format, for: Self.self)
        }
        text = try Self.readText(from: &buffer, type, format)
    }

    /// Reads and checks the version byte that starts binary `jsonb`.
    static func readJSONBVersion<Decoded: PGDecodable>(
        from buffer: inout ByteBuffer, _ type: PGDataType, _ format: PGFormat, for _: Decoded.Type
    ) throws(PGDecodingError) {
        guard let version = buffer.readInteger(as: UInt8.self) else {
            throw Decoded.decodingError(.invalidLength(expected: 1, actual: 0), type, format)
        }
        guard version == jsonbVersion else {
            throw Decoded.decodingError(
                .invalidValue(reason: "unknown jsonb version \(version)"), type, format)
        }
    }
}
