public import NIOCore
public import PGWire

/// An enumeration stored as `text` under a CHECK constraint: it binds as its raw value and
/// decodes from it, so rows and queries use the Swift cases directly.
///
/// ```swift
/// let overdue = try await session.rows("invoices.overdue",
///     "SELECT id, total FROM financbase.invoices WHERE status = \(InvoiceStatus.overdue)")
/// ```
public protocol StoredEnum: RawRepresentable<String>, PGCodable, Codable, CaseIterable, Hashable {}

extension StoredEnum {
    /// Stored as `text`.
    public static var pgDataType: PGDataType { .text }

    /// Writes the raw value.
    public func encode(into buffer: inout ByteBuffer, format: PGFormat) throws(PGEncodingError) {
        try rawValue.encode(into: &buffer, format: format)
    }

    /// Reads the raw value.
    ///
    /// - Throws: `PGDecodingError` with `invalidValue` for text that names no case (a CHECK
    ///   constraint widened by a newer migration than this code knows).
    public init(from buffer: inout ByteBuffer, type: PGDataType, format: PGFormat) throws(PGDecodingError) {
        let text = try String(from: &buffer, type: type, format: format)
        guard let value = Self(rawValue: text) else {
            throw PGDecodingError(
                .invalidValue(reason: "\"\(text)\" is not one of \(Self.allCases.map(\.rawValue))"),
                dataType: type, format: format, swiftType: "\(Self.self)")
        }
        self = value
    }
}
