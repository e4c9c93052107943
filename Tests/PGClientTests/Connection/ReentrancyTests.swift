import NIOCore
import Testing

@testable import PGClient

/// The channel handler turns off run-time exclusivity checks on its pipeline, decoder, request
/// table and outgoing bytes, on the ground that no access to them can overlap another. Promise
/// callbacks run synchronously on the event loop, inside the handler's work; these tests make
/// them submit requests there, which is where an overlapping access would come from.
@Suite("Channel handler: requests submitted from promise callbacks")
struct ReentrancyTests {
    @Test func callbacksThatSubmitFromInsideADeliveryGetTheirResultsInOrder() async throws {
        try await TestDatabase.withConnection { connection in
            let loop = connection.channel.eventLoop
            let chain = 40
            let results: [PGPendingResult] = (0..<chain).map { PGPendingResult(query: "SELECT \(Int32($0))::int4") }
            try await loop.submit {
                let handler = connection.handler
                // Each result, as it is delivered, submits the next query from its callback.
                for index in 0..<(chain - 1) {
                    let next = results[index + 1]
                    results[index].whenComplete { outcome in
                        guard case .success = outcome else { return }
                        handler.value.submitAndFlush(PGRequest(
                            id: connection.makeRequestID(), kind: .query(next)))
                    }
                }
                handler.value.submitAndFlush(PGRequest(id: connection.makeRequestID(), kind: .query(results[0])))
            }.get()
            for (index, result) in results.enumerated() {
                let rows = try await result.value().collect()
                #expect(try rows.map { try $0.decode(Int32.self, at: 0) } == [Int32(index)])
            }
            #expect(try await connection.scalar("SELECT 'still usable'") == "still usable")
        }
    }

    @Test func callbacksThatSubmitWhileAConnectionFailsAreFailedNotLost() async throws {
        try await TestDatabase.withConnection { connection in
            let loop = connection.channel.eventLoop
            let first = PGPendingResult(query: "SELECT pg_sleep(30)")
            let late = PGPendingResult(query: "SELECT 1")
            try await loop.submit {
                let handler = connection.handler
                first.whenComplete { outcome in
                    guard case .failure = outcome else { return }
                    handler.value.submitAndFlush(PGRequest(id: connection.makeRequestID(), kind: .query(late)))
                }
                handler.value.submitAndFlush(PGRequest(id: connection.makeRequestID(), kind: .query(first)))
                handler.value.closeRequested()
            }.get()
            await #expect(throws: PGError.self) { _ = try await late.value() }
        }
    }
}
