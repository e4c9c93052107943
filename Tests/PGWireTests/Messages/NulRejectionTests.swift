import NIOCore
import PGWire
import Testing

/// A string holding NUL would end early on the server and silently mean something else, so every
/// string field of every frontend message refuses it, and the buffer is left as it was.
@Suite("Strings containing NUL")
struct NulRejectionTests {
    static let cases: [(FrontendMessage, String, String)] = [
        (.query(.init(sql: "SELECT 1\0; DROP TABLE t")), "Query", "sql"),
        (.parse(.init(statementName: "s\0", query: "SELECT 1")), "Parse", "statementName"),
        (.parse(.init(query: "SELECT\0 1")), "Parse", "query"),
        (.bind(.init(portalName: "p\0")), "Bind", "portalName"),
        (.bind(.init(statementName: "\0")), "Bind", "statementName"),
        (.describe(.init(.statement, name: "x\0y")), "Describe", "name"),
        (.close(.init(.portal, name: "\0")), "Close", "name"),
        (.execute(.init(portalName: "p\0", maxRows: 1)), "Execute", "portalName"),
        (.password(.init(password: "pass\0word")), "PasswordMessage", "password"),
        (
            .saslInitialResponse(.init(mechanism: "SCRAM\0", initialResponse: [1])),
            "SASLInitialResponse", "mechanism"
        ),
        (.copyFail(.init(message: "stop\0")), "CopyFail", "message"),
        (.startup(.init(parameters: [.init("user", "bob\0")])), "StartupMessage", "user"),
        (
            .startup(.init(parameters: [.init("user", "bob"), .init("opt\0ion", "x")])),
            "StartupMessage", "parameter name"
        ),
    ]

    @Test(arguments: cases)
    func isRejectedAndLeavesTheBufferUnchanged(
        message: FrontendMessage, name: String, field: String
    ) throws {
        var buffer = ByteBufferFixture.prefilled
        let error = #expect(throws: PGWireError.self) { try message.encode(into: &buffer) }
        #expect(
            error
                == PGWireError(
                    .invalidValue("a string containing a NUL byte"), message: name, field: field))
        #expect(buffer == ByteBufferFixture.prefilled)
        #expect(buffer.writerIndex == ByteBufferFixture.prefilled.writerIndex)
    }

    @Test func emptyStartupParameterNameIsRejected() throws {
        var buffer = ByteBufferFixture.prefilled
        let error = #expect(throws: PGWireError.self) {
            try FrontendMessage.startup(.init(parameters: [.init("", "x")])).encode(into: &buffer)
        }
        #expect(
            error
                == PGWireError(
                    .invalidValue("an empty parameter name"), message: "StartupMessage",
                    field: "parameters"))
        #expect(buffer == ByteBufferFixture.prefilled)
    }

    @Test func tooManyParseTypesAreRejected() throws {
        var buffer = ByteBufferFixture.prefilled
        let error = #expect(throws: PGWireError.self) {
            try FrontendMessage.parse(
                .init(query: "SELECT 1", parameterTypes: .init(repeating: .int4, count: 70_000))
            )
            .encode(into: &buffer)
        }
        #expect(error?.field == "parameterTypes")
        #expect(buffer == ByteBufferFixture.prefilled)
    }
}
