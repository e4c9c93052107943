/// A protocol violation found while reading or writing the bytes of the PostgreSQL wire protocol.
///
/// Every way a byte stream can be wrong has its own ``Kind``, and the error names the message and,
/// where it applies, the field that was wrong, so that a log line says exactly what the peer sent.
/// A `PGWireError` from the decoder means the stream can no longer be trusted: the connection that
/// read it must be closed.
///
/// ```swift
/// do {
///     while let message = try decoder.next(from: &buffer) { handle(message) }
/// } catch {
///     logger.error("closing: \(error)")   // "protocol violation in DataRow.column 3: ..."
/// }
/// ```
public struct PGWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the bytes.
    public enum Kind: Hashable, Sendable {
        /// A message's length field was below 4, the size of the length field itself.
        case lengthTooSmall(Int)
        /// A message's length field was above the configured maximum message size.
        case messageTooLarge(length: Int, maximum: Int)
        /// The type byte does not name any message this side of the protocol can receive.
        case unknownMessageType(UInt8)
        /// A field needed more bytes than were left in its message.
        case fieldOverrun
        /// A NUL-terminated string had no terminator before the end of its message.
        case missingTerminator
        /// A field held a value outside the set the protocol allows (a status byte, a count, a code).
        case invalidValue(String)
        /// The message had bytes left over after its last field.
        case trailingBytes(Int)
        /// A message arrived that is valid on its own but not at this point of the conversation.
        case unexpectedMessage
    }

    /// What was wrong.
    public var kind: Kind
    /// The protocol name of the message being read or written (`"DataRow"`, `"StartupMessage"`).
    public var message: String
    /// The field of the message, when the fault lies in one (`"transactionStatus"`, `"column 3"`).
    public var field: String?

    /// Creates an error of the given kind for a message and, optionally, one of its fields.
    public init(_ kind: Kind, message: String, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.field = field
    }

    public var description: String {
        let place = field.map { "\(message).\($0)" } ?? message
        switch kind {
        case .lengthTooSmall(let length):
            return "protocol violation in \(place): length \(length) is below the minimum of 4"
        case .messageTooLarge(let length, let maximum):
            return "protocol violation in \(place): length \(length) exceeds the maximum message size of \(maximum) bytes"
        case .unknownMessageType(let byte):
            return "protocol violation: unknown message type \(Self.describe(byte: byte))"
        case .fieldOverrun:
            return "protocol violation in \(place): the field runs past the end of the message"
        case .missingTerminator:
            return "protocol violation in \(place): the string has no NUL terminator"
        case .invalidValue(let value):
            return "protocol violation in \(place): invalid value \(value)"
        case .trailingBytes(let count):
            return "protocol violation in \(place): \(count) unexpected bytes after the last field"
        case .unexpectedMessage:
            return "protocol violation: \(place) was not expected at this point"
        }
    }

    /// Shows a type byte as its character when printable (`'Z'`), else as hex (`0x00`).
    static func describe(byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))' (0x\(String(byte, radix: 16, uppercase: true)))"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return "0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
