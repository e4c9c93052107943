import PGWire
import Testing

@Suite("ErrorResponse and NoticeResponse")
struct ErrorNoticeResponseTests {
    /// Every field code the protocol defines, in the order PostgreSQL writes them, plus `X`, a
    /// code it does not define, which is kept and written last.
    static let fields: [(ResponseField, String)] = [
        (.localizedSeverity, "FEHLER"),
        (.severity, "ERROR"),
        (.sqlState, "23505"),
        (.message, "duplicate key"),
        (.detail, "Key (id)=(1) exists."),
        (.hint, "Try another."),
        (.locationContext, "SQL function f"),
        (.schemaName, "public"),
        (.tableName, "t"),
        (.columnName, "id"),
        (.dataTypeName, "int4"),
        (.constraintName, "t_pkey"),
        (.position, "8"),
        (.internalPosition, "3"),
        (.internalQuery, "SELECT 1"),
        (.file, "nbtinsert.c"),
        (.line, "666"),
        (.routine, "_bt_check_unique"),
        (ResponseField(rawValue: UInt8(ascii: "X")), "from the future"),
    ]

    static var fieldDictionary: [ResponseField: String] {
        Dictionary(uniqueKeysWithValues: fields)
    }

    /// The body: for each field its code byte and NUL-terminated value, then a 0 byte.
    static var body: [UInt8] {
        Wire.bytes("S") + Wire.cstring("FEHLER")
            + Wire.bytes("V") + Wire.cstring("ERROR")
            + Wire.bytes("C") + Wire.cstring("23505")
            + Wire.bytes("M") + Wire.cstring("duplicate key")
            + Wire.bytes("D") + Wire.cstring("Key (id)=(1) exists.")
            + Wire.bytes("H") + Wire.cstring("Try another.")
            + Wire.bytes("W") + Wire.cstring("SQL function f")
            + Wire.bytes("s") + Wire.cstring("public")
            + Wire.bytes("t") + Wire.cstring("t")
            + Wire.bytes("c") + Wire.cstring("id")
            + Wire.bytes("d") + Wire.cstring("int4")
            + Wire.bytes("n") + Wire.cstring("t_pkey")
            + Wire.bytes("P") + Wire.cstring("8")
            + Wire.bytes("p") + Wire.cstring("3")
            + Wire.bytes("q") + Wire.cstring("SELECT 1")
            + Wire.bytes("F") + Wire.cstring("nbtinsert.c")
            + Wire.bytes("L") + Wire.cstring("666")
            + Wire.bytes("R") + Wire.cstring("_bt_check_unique")
            + Wire.bytes("X") + Wire.cstring("from the future")
            + [0]
    }

    @Test func errorResponseWithEveryField() throws {
        let bytes = [0x45] + Wire.int32(Int32(Self.body.count + 4)) + Self.body
        try expectBackendMessage(
            .errorResponse(.init(fields: Self.fieldDictionary)), encodesTo: bytes)
        guard case .errorResponse(let error) = try decodeBackend(bytes) else {
            Issue.record("not an ErrorResponse")
            return
        }
        #expect(error.fields.count == 19)
        #expect(error.fields[.sqlState] == "23505")
        #expect(error.fields[ResponseField(rawValue: 0x58)] == "from the future")
    }

    @Test func noticeResponseWithEveryField() throws {
        let bytes = [0x4E] + Wire.int32(Int32(Self.body.count + 4)) + Self.body
        try expectBackendMessage(
            .noticeResponse(.init(fields: Self.fieldDictionary)), encodesTo: bytes)
    }

    @Test func minimalServerError() throws {
        // The order a PostgreSQL 15 server uses: S V C M F L R.
        let body =
            Wire.bytes("S") + Wire.cstring("ERROR") + Wire.bytes("V") + Wire.cstring("ERROR")
            + Wire.bytes("C") + Wire.cstring("22012") + Wire.bytes("M")
            + Wire.cstring("division by zero")
            + Wire.bytes("F") + Wire.cstring("int.c") + Wire.bytes("L") + Wire.cstring("841")
            + Wire.bytes("R") + Wire.cstring("int4div") + [0]
        try expectBackendMessage(
            .errorResponse(
                .init(fields: [
                    .localizedSeverity: "ERROR", .severity: "ERROR", .sqlState: "22012",
                    .message: "division by zero", .file: "int.c", .line: "841", .routine: "int4div",
                ])),
            encodesTo: Wire.message("E", body))
    }

    @Test func emptyFieldList() throws {
        try expectBackendMessage(
            .noticeResponse(.init(fields: [:])), encodesTo: [0x4E, 0, 0, 0, 5, 0])
    }

    @Test func fieldCodesPrintAsTheirLetter() {
        #expect(ResponseField.sqlState.description == "C")
        #expect(ResponseField.internalQuery.description == "q")
    }

    @Test func missingListTerminatorOverruns() throws {
        let error = try #require(
            backendDecodingError(Wire.message("E", Wire.bytes("C") + Wire.cstring("XX000"))))
        #expect(error == PGWireError(.fieldOverrun, message: "ErrorResponse", field: "field code"))
    }

    @Test func fieldValueWithoutTerminator() throws {
        let error = try #require(backendDecodingError(Wire.message("N", Wire.bytes("MHello"))))
        #expect(
            error == PGWireError(.missingTerminator, message: "NoticeResponse", field: "field M"))
    }
}
