import NIOCore
import PGWire
import Testing

/// CommandComplete and ReadyForQuery, which end every statement, are read in place from the
/// bytes the header was read from; they decode to what the general path gives, consume exactly
/// their own bytes, and leave anything malformed to the general path (``MalformedBodyTests``).
@Suite("Decoding the messages that end a statement")
struct StatementEndFastPathTests {
    /// Decodes every message of `bytes` and checks that nothing is left over.
    static func decodeAll(_ bytes: [UInt8]) throws -> [BackendMessage] {
        let decoder = BackendMessageDecoder()
        var buffer = ByteBuffer(bytes: bytes)
        var messages: [BackendMessage] = []
        while let message = try decoder.decode(from: &buffer) { messages.append(message) }
        #expect(buffer.readableBytes == 0)
        return messages
    }

    @Test(arguments: [BackendMessage.TransactionStatus.idle, .inTransaction, .failedTransaction])
    func everyTransactionStatus(status: BackendMessage.TransactionStatus) throws {
        let bytes = Wire.message("Z", [status.rawValue]) + Wire.message("1", [])
        #expect(try Self.decodeAll(bytes) == [.readyForQuery(.init(transactionStatus: status)), .parseComplete])
    }

    @Test(arguments: ["SELECT 1", "INSERT 0 100", "", "CREATE TABLE", "a tag longer than fifteen bytes"])
    func tagsAsSent(tag: String) throws {
        let bytes = Wire.message("C", Wire.cstring(tag)) + Wire.message("Z", [0x49])
        #expect(try Self.decodeAll(bytes) == [.commandComplete(.init(tag: tag)), .readyForQuery(.init(transactionStatus: .idle))])
    }

    @Test func invalidUTF8InATagIsRepaired() throws {
        let tag: [UInt8] = [0x53, 0xFF, 0x31]
        #expect(try Self.decodeAll(Wire.message("C", tag + [0])) == [.commandComplete(.init(tag: String(decoding: tag, as: UTF8.self)))])
    }

    @Test func nothingIsConsumedUntilTheWholeMessageIsThere() throws {
        let decoder = BackendMessageDecoder()
        let whole = Wire.message("C", Wire.cstring("SELECT 1"))
        for cut in 0..<whole.count {
            var buffer = ByteBuffer(bytes: whole[..<cut])
            #expect(try decoder.decode(from: &buffer) == nil)
            #expect(buffer.readableBytes == cut)
        }
    }
}
