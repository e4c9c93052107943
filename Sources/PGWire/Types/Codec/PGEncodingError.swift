/// A Swift value that cannot be sent to PostgreSQL as the type it claims.
///
/// Encoding fails only for values the server would reject or could not represent: a string with
/// a NUL character, an array whose element type has no array type, a date outside PostgreSQL's
/// range. The error says which Swift type and which PostgreSQL type were involved.
///
/// ```swift
/// var buffer = ByteBuffer()
/// do { try "a\u{0}b".encode(into: &buffer) } catch { print(error) }
/// // "cannot encode String as text: text cannot contain the NUL character"
/// ```
public struct PGEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Why the value could not be encoded.
    public var reason: String
    /// The PostgreSQL type the value was being encoded as.
    public var dataType: PGDataType
    /// The Swift type of the value.
    public var swiftType: String

    /// Creates an error saying why a `swiftType` value cannot be encoded as `dataType`.
    public init(_ reason: String, dataType: PGDataType, swiftType: String) {
        self.reason = reason
        self.dataType = dataType
        self.swiftType = swiftType
    }

    public var description: String {
        "cannot encode \(swiftType) as \(dataType): \(reason)"
    }
}
