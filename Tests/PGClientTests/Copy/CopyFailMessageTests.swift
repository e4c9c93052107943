import NIOCore
import PGWire
import Testing

@testable import PGClient

/// The CopyFail a client sends when the source of its COPY FROM STDIN throws. Found by the `copy`
/// fuzz entry (`Fixtures/fuzz/copy/copyfail-nul.bin`): an error whose description held a NUL made
/// a CopyFail that could not be encoded, so it was never sent and the server waited for COPY data
/// forever.
@Suite struct CopyFailMessageTests {
    @Test(arguments: ["plain", "a NUL \0 inside", "\0", "é\0\0x", ""])
    func theMessageForAnyErrorCanBeSent(_ reason: String) throws {
        let message = PGConnection.copyFailMessage(reason)
        #expect(!message.unicodeScalars.contains("\0"))
        #expect(message.hasPrefix("aborted by the client: "))
        var buffer = ByteBuffer()
        try FrontendMessage.copyFail(.init(message: message)).encode(into: &buffer)
        var decoder = FrontendMessageDecoder(maximumMessageSize: 1 << 20)
        decoder.expectsStartupMessage = false
        #expect(try decoder.decode(from: &buffer) == .copyFail(.init(message: message)))
    }

    @Test func aNulBecomesTheReplacementCharacter() {
        #expect(PGConnection.copyFailMessage("a\0b") == "aborted by the client: a\u{FFFD}b")
    }
}
