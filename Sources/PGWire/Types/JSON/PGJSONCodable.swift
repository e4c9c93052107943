public import NIOCore

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A `Codable` type that is sent and read as a `jsonb` document.
///
/// Adopt it with no members: the value is written with a `JSONEncoder` and sent as `jsonb`
/// (binary, through ``PGJSON``), and read with a `JSONDecoder` from `json` or `jsonb` columns in
/// either format. This is the shape PostgresNIO users know (`Codable & PostgresCodable`) and what
/// pgx does for any struct bound to a `jsonb` column. For a type you do not own (`[String: Int]`,
/// a library's model), wrap the value in ``PGJSONValue`` instead.
///
/// ```swift
/// struct Preferences: Codable, PGJSONCodable { var theme: String; var digest: Bool }
/// try await connection.execute(
///     "UPDATE users SET preferences = \(Preferences(theme: "dark", digest: true)) WHERE id = \(id)")
/// let preferences = try row.decode(Preferences.self, column: "preferences")
/// ```
///
/// Override ``pgJSONEncoder`` or ``pgJSONDecoder`` to change dates, keys or number formats.
public protocol PGJSONCodable: PGCodable, Codable {
    /// The encoder a value is written with; a plain `JSONEncoder()` unless the type says otherwise.
    static var pgJSONEncoder: JSONEncoder { get }
    /// The decoder a value is read with; a plain `JSONDecoder()` unless the type says otherwise.
    static var pgJSONDecoder: JSONDecoder { get }
}

extension PGJSONCodable {
    /// A plain `JSONEncoder()`.
    public static var pgJSONEncoder: JSONEncoder { JSONEncoder() }
    /// A plain `JSONDecoder()`.
    public static var pgJSONDecoder: JSONDecoder { JSONDecoder() }

    /// `jsonb`.
    public static var pgDataType: PGDataType { .jsonb }

    /// Writes the value as JSON text (after `jsonb`'s version byte in binary).
    ///
    /// - Throws: ``PGEncodingError`` when the `JSONEncoder` fails (a non-finite `Double`, say) or
    ///   the JSON holds the NUL character.
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try PGJSONCoding.encode(self, with: Self.pgJSONEncoder, as: Self.self, into: &buffer, format: format)
    }

    /// Reads a `json` or `jsonb` value and decodes it with ``pgJSONDecoder``.
    ///
    /// - Throws: ``PGDecodingError`` for another type, a bad `jsonb` version byte, text that is
    ///   not UTF-8, or JSON the `JSONDecoder` refuses (the reason names its error).
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError) {
        self = try PGJSONCoding.decode(
            Self.self, with: Self.pgJSONDecoder, from: &buffer, type: type, format: format, for: Self.self)
    }
}

/// Any `Codable` value as a `jsonb` document, for types that cannot adopt ``PGJSONCodable``.
///
/// ```swift
/// let tags: [String: Int] = ["paid": 3, "open": 1]
/// try await connection.execute("INSERT INTO stats (counts) VALUES (\(PGJSONValue(tags)))")
/// let counts = try row.decode(PGJSONValue<[String: Int]>.self, at: 0).value
/// ```
public struct PGJSONValue<Value: Codable & Sendable>: PGCodable {
    /// The wrapped value.
    public var value: Value

    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }

    /// `jsonb`.
    public static var pgDataType: PGDataType { .jsonb }

    /// Writes the value as JSON text with a plain `JSONEncoder`.
    ///
    /// - Throws: ``PGEncodingError`` when the `JSONEncoder` fails or the JSON holds NUL.
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try PGJSONCoding.encode(value, with: JSONEncoder(), as: Self.self, into: &buffer, format: format)
    }

    /// Reads a `json` or `jsonb` value with a plain `JSONDecoder`.
    ///
    /// - Throws: ``PGDecodingError`` for another type or JSON the `JSONDecoder` refuses.
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError) {
        value = try PGJSONCoding.decode(Value.self, with: JSONDecoder(), from: &buffer, type: type, format: format, for: Self.self)
    }
}

extension PGJSONValue: Equatable where Value: Equatable {}
extension PGJSONValue: Hashable where Value: Hashable {}

/// The JSON steps ``PGJSONCodable`` and ``PGJSONValue`` share: `Codable` on one side, ``PGJSON``
/// (the bytes of `json`/`jsonb`) on the other.
enum PGJSONCoding {
    static func encode<Value: Encodable, Owner: PGEncodable>(
        _ value: Value, with encoder: JSONEncoder, as _: Owner.Type, into buffer: inout ByteBuffer, format: PGFormat
    ) throws(PGEncodingError) {
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw PGEncodingError("JSONEncoder failed: \(error)", dataType: .jsonb, swiftType: "\(Owner.self)")
        }
        do throws(PGEncodingError) {
            try PGJSON(String(decoding: data, as: UTF8.self)).encode(into: &buffer, format: format)
        } catch {
            throw PGEncodingError(error.reason, dataType: .jsonb, swiftType: "\(Owner.self)")
        }
    }

    static func decode<Value: Decodable, Owner: PGDecodable>(
        _: Value.Type, with decoder: JSONDecoder, from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat,
        for _: Owner.Type
    ) throws(PGDecodingError) -> Value {
        let json: PGJSON
        do throws(PGDecodingError) {
            json = try PGJSON(from: &buffer, type: type, format: format)
        } catch {
            throw Owner.decodingError(error.kind, type, format)
        }
        do {
            return try decoder.decode(Value.self, from: Data(json.text.utf8))
        } catch {
            throw Owner.decodingError(.invalidValue(reason: "JSONDecoder failed: \(error)"), type, format)
        }
    }
}
