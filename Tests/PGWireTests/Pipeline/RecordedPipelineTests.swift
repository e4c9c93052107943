import NIOCore
import Testing

@testable import PGWire

/// The pipeline driven by sessions recorded from PostgreSQL 15: the client's Query messages are
/// submitted as requests, all at once, and the server's bytes arrive in reads of every size.
@Suite("Request pipeline: recorded sessions")
struct RecordedPipelineTests {
    /// Splits of the server's bytes into reads: one byte at a time, odd sizes, all at once.
    static let readSizes = [1, 7, 64, Int.max]

    @Test(arguments: ["simple-query", "copy-in", "copy-out", "cancelled-query", "notify"])
    func everyRequestEndsOnceInOrderWhateverTheReads(session name: String) throws {
        let session = try RecordedSession(name)
        var outcomes: [[String]] = []
        for size in Self.readSizes {
            outcomes.append(try Self.replay(session, readSize: size))
        }
        for outcome in outcomes.dropFirst() {
            #expect(outcome == outcomes[0], "\(name): the reads' sizes changed the outcome")
        }
        let requests = Self.requests(of: session)
        let ends = outcomes[0].filter { $0.hasPrefix("end ") }
        #expect(ends == requests.indices.map { "end #\($0 + 1)" }, "\(name): \(outcomes[0])")
    }

    @Test func theSimpleQuerySessionGivesEachCallerWhatItAskedFor() throws {
        let outcome = try Self.replay(try RecordedSession("simple-query"), readSize: 5)
        let settled = outcome.filter { $0.hasPrefix("results") || $0.hasPrefix("fail") }
        #expect(settled == [
            "results #1 CREATE TABLE 0 rows, INSERT 0 2 0 rows, INSERT 0 1 1 rows, SELECT 2 2 rows",
            "results #2 empty 0 rows",
            "results #3 empty 0 rows",
            "results #4 DO 0 rows",
            "results #5 BEGIN 0 rows",
            "fail #6 server 22012",
            "fail #7 server 25P02",
            "results #8 ROLLBACK 0 rows",
        ])
        // The DO's notice is named as coming during the DO, though the shell performs it after
        // the DO's ReadyForQuery was read.
        #expect(outcome.contains { $0.hasPrefix("connection notice") && $0.hasSuffix("during #4") }, "\(outcome)")
    }

    @Test func aCopyFromStdinHoldsTheRequestsAfterItUntilItEnds() throws {
        let outcome = try Self.replay(try RecordedSession("copy-in"), readSize: 3)
        let order = outcome.filter { $0.hasPrefix("write") || $0.hasPrefix("copy in") || $0.hasPrefix("end") || $0.hasPrefix("fail") }
        #expect(order == [
            // The COPY goes out behind the first request; the next waits until it ends.
            "write #1 query", "write #2 query", "end #1", "copy in #2", "copy in done #2 COPY 3", "end #2",
            "write #3 query", "copy in #3", "fail #3 server 57014", "end #3", "write #4 query", "end #4",
        ])
    }

    /// The Query messages of the session, as requests.
    static func requests(of session: RecordedSession) -> [PipelineRequest] {
        session.frontend.compactMap { message in
            guard case .query(let query) = message else { return nil }
            if query.sql.contains("FROM STDIN") { return .copyIn(query.sql) }
            if query.sql.contains("TO STDOUT") { return .copyOut(query.sql) }
            return .simple(query.sql)
        }
    }

    /// Replays the session: startup, then every request submitted at once, then the server's
    /// answers in reads of `readSize` bytes. Returns the actions after startup, described.
    static func replay(_ session: RecordedSession, readSize: Int) throws -> [String] {
        var pipeline = RequestPipeline(settings: .plain(), statementCacheCapacity: 8, cancelTicks: 5)
        var decoder = BackendMessageDecoder()
        var described: [String] = []
        func drain() {
            while let action = pipeline.nextAction() { described += PipelineDriver.lines(action) }
        }
        pipeline.socketConnected()
        let ready = try #require(session.backend.firstIndex { if case .readyForQuery = $0 { true } else { false } })
        decoder.append(MessageStreams.encode(Array(session.backend[...ready])))
        pipeline.consume(&decoder)
        drain()
        #expect(described.last == "connection connected")
        described.removeAll()
        for (index, request) in requests(of: session).enumerated() {
            pipeline.submit(RequestID(UInt64(index + 1)), request)
        }
        var rest = MessageStreams.encode(Array(session.backend[(ready + 1)...]))
        while rest.readableBytes > 0, let chunk = rest.readSlice(length: min(readSize, rest.readableBytes)) {
            decoder.append(chunk)
            pipeline.consume(&decoder)
            pipeline.readComplete()
            drain()
        }
        #expect(pipeline.requestsInFlight == 0 && pipeline.requestsHeld == 0)
        // COPY data arrives in as many parts as there were reads; count the chunks instead.
        return described.filter { !$0.hasPrefix("copy data") }
    }
}
