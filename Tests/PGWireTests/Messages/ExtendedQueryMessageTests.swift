import NIOCore
import PGWire
import Testing

/// Query and the extended-query messages Parse, Describe, Execute and Close (Bind has its own file).
@Suite("Query, Parse, Describe, Execute, Close")
struct ExtendedQueryMessageTests {
    @Test func query() throws {
        try expectFrontendMessage(
            .query(.init(sql: "SELECT 1")),
            encodesTo: [0x51, 0, 0, 0, 13, 0x53, 0x45, 0x4C, 0x45, 0x43, 0x54, 0x20, 0x31, 0])
        try expectFrontendMessage(.query(.init(sql: "")), encodesTo: [0x51, 0, 0, 0, 5, 0])
    }

    @Test func parseWithTypes() throws {
        // `P`, length, statement name, query, Int16 type count, an Int32 OID per type.
        try expectFrontendMessage(
            .parse(
                .init(
                    statementName: "s1", query: "SELECT $1, $2",
                    parameterTypes: [.int4, .unspecified])),
            encodesTo: [0x50, 0, 0, 0, 31] + Wire.cstring("s1") + Wire.cstring("SELECT $1, $2")
                + [0, 2, 0, 0, 0, 23, 0, 0, 0, 0])
    }

    @Test func parseUnnamedWithoutTypes() throws {
        try expectFrontendMessage(
            .parse(.init(query: "SELECT 1")),
            encodesTo: [0x50, 0, 0, 0, 16, 0] + Wire.cstring("SELECT 1") + [0, 0])
    }

    @Test(arguments: [
        (
            FrontendMessage.Target.statement, "s1",
            [0x44, 0, 0, 0, 8, 0x53, 0x73, 0x31, 0] as [UInt8]
        ),
        (.portal, "", [0x44, 0, 0, 0, 6, 0x50, 0]),
    ])
    func describe(target: FrontendMessage.Target, name: String, bytes: [UInt8]) throws {
        try expectFrontendMessage(.describe(.init(target, name: name)), encodesTo: bytes)
    }

    @Test(arguments: [
        (
            FrontendMessage.Target.statement, "s1",
            [0x43, 0, 0, 0, 8, 0x53, 0x73, 0x31, 0] as [UInt8]
        ),
        (.portal, "", [0x43, 0, 0, 0, 6, 0x50, 0]),
    ])
    func close(target: FrontendMessage.Target, name: String, bytes: [UInt8]) throws {
        try expectFrontendMessage(.close(.init(target, name: name)), encodesTo: bytes)
    }

    @Test func executeWithMaxRows() throws {
        // `E`, length, portal name, Int32 maximum row count (0 for no limit).
        try expectFrontendMessage(
            .execute(.init(portalName: "p1", maxRows: 2)),
            encodesTo: [0x45, 0, 0, 0, 11, 0x70, 0x31, 0, 0, 0, 0, 2])
        try expectFrontendMessage(.execute(.init()), encodesTo: [0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0])
    }

    @Test func describeWithUnknownTarget() throws {
        var decoder = FrontendMessageDecoder()
        decoder.expectsStartupMessage = false
        var input = ByteBuffer(bytes: [0x44, 0, 0, 0, 6, 0x58, 0])
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(
            error == PGWireError(.invalidValue("'X' (0x58)"), message: "Describe", field: "target"))
    }

    @Test func unknownFrontendType() throws {
        var decoder = FrontendMessageDecoder()
        decoder.expectsStartupMessage = false
        var input = ByteBuffer(bytes: [0x5A, 0, 0, 0, 4])
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(error == PGWireError(.unknownMessageType(0x5A), message: "FrontendMessage"))
    }

    @Test func parseWithHugeTypeCount() throws {
        var decoder = FrontendMessageDecoder()
        decoder.expectsStartupMessage = false
        var input = ByteBuffer(bytes: [0x50, 0, 0, 0, 9, 0, 0x78, 0, 0xFF, 0xFF])
        let error = #expect(throws: PGWireError.self) { try decoder.decode(from: &input) }
        #expect(error == PGWireError(.fieldOverrun, message: "Parse", field: "parameterTypes"))
    }
}
