@testable import PGClient
import Testing

/// What a stream's consumer finds when nothing is buffered (`PGStreamBuffer.outcomeWhenEmpty`).
@Suite("Stream buffer: a consumer with nothing buffered")
struct PGStreamBufferTests {
    typealias Buffer = PGStreamBuffer<Int>

    /// A consumer cancelled as it asked for the next row left first; the rows that came before
    /// the end were dropped, so the end must not read as the result's end.
    @Test func aConsumerThatLeftIsCancelledEvenWhenTheEndCameAfter() {
        for end: Result<Void, PGError>? in [.success(()), .failure(PGError(.server, message: "boom", requestWasSent: true)), nil] {
            guard case .cancelled? = Buffer.outcomeWhenEmpty(end: end, consumerGone: true) else {
                Issue.record("a consumer that left was not told it was cancelled (end: \(String(describing: end)))")
                continue
            }
        }
    }

    @Test func aConsumerStillThereGetsTheEndOrWaits() {
        guard case .end(nil)? = Buffer.outcomeWhenEmpty(end: .success(()), consumerGone: false) else {
            Issue.record("a successful end was not the end")
            return
        }
        guard case .end(let error?)? = Buffer.outcomeWhenEmpty(
            end: .failure(PGError(.server, message: "boom", requestWasSent: true)), consumerGone: false)
        else {
            Issue.record("a failed end was not its error")
            return
        }
        #expect(error.message == "boom")
        #expect(Buffer.outcomeWhenEmpty(end: nil, consumerGone: false) == nil)
    }
}
