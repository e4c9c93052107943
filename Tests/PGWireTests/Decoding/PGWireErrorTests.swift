import PGWire
import Testing

@Suite("PGWireError descriptions")
struct PGWireErrorTests {
    static let descriptions: [(PGWireError, String)] = [
        (
            PGWireError(.lengthTooSmall(2), message: "DataRow"),
            "protocol violation in DataRow: length 2 is below the minimum of 4"
        ),
        (
            PGWireError(.messageTooLarge(length: 2000, maximum: 1000), message: "CopyData"),
            "protocol violation in CopyData: length 2000 exceeds the maximum message size of 1000 bytes"
        ),
        (
            PGWireError(.unknownMessageType(0x21), message: "BackendMessage"),
            "protocol violation: unknown message type '!' (0x21)"
        ),
        (
            PGWireError(.unknownMessageType(0x07), message: "BackendMessage"),
            "protocol violation: unknown message type 0x07"
        ),
        (
            PGWireError(.fieldOverrun, message: "DataRow", field: "column 3"),
            "protocol violation in DataRow.column 3: the field runs past the end of the message"
        ),
        (
            PGWireError(.missingTerminator, message: "CommandComplete", field: "tag"),
            "protocol violation in CommandComplete.tag: the string has no NUL terminator"
        ),
        (
            PGWireError(
                .invalidValue("'X' (0x58)"), message: "ReadyForQuery", field: "transactionStatus"),
            "protocol violation in ReadyForQuery.transactionStatus: invalid value 'X' (0x58)"
        ),
        (
            PGWireError(.trailingBytes(2), message: "ParseComplete"),
            "protocol violation in ParseComplete: 2 unexpected bytes after the last field"
        ),
        (
            PGWireError(.unexpectedMessage, message: "BindComplete"),
            "protocol violation: BindComplete was not expected at this point"
        ),
    ]

    @Test(arguments: descriptions)
    func description(error: PGWireError, text: String) {
        #expect(error.description == text)
        #expect(String(describing: error) == text)
    }

    @Test func decodedErrorsDescribeThemselves() throws {
        let error = try #require(backendDecodingError(Wire.message("D", [0, 1, 0, 0, 0, 9])))
        #expect(
            error.description
                == "protocol violation in DataRow.column 0: the field runs past the end of the message"
        )
    }
}
