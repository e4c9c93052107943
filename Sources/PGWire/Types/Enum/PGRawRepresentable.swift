public import NIOCore

/// A `RawRepresentable` type (a Swift enum, typically) sent and read as its raw value.
///
/// Adopt it with no members: `Status: String` is sent as `text`, `Priority: Int16` as `int2`, and
/// each reads whatever its raw value reads. A raw value that is no case is a decoding error
/// naming the value. For a column of a PostgreSQL enum type, adopt ``PGEnum`` instead.
///
/// ```swift
/// enum Priority: Int16, PGRawRepresentable { case low = 1, normal, high }
/// try await connection.execute("UPDATE tasks SET priority = \(Priority.high) WHERE id = \(id)")
/// let priority = try row.decode(Priority.self, column: "priority")
/// ```
public protocol PGRawRepresentable: RawRepresentable, PGCodable where RawValue: PGCodable {}

extension PGRawRepresentable {
    /// The raw value's type.
    public static var pgDataType: PGDataType { RawValue.pgDataType }
    /// The raw value's format.
    public static var pgFormat: PGFormat { RawValue.pgFormat }

    /// Writes the raw value.
    ///
    /// - Throws: ``PGEncodingError`` when the raw value cannot be encoded.
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try rawValue.encode(into: &buffer, format: format)
    }

    /// Reads a raw value and makes the case from it.
    ///
    /// - Throws: ``PGDecodingError`` when the raw value does not decode, or is no case of `Self`.
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError) {
        self = try Self.fromRaw(try RawValue(from: &buffer, type: type, format: format), type, format)
    }

    /// The case for `raw`.
    static func fromRaw(_ raw: RawValue, _ type: PGDataType, _ format: PGFormat) throws(PGDecodingError) -> Self {
        guard let value = Self(rawValue: raw) else {
            throw decodingError(.invalidValue(reason: "\"\(raw)\" is not a case of \(Self.self)"), type, format)
        }
        return value
    }
}

/// A Swift enum for a PostgreSQL enum type (`CREATE TYPE mood AS ENUM (…)`), sent and read as
/// its label (the raw value).
///
/// It is sent with no type OID, so the server takes the enum type from where the parameter is
/// used (`WHERE mood = $1`, `INSERT … VALUES ($1)`); write a cast where nothing says
/// (`SELECT \(Mood.happy)::mood`). It reads the enum's column in binary, where the value is its
/// label, whether or not the connection loaded the type, and any text column; a label that is
/// no case is a decoding error.
///
/// ```swift
/// enum Mood: String, PGEnum { case happy, sad }
/// try await connection.execute("INSERT INTO people (name, mood) VALUES (\(name), \(Mood.happy))")
/// let mood = try row.decode(Mood.self, column: "mood")
/// ```
///
/// An array of such enums is sent as `text[]` (bind `moods.map(\.rawValue)` and cast with
/// `::mood[]`); it reads as `[Mood]` once the connection loaded the type (``PGTypeRegistry``).
public protocol PGEnum: PGRawRepresentable where RawValue == String {}

extension PGEnum {
    /// Unspecified: the server infers the enum type from the statement.
    public static var pgDataType: PGDataType { .unspecified }

    /// Reads the label: the value of an enum column in binary (its OID is user-defined, so the
    /// declared type is what says the bytes are a label), or any value `String` reads.
    ///
    /// - Throws: ``PGDecodingError`` when the bytes are not UTF-8 text, or the label is no case.
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError) {
        let label =
            type.isUserDefined
            ? try Self.readText(from: &buffer, type, format)
            : try String(from: &buffer, type: type, format: format)
        self = try Self.fromRaw(label, type, format)
    }
}
