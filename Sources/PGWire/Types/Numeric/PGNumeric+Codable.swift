/// A numeric is coded as its exact decimal text (`"12.30"`), never as a floating-point number,
/// so JSON and record decoding keep every digit and the scale.
///
/// ```swift
/// struct Line: Codable { let amount: PGNumeric }
/// let line = try row.decode(as: Line.self)
/// ```
extension PGNumeric: Codable {
    /// Reads the decimal text written by ``encode(to:)``.
    ///
    /// - Throws: `DecodingError.dataCorrupted` when the text is not a number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = PGNumeric(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a number")
        }
        self = value
    }

    /// Writes the value as its decimal text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
