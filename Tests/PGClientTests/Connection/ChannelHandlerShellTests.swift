import Logging
import NIOCore
import NIOEmbedded
import PGWire
import Testing

@testable import PGClient

/// The handler as the shell it is, on an `EmbeddedChannel`: what it writes for a request, how
/// the server's answer reaches the caller, and what a closed channel does to requests.
@Suite("Channel handler: the shell over an embedded channel")
struct ChannelHandlerShellTests {
    /// A handler past startup, and the channel it is on.
    struct Connected {
        let channel: EmbeddedChannel
        let handler: PGChannelHandler

        init() throws {
            channel = EmbeddedChannel()
            shared = PGConnectionShared()
            let connected = channel.eventLoop.makePromise(of: NIOLoopBound<PGChannelHandler>.self)
            handler = PGChannelHandler(
                settings: ConnectionSettings(user: "shell", database: "shell", tls: .disable), tls: nil,
                shared: shared, logger: Logger(label: "shell-tests"), connectPromise: connected,
                statementCacheCapacity: 8)
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5432)).wait()
            let startup = try #require(try channel.readOutbound(as: ByteBuffer.self))
            #expect(startup.readableBytes > 8)
            try receive([.authentication(.ok), .backendKeyData(.init(processID: 7, secretKey: [0, 0, 0, 7])), ready()])
            _ = try connected.futureResult.wait()
        }

        func receive(_ messages: [BackendMessage]) throws {
            var bytes = ByteBuffer()
            for message in messages { message.encode(into: &bytes) }
            try channel.writeInbound(bytes)
        }

        /// The frontend messages written since the last call.
        func written() throws -> [FrontendMessage] {
            var decoder = FrontendMessageDecoder()
            decoder.expectsStartupMessage = false
            var messages: [FrontendMessage] = []
            while var bytes = try channel.readOutbound(as: ByteBuffer.self) {
                while let message = try decoder.decode(from: &bytes) { messages.append(message) }
            }
            return messages
        }

        let shared: PGConnectionShared

        func ready(_ status: BackendMessage.TransactionStatus = .idle) -> BackendMessage {
            .readyForQuery(.init(transactionStatus: status))
        }
    }

    static let columns = BackendMessage.RowDescription(columns: [.init(name: "n", dataType: .int4, dataTypeSize: 4, format: .binary)])

    static func row(_ value: Int32) -> BackendMessage { .dataRow(.init(columns: [ByteBuffer(integer: value)])) }

    @Test func aQueryIsWrittenInOneGoAndItsRowsReachTheCaller() throws {
        let shell = try Connected()
        let promise = PGPendingResult(query: "SELECT \(Int32(5))::int4")
        try shell.channel.writeOutbound(PGRequest(id: RequestID(1), kind: .query(promise)))
        let names = try shell.written().map(\.name)
        #expect(names == ["Parse", "Bind", "Describe", "Execute", "Sync"])
        try shell.receive([
            .parseComplete, .bindComplete, .rowDescription(Self.columns), Self.row(5),
            .commandComplete(.init(tag: "SELECT 1")), shell.ready(),
        ])
        let rows = try promise.wait()
        #expect(rows.commandTag == "SELECT 1")
        guard case .complete(var queue, _) = rows.source else {
            Issue.record("a result that ended in one read is handed over whole")
            return
        }
        #expect(try queue.drain().map { try PGRow(dataRow: $0, columns: rows.columns).decode(Int32.self, at: 0) } == [5])
        // Run again, the statement is bound by name with its columns known.
        let again = PGPendingResult(query: "SELECT \(Int32(6))::int4")
        try shell.channel.writeOutbound(PGRequest(id: RequestID(2), kind: .query(again)))
        #expect(try shell.written().map(\.name) == ["Bind", "Execute", "Sync"])
        try shell.receive([.bindComplete, Self.row(6), .commandComplete(.init(tag: "SELECT 1")), shell.ready()])
        #expect(try again.wait().commandTag == "SELECT 1")
    }

    @Test func aResultOverSeveralReadsStreamsToTheCaller() throws {
        let shell = try Connected()
        let promise = PGPendingResult(query: "SELECT 1")
        try shell.channel.writeOutbound(PGRequest(id: RequestID(1), kind: .query(promise)))
        _ = try shell.written()
        try shell.receive([.parseComplete, .bindComplete, .rowDescription(Self.columns), Self.row(1)])
        let rows = try promise.wait()
        guard case .streaming = rows.source else {
            Issue.record("a result still arriving is handed over as a stream")
            return
        }
        try shell.receive([Self.row(2), .commandComplete(.init(tag: "SELECT 2")), shell.ready()])
        #expect(rows.commandTag == "SELECT 2")
    }

    @Test func aClosedChannelFailsTheRequestsInFlightAsSent() throws {
        let shell = try Connected()
        let promise = PGPendingResult(query: "SELECT 1")
        try shell.channel.writeOutbound(PGRequest(id: RequestID(1), kind: .query(promise)))
        _ = try shell.written()
        try shell.channel.close().wait()
        #expect(throws: PGError.self) { try promise.wait() }
        do {
            _ = try promise.wait()
        } catch let error as PGError {
            #expect(error.kind == .connectionClosed)
            #expect(error.requestWasSent)
        }
    }

    @Test func aRequestThatCannotBeWrittenFailsWithoutAByte() throws {
        let shell = try Connected()
        let result = PGSimpleResult(sql: "SELECT '\u{0}'")
        try shell.channel.writeOutbound(PGRequest(id: RequestID(1), kind: .simple(result)))
        #expect(try shell.written().isEmpty)
        do {
            _ = try result.wait()
            Issue.record("a NUL in the text was sent")
        } catch let error as PGError {
            #expect(error.kind == .encoding)
            #expect(!error.requestWasSent)
        }
    }

    @Test func requestsQueuedOffTheEventLoopGoOutInOneWriteEachWithItsOwnSync() throws {
        let shell = try Connected()
        var promises: [PGPendingResult] = []
        for value in Int32(1)...3 {
            let promise = PGPendingResult(query: "SELECT \(value)::int4")
            promises.append(promise)
            let request = PGRequest(id: RequestID(UInt64(value)), kind: .query(promise))
            // Only the first append finds the queue empty and schedules the event loop's turn.
            #expect(shell.shared.submissions.append(request) == (value == 1))
        }
        shell.handler.submitQueued()
        let buffer = try #require(try shell.channel.readOutbound(as: ByteBuffer.self))
        #expect(try shell.channel.readOutbound(as: ByteBuffer.self) == nil, "one write for the three")
        var decoder = FrontendMessageDecoder()
        decoder.expectsStartupMessage = false
        var bytes = buffer
        var names: [String] = []
        while let message = try decoder.decode(from: &bytes) { names.append(message.name) }
        // The statement is parsed once; its columns are not known yet, so each describes them.
        let statement = ["Bind", "Describe", "Execute", "Sync"]
        #expect(names == ["Parse"] + statement + statement + statement)
        // The second fails alone: its own Sync ends its own implicit transaction.
        try shell.receive([
            .parseComplete, .bindComplete, .rowDescription(Self.columns), Self.row(1), .commandComplete(.init(tag: "SELECT 1")), shell.ready(),
            .errorResponse(.init(fields: [.severity: "ERROR", .sqlState: "22012", .message: "division by zero"])), shell.ready(),
            .bindComplete, .rowDescription(Self.columns), Self.row(3), .commandComplete(.init(tag: "SELECT 1")),
            shell.ready(),
        ])
        #expect(try promises[0].wait().commandTag == "SELECT 1")
        #expect(throws: PGError.self) { try promises[1].wait() }
        #expect(try promises[2].wait().commandTag == "SELECT 1")
        // The queue was taken whole: the next append schedules a turn again.
        let next = PGPendingResult(query: "SELECT 4")
        #expect(shell.shared.submissions.append(PGRequest(id: RequestID(4), kind: .query(next))))
        next.fail(PGError(.cancelled, message: "not run", requestWasSent: false))
    }

    /// A batch's request, written: the names of its messages, and what the caller will get.
    static func writeBatch(
        of count: Int32, on shell: Connected
    ) throws -> (names: [String], result: PGPendingValue<[Result<PGResultSet, PGError>]>) {
        var batch = PGBatch("SELECT $1::int4")
        for value in 0..<count { try batch.append(value) }
        let result = PGPendingValue<[Result<PGResultSet, PGError>]>()
        try shell.channel.writeOutbound(PGRequest(id: RequestID(1), kind: .batch(.repeated(batch), result: result)))
        return (try shell.written().map(\.name), result)
    }

    @Test func aBatchOf32OrMoreAsksForItsResultsBeforeItsLastEighth() throws {
        let shell = try Connected()
        let (names, result) = try Self.writeBatch(of: 40, on: shell)
        // The Flush follows the 35th statement: the server sends those results as it reaches it.
        let statement = ["Bind", "Execute"]
        let first = ["Parse", "Bind", "Describe", "Execute"]
        let expected = first + Array(repeating: statement, count: 34).joined() + ["Flush"]
            + Array(repeating: statement, count: 5).joined() + ["Sync"]
        #expect(names == expected)
        // The results before the Flush arrive in a read of their own; nothing is complete yet.
        let results = { (values: Range<Int32>) -> [BackendMessage] in
            values.flatMap { [.bindComplete, Self.row($0), .commandComplete(.init(tag: "SELECT 1"))] }
        }
        try shell.receive([.parseComplete, .bindComplete, .rowDescription(Self.columns), Self.row(0), .commandComplete(.init(tag: "SELECT 1"))] + results(1..<35))
        #expect(throws: NotYetCompleted.self) { try result.wait() }
        try shell.receive(results(35..<40) + [shell.ready()])
        let sets = try result.wait()
        #expect(try sets.map { try $0.get().rows.first?.decode(Int32.self, at: 0) } == Array(0..<40))
    }

    @Test func aBatchOfFewerThan32HasNoFlush() throws {
        let shell = try Connected()
        let (names, result) = try Self.writeBatch(of: 31, on: shell)
        #expect(!names.contains("Flush"))
        #expect(names.filter { $0 == "Execute" }.count == 31)
        #expect(names.last == "Sync")
        result.fail(PGError(.cancelled, message: "not answered", requestWasSent: true))
    }

    @Test func requestsQueuedWhenTheChannelClosesFailUnsent() throws {
        let shell = try Connected()
        let promise = PGPendingResult(query: "SELECT 1")
        _ = shell.shared.submissions.append(PGRequest(id: RequestID(1), kind: .query(promise)))
        try shell.channel.close().wait()
        shell.handler.submitQueued()
        do {
            _ = try promise.wait()
            Issue.record("a request queued on a closed channel succeeded")
        } catch let error as PGError {
            #expect(error.kind == .connectionClosed)
            #expect(!error.requestWasSent)
            #expect(error.isSafeToRetry)
        }
    }
}
