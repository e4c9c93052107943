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
        var buffered = ByteBuffer()
        buffered.writeInteger(Int32(4))
        buffered.writeInteger(Int32(42))
        var inline = PGSmallValues()
        let appended = inline.append(lengthPrefixed: Int32(42))
        #expect(appended)
        // The values are written the same from a buffer and from inline bytes.
        for (values, evicted, sync) in [PGEncodedValues.buffer(buffered), .inline(inline)].flatMap({ values in
            [nil, "pgwire_1"].flatMap { evicted in [false, true].map { (values, evicted as String?, $0) } }
        }) {
            do {
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

    @Test(arguments: [[PGFormat.binary], [.text], [.binary, .text]])
    func aRepeatedSetIsWrittenAsItsStatementWriteIs(formats: [PGFormat]) throws {
        let count = formats.count
        var types = PGParameterTypes()
        for _ in 0..<count { types.append(.int4) }
        let repeated = try RepeatedStatementWrite(statementName: "pgwire_7", parameterFormats: formats, parameterCount: count)
        let set = StatementWrite(name: "pgwire_7", parses: false, describes: false, evicted: nil)
        for value in [Int32(0), -5, .max] {
            var values = ByteBuffer()
            for _ in 0..<count {
                values.writeInteger(Int32(4))
                values.writeInteger(value)
            }
            var written = ByteBuffer(string: "before")
            try values.withUnsafeReadableBytes { (raw) throws(PGWireError) in try repeated.write(values: raw, into: &written) }
            var expected = ByteBuffer(string: "before")
            try set.write(
                sql: "SELECT $1::int4", parameterTypes: types, parameterFormats: formats, parameterCount: count,
                values: .buffer(values), into: &expected)
            #expect(written == expected)
        }
    }

    @Test func onlyAWriteOfBindAndExecuteAloneIsShared() throws {
        func shared(_ write: StatementWrite) throws -> Bool {
            try RepeatedStatementWrite(sharedBy: write, parameterFormats: [.binary], parameterCount: 1) != nil
        }
        #expect(try shared(StatementWrite(name: "pgwire_7", parses: false, describes: false, evicted: nil)))
        #expect(try !shared(StatementWrite(name: "pgwire_7", parses: true, describes: false, evicted: nil)))
        #expect(try !shared(StatementWrite(name: "pgwire_7", parses: false, describes: true, evicted: nil)))
        #expect(try !shared(StatementWrite(name: "pgwire_7", parses: false, describes: false, evicted: "pgwire_1")))
        #expect(throws: PGWireError.self) {
            try RepeatedStatementWrite(statementName: "bad\u{0}name", parameterFormats: [.binary], parameterCount: 1)
        }
    }
}
