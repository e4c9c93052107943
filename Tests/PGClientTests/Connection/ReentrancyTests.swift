import NIOCore
import Testing

@testable import PGClient

/// The channel handler turns off run-time exclusivity checks on its pipeline, decoder and
/// request table, on the ground that no access to them can overlap another. Promise callbacks
/// run synchronously on the event loop, inside the handler's work; these tests make them submit
/// requests there, which is where an overlapping access would come from.
@Suite("Channel handler: requests submitted from promise callbacks")
struct ReentrancyTests {
    @Test func callbacksThatSubmitFromInsideADeliveryGetTheirResultsInOrder() async throws {
        try await TestDatabase.withConnection { connection in
            let loop = connection.channel.eventLoop
            let chain = 40
            let futures: [EventLoopFuture<PGRowSequence>] = try await loop.submit {
                let handler = connection.handler
                var promises: [EventLoopPromise<PGRowSequence>] = (0..<chain).map { _ in loop.makePromise() }
                // Each result, as it is delivered, submits the next query from its callback.
                for index in 0..<(chain - 1) {
                    let next = promises[index + 1]
                    promises[index].futureResult.whenSuccess { _ in
                        handler.value.submitAndFlush(PGRequest(
                            id: connection.makeRequestID(), kind: .query("SELECT \(Int32(index + 1))::int4", promise: next)))
                    }
                }
                handler.value.submitAndFlush(PGRequest(id: connection.makeRequestID(), kind: .query("SELECT 0::int4", promise: promises[0])))
                defer { promises.removeAll() }
                return promises.map(\.futureResult)
            }.get()
            for (index, future) in futures.enumerated() {
                let rows = try await future.get().collect()
                #expect(try rows.map { try $0.decode(Int32.self, at: 0) } == [Int32(index)])
            }
            #expect(try await connection.scalar("SELECT 'still usable'") == "still usable")
        }
    }

    @Test func callbacksThatSubmitWhileAConnectionFailsAreFailedNotLost() async throws {
        try await TestDatabase.withConnection { connection in
            let loop = connection.channel.eventLoop
            let late: EventLoopFuture<PGRowSequence> = try await loop.submit {
                let handler = connection.handler
                let first = loop.makePromise(of: PGRowSequence.self)
                let second = loop.makePromise(of: PGRowSequence.self)
                first.futureResult.whenFailure { _ in
                    handler.value.submitAndFlush(PGRequest(id: connection.makeRequestID(), kind: .query("SELECT 1", promise: second)))
                }
                handler.value.submitAndFlush(PGRequest(id: connection.makeRequestID(), kind: .query("SELECT pg_sleep(30)", promise: first)))
                handler.value.closeRequested()
                return second.futureResult
            }.get()
            await #expect(throws: PGError.self) { _ = try await late.get() }
        }
    }
}
