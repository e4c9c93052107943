/// A JSON value is coded as its text (`"{\"a\":1}"`), so a record with a `jsonb` column decodes
/// from a row and keeps the document exactly as the server sent it.
///
/// ```swift
/// struct Setting: Decodable { let key: String; let value: PGJSON }
/// let setting = try row.decode(as: Setting.self)
/// ```
extension PGJSON: Codable {
    /// Reads the JSON text written by ``encode(to:)``.
    ///
    /// - Throws: `DecodingError` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Writes the JSON text as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
