import PGWire
import Testing

/// ParameterDescription and RowDescription, the answers to Describe.
@Suite("ParameterDescription and RowDescription")
struct DescriptionMessageTests {
    @Test func parameterDescription() throws {
        // `t`, length, Int16 count, an Int32 type OID per parameter.
        try expectBackendMessage(
            .parameterDescription(.init(dataTypes: [.int4, .text, .numeric])),
            encodesTo: [0x74, 0, 0, 0, 18, 0, 3, 0, 0, 0, 23, 0, 0, 0, 25, 0, 0, 0x06, 0xA4])
        try expectBackendMessage(
            .parameterDescription(.init(dataTypes: [])), encodesTo: [0x74, 0, 0, 0, 6, 0, 0])
    }

    @Test func parameterDescriptionCountAbove32767IsUnsigned() throws {
        let types = [PGDataType](repeating: .int8, count: 40_000)
        let body: [UInt8] =
            [0x9C, 0x40] + Array(repeating: [0, 0, 0, 20] as [UInt8], count: types.count).joined()
        try expectBackendMessage(
            .parameterDescription(.init(dataTypes: types)), encodesTo: Wire.message("t", body))
    }

    @Test func parameterDescriptionWithTooFewTypes() throws {
        let error = try #require(backendDecodingError([0x74, 0, 0, 0, 10, 0, 2, 0, 0, 0, 23]))
        #expect(
            error == PGWireError(.fieldOverrun, message: "ParameterDescription", field: "dataTypes")
        )
    }

    /// Column: name NUL-terminated, Int32 table OID, Int16 attribute number, Int32 type OID,
    /// Int16 type size, Int32 type modifier, Int16 format.
    static let rowDescriptionBytes: [UInt8] =
        [0x54, 0, 0, 0, 51, 0, 2]
        + Wire.cstring("id") + [
            0, 0, 0x40, 0x01, 0, 1, 0, 0, 0, 23, 0, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1,
        ]
        + Wire.cstring("price") + [
            0, 0, 0, 0, 0, 0, 0, 0, 0x06, 0xA4, 0xFF, 0xFF, 0, 0x0A, 0, 0x06, 0, 0,
        ]

    static let rowDescription = BackendMessage.RowDescription(columns: [
        .init(
            name: "id", tableOID: 16_385, columnAttributeNumber: 1, dataType: .int4,
            dataTypeSize: 4,
            typeModifier: -1, format: .binary),
        .init(name: "price", dataType: .numeric, typeModifier: 655_366, format: .text),
    ])

    @Test func rowDescription() throws {
        try expectBackendMessage(
            .rowDescription(Self.rowDescription), encodesTo: Self.rowDescriptionBytes)
        try expectBackendMessage(
            .rowDescription(.init(columns: [])), encodesTo: [0x54, 0, 0, 0, 6, 0, 0])
    }

    @Test func rowDescriptionWithTooFewBytes() throws {
        // Two columns declared, one and a half present.
        let truncated = Array(Self.rowDescriptionBytes.dropLast(10))
        let bytes = [0x54] + Wire.int32(Int32(truncated.count - 1)) + truncated.dropFirst(5)
        let error = try #require(backendDecodingError(bytes))
        #expect(error.message == "RowDescription")
        #expect(error.kind == .fieldOverrun)
    }

    @Test func rowDescriptionWithHugeCountAndFewBytes() throws {
        let error = try #require(backendDecodingError([0x54, 0, 0, 0, 9, 0x7F, 0xFF, 0x61, 0, 0]))
        #expect(error == PGWireError(.fieldOverrun, message: "RowDescription", field: "columns"))
    }

    @Test func rowDescriptionWithInvalidFormat() throws {
        var bytes = Self.rowDescriptionBytes
        bytes[bytes.count - 1] = 2
        let error = try #require(backendDecodingError(bytes))
        #expect(
            error
                == PGWireError(
                    .invalidValue("format code 2"), message: "RowDescription", field: "format"))
    }
}
