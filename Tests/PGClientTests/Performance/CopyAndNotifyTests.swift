import Foundation
import NIOCore
import PGClient
import PGWire
import Testing

/// COPY in and out, and notifications, against the real server.
@Suite("COPY and LISTEN/NOTIFY")
struct CopyAndNotifyTests {
    private func makeTable(_ connection: PGConnection) async throws -> String {
        let table = "copy_\(UInt32.random(in: 0...UInt32.max))"
        try await connection.simpleQuery(
            "CREATE TEMP TABLE \(table) (id int8, amount numeric(12,2), memo text, at timestamptz)")
        return table
    }

    @Test func csvAndBinaryRowsGoInAndComeOut() async throws {
        try await TestDatabase.withConnection { connection in
            let table = try await makeTable(connection)
            let csv = AsyncStream<ByteBuffer> { continuation in
                continuation.yield(ByteBuffer(string: "1,1.50,a,2024-01-01 00:00:00+00\n2,2.2"))
                continuation.yield(ByteBuffer(string: "5,\"b, c\",2024-01-02 00:00:00+00\n"))
                continuation.finish()
            }
            let first = try await connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", from: csv)
            #expect(first.rowCount == 2)
            let second = try await connection.copyIn("COPY \(table) FROM STDIN (FORMAT binary)") { writer in
                for i in 3...1002 {
                    try await writer.append(Int64(i), try #require(PGNumeric("\(i).99")), "row \(i)", Date(timeIntervalSince1970: Double(i)))
                }
            }
            #expect(second.rowCount == 1000)
            #expect(try await connection.scalar("SELECT sum(amount) FROM \(table)") == "503493.75")
            var text = ""
            for try await chunk in try await connection.copyOut("COPY (SELECT id, memo FROM \(table) WHERE id <= 2 ORDER BY id) TO STDOUT (FORMAT csv)") {
                text += String(buffer: chunk)
            }
            #expect(text == "1,a\n2,\"b, c\"\n")
        }
    }

    @Test func aCopyThatFailsHalfwayLeavesTheTableUnchanged() async throws {
        struct SourceBroke: Error {}
        try await TestDatabase.withConnection { connection in
            let table = try await makeTable(connection)
            let failing = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                for i in 0..<5_000 {
                    continuation.yield(ByteBuffer(string: "\(i),1.00,x,2024-01-01 00:00:00+00\n"))
                }
                continuation.finish(throwing: SourceBroke())
            }
            await #expect(throws: SourceBroke.self) {
                try await connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", from: failing)
            }
            #expect(try await connection.scalar("SELECT count(*) FROM \(table)") == "0")
            // Bad data: the server's error comes back, nothing is committed, the connection works.
            let bad = AsyncStream<ByteBuffer> { continuation in
                continuation.yield(ByteBuffer(string: "1,1.00,x,2024-01-01 00:00:00+00\nnot-a-number,1,x,2024-01-01\n"))
                continuation.finish()
            }
            await #expect(throws: PGError.self) {
                try await connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", from: bad)
            }
            #expect(try await connection.scalar("SELECT count(*) FROM \(table)") == "0")
        }
    }

    /// Found by the `copy` fuzz entry: a source error whose description held a NUL made a CopyFail
    /// that could not be sent, and the call waited for the server's answer forever.
    @Test(.timeLimit(.minutes(5)))
    func aSourceErrorHoldingANulStillAbortsTheCopy() async throws {
        struct Broke: Error, CustomStringConvertible {
            var description: String { "broke\0here" }
        }
        try await TestDatabase.withConnection { connection in
            let table = try await makeTable(connection)
            let failing = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                continuation.yield(ByteBuffer(string: "1,1.00,x,2024-01-01 00:00:00+00\n"))
                continuation.finish(throwing: Broke())
            }
            await #expect(throws: Broke.self) {
                try await connection.copyIn("COPY \(table) FROM STDIN (FORMAT csv)", from: failing)
            }
            #expect(try await connection.scalar("SELECT count(*) FROM \(table)") == "0")
        }
    }

    @Test func notificationsArriveWhileALongQueryRuns() async throws {
        let listener = try await TestDatabase.connect()
        let notifier = try await TestDatabase.connect()
        let channel = "invoice_paid_\(UInt32.random(in: 0...UInt32.max))"
        let notes = try await listener.listen(channel)
        // The listener is busy with a long query while the notifications are sent.
        async let busy = listener.query("SELECT pg_sleep(0.5)").collect()
        for i in 1...3 {
            try await notifier.execute("SELECT pg_notify(\(channel), \(String(i)))")
        }
        _ = try await busy
        var payloads: [String] = []
        for await note in notes {
            payloads.append(note.payload)
            if payloads.count == 3 { break }
        }
        #expect(payloads == ["1", "2", "3"])
        await listener.close()
        await notifier.close()
    }
}
