import PGWire
import Testing

@Suite("CommandComplete")
struct CommandCompleteTests {
    static let tags: [(String, String, Int64?)] = [
        ("INSERT 0 5", "INSERT", 5),
        ("SELECT 3", "SELECT", 3),
        ("UPDATE 10", "UPDATE", 10),
        ("DELETE 0", "DELETE", 0),
        ("MERGE 2", "MERGE", 2),
        ("MOVE 4", "MOVE", 4),
        ("FETCH 1", "FETCH", 1),
        ("COPY 1000000", "COPY", 1_000_000),
        ("SELECT 9223372036854775807", "SELECT", Int64.max),
        ("CREATE TABLE", "CREATE", nil),
        ("BEGIN", "BEGIN", nil),
        ("LISTEN", "LISTEN", nil),
        ("INSERT 5", "INSERT", nil),  // malformed: INSERT always carries an OID before the count
        ("SELECT many", "SELECT", nil),
        ("", "", nil),
    ]

    @Test(arguments: tags)
    func encodesDecodesAndCounts(tag: String, command: String, rowCount: Int64?) throws {
        // `C`, length, the tag NUL-terminated.
        let bytes = [0x43] + Wire.int32(Int32(tag.utf8.count + 5)) + Array(tag.utf8) + [0]
        try expectBackendMessage(.commandComplete(.init(tag: tag)), encodesTo: bytes)
        guard case .commandComplete(let done) = try decodeBackend(bytes) else {
            Issue.record("not a CommandComplete")
            return
        }
        #expect(done.tag == tag)
        #expect(done.command == command[...])
        #expect(done.rowCount == rowCount)
    }

    @Test func insertByteLayout() throws {
        try expectBackendMessage(
            .commandComplete(.init(tag: "INSERT 0 1")),
            encodesTo: [
                0x43, 0, 0, 0, 15, 0x49, 0x4E, 0x53, 0x45, 0x52, 0x54, 0x20, 0x30, 0x20, 0x31, 0,
            ])
    }

    @Test func tagWithoutTerminatorIsRejected() throws {
        let error = try #require(backendDecodingError([0x43, 0, 0, 0, 7, 0x44, 0x4F, 0x21]))
        #expect(error == PGWireError(.missingTerminator, message: "CommandComplete", field: "tag"))
    }
}
