import NIOCore
import PGWire

/// Message streams for the decoder tests: every kind of message, several times, in one stream.
enum MessageStreams {
    /// One of every backend message kind, and a few variants.
    static let backendSample: [BackendMessage] = [
        .authentication(.sasl(mechanisms: ["SCRAM-SHA-256"])),
        .authentication(.saslContinue(data: ByteBuffer(string: "r=abc,s=c2FsdA==,i=4096"))),
        .authentication(.saslFinal(data: ByteBuffer(string: "v=c2lnbmF0dXJl"))),
        .authentication(.ok),
        .parameterStatus(.init(name: "server_version", value: "15.8")),
        .backendKeyData(.init(processID: 4242, secretKey: [1, 2, 3, 4])),
        .negotiateProtocolVersion(.init(newestVersion: ProtocolVersion(code: 0), unrecognizedOptions: ["_pq_.x"])),
        .readyForQuery(.init(transactionStatus: .idle)),
        .parseComplete,
        .parameterDescription(.init(dataTypes: [.int4, .text])),
        .rowDescription(
            .init(columns: [
                .init(name: "a", dataType: .int4, dataTypeSize: 4, format: .binary),
                .init(name: "b", dataType: .text, format: .text),
            ])),
        .bindComplete,
        .dataRow(.init(columns: [ByteBuffer(integer: Int32(1)), nil])),
        .dataRow(.init(columns: [ByteBuffer(integer: Int32(2)), ByteBuffer(string: "two")])),
        .portalSuspended,
        .dataRow(.init(columns: [ByteBuffer(), ByteBuffer(string: "")])),
        .commandComplete(.init(tag: "SELECT 3")),
        .noData,
        .emptyQueryResponse,
        .noticeResponse(.init(fields: [.severity: "NOTICE", .sqlState: "00000", .message: "hi"])),
        .notificationResponse(.init(processID: 7, channel: "ch", payload: "p")),
        .copyInResponse(.init(format: .text, columnFormats: [.text])),
        .copyOutResponse(.init(format: .binary, columnFormats: [.binary, .binary])),
        .copyBothResponse(.init(format: .text, columnFormats: [])),
        .copyData(.init(data: ByteBuffer(string: "1\tone\n"))),
        .copyDone,
        .errorResponse(
            .init(fields: [.severity: "ERROR", .sqlState: "22012", .message: "division by zero"])),
        .closeComplete,
        .readyForQuery(.init(transactionStatus: .failedTransaction)),
    ]

    /// The sample three times over, with a row of 100 kB in the middle so the decoder's buffer
    /// grows, is compacted and is given back.
    static var backendMessages: [BackendMessage] {
        let large = BackendMessage.dataRow(
            .init(columns: [
                ByteBuffer(bytes: (0..<100_000).map { UInt8(truncatingIfNeeded: $0) }), nil,
            ]))
        return backendSample + [large] + backendSample + backendSample
    }

    static func encode(_ messages: [BackendMessage]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for message in messages { message.encode(into: &buffer) }
        return buffer
    }

    /// A client's side of a session, startup first.
    static let frontendMessages: [FrontendMessage] = [
        .sslRequest,
        .startup(.init(parameters: [.init("user", "u"), .init("database", "d")])),
        .password(.init(password: "secret")),
        .query(.init(sql: "SELECT 1")),
        .parse(.init(statementName: "s", query: "SELECT $1", parameterTypes: [.int4])),
        .describe(.init(.statement, name: "s")),
        .flush,
        .bind(.init(statementName: "s", parameters: [ByteBuffer(integer: Int32(5)), nil])),
        .execute(.init(maxRows: 10)),
        .close(.init(.portal)),
        .sync,
        .query(.init(sql: "COPY t FROM STDIN")),
        .copyData(.init(data: ByteBuffer(string: "1\n"))),
        .copyDone,
        .copyFail(.init(message: "stop")),
        .terminate,
    ]
}
