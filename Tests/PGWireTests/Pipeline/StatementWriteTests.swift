import NIOCore
@testable import PGWire
import Testing

/// A planned statement's messages, written into bytes reserved once, are exactly the messages'
/// own encodings in protocol order: Parse, Bind, Describe, Execute, the Close of an evicted
/// statement, then Sync.
@Suite("Statement writes")
struct StatementWriteTests {
    @Test(arguments: [false, true], [false, true])
    func writesTheMessagesAsTheirEncodingsDo(parses: Bool, describes: Bool) throws {
        var types = PGParameterTypes()
        types.append(.int4)
        var values = ByteBuffer()
        values.writeInteger(Int32(4))
        values.writeInteger(Int32(42))
        for evicted in [nil, "pgwire_1"] as [String?] {
            for sync in [false, true] {
                let statement = StatementWrite(name: "pgwire_2", parses: parses, describes: describes, evicted: evicted)
                var written = ByteBuffer()
                try statement.write(
                    sql: "SELECT $1::int4", parameterTypes: types, parameterFormats: [.binary], parameterCount: 1,
                    values: values, into: &written, sync: sync)

                var expected = ByteBuffer()
                if parses {
                    try FrontendMessage.parse(.init(statementName: "pgwire_2", query: "SELECT $1::int4", parameterTypes: [.int4]))
                        .encode(into: &expected)
                }
                try FrontendMessage.bind(
                    .init(statementName: "pgwire_2", parameters: [ByteBuffer(integer: Int32(42))])
                ).encode(into: &expected)
                if describes { try FrontendMessage.describe(.init(.portal)).encode(into: &expected) }
                try FrontendMessage.execute(.init()).encode(into: &expected)
                if let evicted { try FrontendMessage.close(.init(.statement, name: evicted)).encode(into: &expected) }
                if sync { try FrontendMessage.sync.encode(into: &expected) }
                #expect(written == expected, "evicted: \(evicted ?? "none"), sync: \(sync)")
            }
        }
    }
}
