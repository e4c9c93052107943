/// A date is coded as its ISO text (`"2024-02-29"`), as PostgreSQL writes it.
///
/// ```swift
/// struct Invoice: Codable { let dueDate: PGDate }
/// let invoice = try row.decode(as: Invoice.self)
/// ```
extension PGDate: Codable {
    /// Reads the ISO text written by ``encode(to:)``.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the text is not a date.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = PGDate(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a date")
        }
        self = value
    }

    /// Writes the date as ISO text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
