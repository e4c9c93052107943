import PGClient
import PGLocalCluster
import Testing

/// Writes outside an explicit transaction, lost on the way back: the caller is never told they
/// failed or succeeded when they may have done either, and the database holds each whole or not.
@Suite("Write outcome under faults")
struct WriteOutcomeTests {
    @Test func anAutocommitWriteWhoseAnswerWasLostIsNotSafeToRetryAndIsThere() async throws {
        let table = try await CommitOutcomeTests.makeTable()
        let error = try await withFaultProxy { proxy, config in
            let connection = try await PGConnection.connect(config: config)
            // The INSERT's Sync reaches the server (which commits it); the link then closes.
            proxy.faults = [.afterMessage(.init(.toServer, "S"), .close)]
            return await #expect(throws: PGError.self) {
                try await connection.execute("INSERT INTO \(unescaped: table) VALUES (1, 10.00)")
            }
        }
        #expect(error?.kind == .connectionClosed, "\(String(describing: error))")
        #expect(error?.requestWasSent == true)
        #expect(error?.isSafeToRetry == false)
        #expect(try await CommitOutcomeTests.rows(in: table) == 1)
    }

    @Test func aPipelineCutAfterItsFiftiethParseCompleteIsWholeOrAbsent() async throws {
        // One Sync for 100 inserts: one implicit transaction. The link resets as the 50th
        // ParseComplete comes back; whether the server reached the Sync decides all or nothing.
        let table = try await CommitOutcomeTests.makeTable()
        let outcome = try await withFaultProxy { proxy, config in
            let connection = try await PGConnection.connect(config: config, options: .init(statementCacheCapacity: 0))
            proxy.faults = [.afterMessage(.init(.toClient, "1", occurrence: 50), .reset)]
            let inserts: [PGQuery] = (Int32(1)...100).map { "INSERT INTO \(unescaped: table) VALUES (\($0), 1.00)" }
            return try? await connection.pipeline(inserts, sync: .once)
        }
        let stored = try await CommitOutcomeTests.rows(in: table)
        #expect(stored == 0 || stored == 100, "\(stored) of 100 rows")
        // The caller never sees success for a pipeline whose answers were lost.
        if let outcome {
            #expect(outcome.contains { (try? $0.get()) == nil }, "every insert reported done")
        }
    }

    @Test func aSessionCutAfterCopyDoneIsWholeOrAbsentAndNeverReportedDone() async throws {
        let table = try await CommitOutcomeTests.makeTable()
        let amount = try #require(PGNumeric(minorUnits: 100, scale: 2))
        let result = try await withFaultProxy { proxy, config in
            let connection = try await PGConnection.connect(config: config)
            proxy.faults = [.afterMessage(.init(.toServer, "c"), .reset)]
            return await #expect(throws: PGError.self) {
                try await connection.copyIn("COPY \(table) (id, amount) FROM STDIN (FORMAT binary)") { writer in
                    for id in Int32(1)...1000 { try await writer.append(id, amount) }
                }
            }
        }
        #expect(result?.isSafeToRetry == false)
        let stored = try await CommitOutcomeTests.rows(in: table)
        #expect(stored == 0 || stored == 1000, "\(stored) of 1000 rows")
    }
}
