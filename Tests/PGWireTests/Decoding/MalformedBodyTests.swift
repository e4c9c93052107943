import NIOCore
import PGWire
import Testing

/// Message bodies that break their layout, each with the exact error it must produce.
@Suite("Malformed message bodies")
struct MalformedBodyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var error: PGWireError
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "DataRow column length beyond the end",
            bytes: Wire.message("D", [0, 2, 0, 0, 0, 1, 0x61, 0, 0, 0, 3, 0x62]),
            error: PGWireError(.fieldOverrun, message: "DataRow", field: "column 1")),
        Case(
            name: "DataRow column length field cut short",
            bytes: Wire.message("D", [0, 1, 0, 0]),
            error: PGWireError(.fieldOverrun, message: "DataRow", field: "columns")),
        Case(
            name: "DataRow column count cut short",
            bytes: Wire.message("D", [0]),
            error: PGWireError(.fieldOverrun, message: "DataRow", field: "columnCount")),
        Case(
            name: "RowDescription with too few bytes for its column",
            bytes: Wire.message(
                "T",
                [0, 1] + Wire.cstring("name") + [0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0, 4, 0, 0, 0]),
            error: PGWireError(.fieldOverrun, message: "RowDescription", field: "typeModifier")),
        Case(
            name: "RowDescription column name without NUL",
            bytes: Wire.message("T", [0, 1] + Array(repeating: 0x61, count: 30)),
            error: PGWireError(.missingTerminator, message: "RowDescription", field: "name")),
        Case(
            name: "RowDescription with a huge count and few bytes",
            bytes: Wire.message("T", [0x7F, 0xFF, 0]),
            error: PGWireError(.fieldOverrun, message: "RowDescription", field: "columns")),
        Case(
            name: "DataRow with a huge count and few bytes",
            bytes: Wire.message("D", [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
            error: PGWireError(.fieldOverrun, message: "DataRow", field: "columns")),
        Case(
            name: "ParameterDescription with a huge count and few bytes",
            bytes: Wire.message("t", [0xFF, 0xFF, 0, 0, 0, 23]),
            error: PGWireError(.fieldOverrun, message: "ParameterDescription", field: "dataTypes")),
        Case(
            name: "CopyOutResponse with a huge count and few bytes",
            bytes: Wire.message("H", [0, 0x7F, 0xFF, 0, 0]),
            error: PGWireError(.fieldOverrun, message: "CopyOutResponse", field: "columnFormats")),
        Case(
            name: "NegotiateProtocolVersion with a huge count and few bytes",
            bytes: Wire.message("v", [0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0x61, 0]),
            error: PGWireError(.fieldOverrun, message: "NegotiateProtocolVersion", field: "options")
        ),
        Case(
            name: "CommandComplete without NUL",
            bytes: Wire.message("C", Wire.bytes("SELECT 1")),
            error: PGWireError(.missingTerminator, message: "CommandComplete", field: "tag")),
        Case(
            name: "CommandComplete with a NUL inside its tag",
            bytes: Wire.message("C", Wire.cstring("SELECT") + Wire.cstring("1")),
            error: PGWireError(.trailingBytes(2), message: "CommandComplete")),
        Case(
            name: "ReadyForQuery without its status",
            bytes: Wire.message("Z", []),
            error: PGWireError(.fieldOverrun, message: "ReadyForQuery", field: "transactionStatus")),
        Case(
            name: "NotificationResponse payload without NUL",
            bytes: Wire.message("A", [0, 0, 0, 1] + Wire.cstring("ch") + Wire.bytes("payload")),
            error: PGWireError(
                .missingTerminator, message: "NotificationResponse", field: "payload")),
        Case(
            name: "ReadyForQuery with an invalid status",
            bytes: Wire.message("Z", [0x69]),
            error: PGWireError(
                .invalidValue("'i' (0x69)"), message: "ReadyForQuery", field: "transactionStatus")),
        Case(
            name: "RowDescription with an invalid format code",
            bytes: Wire.message(
                "T",
                [0, 1] + Wire.cstring("a") + [
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 23, 0, 4, 0, 0, 0, 0, 0xFF, 0xFF,
                ]),
            error: PGWireError(
                .invalidValue("format code -1"), message: "RowDescription", field: "format")),
        Case(
            name: "CopyInResponse with an invalid column format",
            bytes: Wire.message("G", [0, 0, 1, 0, 2]),
            error: PGWireError(
                .invalidValue("format code 2"), message: "CopyInResponse", field: "columnFormats")),
        Case(
            name: "ReadyForQuery with trailing bytes",
            bytes: Wire.message("Z", [0x49, 0x49]),
            error: PGWireError(.trailingBytes(1), message: "ReadyForQuery")),
        Case(
            name: "ParameterStatus with trailing bytes",
            bytes: Wire.message("S", Wire.cstring("a") + Wire.cstring("b") + [0x63]),
            error: PGWireError(.trailingBytes(1), message: "ParameterStatus")),
        Case(
            name: "RowDescription with trailing bytes",
            bytes: Wire.message("T", [0, 0, 1, 2, 3]),
            error: PGWireError(.trailingBytes(3), message: "RowDescription")),
        Case(
            name: "BackendKeyData without a process ID",
            bytes: Wire.message("K", [0, 0]),
            error: PGWireError(.fieldOverrun, message: "BackendKeyData", field: "processID")),
        Case(
            name: "Authentication without a code",
            bytes: Wire.message("R", []),
            error: PGWireError(.fieldOverrun, message: "Authentication", field: "code")),
        Case(
            name: "ErrorResponse without its final zero",
            bytes: Wire.message("E", Wire.bytes("S") + Wire.cstring("ERROR")),
            error: PGWireError(.fieldOverrun, message: "ErrorResponse", field: "field code")),
    ]

    @Test(arguments: cases)
    func isRejectedWithTheExpectedError(testCase: Case) throws {
        let error = try #require(backendDecodingError(testCase.bytes))
        #expect(error == testCase.error)
        #expect(error.kind == testCase.error.kind)
        #expect(error.message == testCase.error.message)
        #expect(error.field == testCase.error.field)
    }

    @Test(arguments: cases)
    func isRejectedThroughTheIncrementalDecoderToo(testCase: Case) throws {
        var decoder = BackendMessageDecoder()
        decoder.append(ByteBuffer(bytes: testCase.bytes))
        #expect(throws: testCase.error) { try decoder.next() }
    }

    /// A hostile count is refused from the bytes present (the count is checked against what is
    /// left of the message before anything is reserved), as a field overrun of the list.
    @Test func hugeCountsAreRefusedFromTheBytesPresent() throws {
        let hostile = [
            Wire.message("T", [0x7F, 0xFF]),
            Wire.message("D", [0x7F, 0xFF]),
            Wire.message("t", [0xFF, 0xFF]),
            Wire.message("v", [0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF]),
            Wire.message("G", [0, 0x7F, 0xFF]),
        ]
        for bytes in hostile {
            let error = try #require(backendDecodingError(bytes))
            #expect(error.kind == .fieldOverrun, "\(error)")
        }
    }
}
