import Testing

@testable import PGClient

/// `EventLoopSpin`, the policy of a loop that polls for a pinned caller's answer: when a spin
/// starts, what ends it, and how spins that run out make the next requests skip.
@Suite("Event loop spin: polling for a pinned caller's answer")
struct EventLoopSpinTests {
    /// The budget of the spins these tests run (50 µs), in nanoseconds.
    static let budget: UInt64 = 50_000

    /// Checks a step's answer outside `#expect`, which cannot hold a mutating call.
    static func check(_ answer: Bool, is expected: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer == expected, sourceLocation: sourceLocation)
    }

    /// Runs one spin that starts at `start` and runs out.
    static func runOut(_ spin: inout EventLoopSpin, at start: UInt64) {
        Self.check(spin.requestWritten(now: start), is: true)
        Self.check(spin.poll(now: start + budget), is: false)
    }

    @Test func theBudgetIsKeptInNanosecondsNeverNegativeAndAtMostOneMillisecond() {
        #expect(EventLoopSpin(budget: .microseconds(50)).budget == 50_000)
        #expect(EventLoopSpin(budget: .nanoseconds(1)).budget == 1)
        #expect(EventLoopSpin(budget: .milliseconds(1)).budget == 1_000_000)
        #expect(EventLoopSpin(budget: .microseconds(1_001)).budget == 1_000_000)
        #expect(EventLoopSpin(budget: .seconds(2)).budget == 1_000_000)
        #expect(EventLoopSpin(budget: .seconds(Int64.max)).budget == 1_000_000)
        #expect(EventLoopSpin(budget: .microseconds(-5)).budget == 0)
        #expect(EventLoopSpin(budget: .seconds(-1)).budget == 0)
        #expect(EventLoopSpin(budget: .zero).budget == 0)
    }

    @Test func theDefaultBudgetIsTheCallersOwn250Microseconds() {
        // Long enough for a local server's usual answer, an INSERT's as well as a `SELECT 1`'s
        // (`Docs/benchmarks.md`, step twenty-seven), and the same as a caller's own polling off
        // the loop, so that the two kinds of caller wait alike.
        let options = PGConnection.Options()
        #expect(options.spinBeforeSleeping == .microseconds(250))
        #expect(options.spinBeforeSleeping == options.callerSpinBeforeSleeping)
        #expect(EventLoopSpin(budget: options.spinBeforeSleeping).budget == 250_000)
    }

    @Test func aZeroBudgetNeverSpins() {
        var spin = EventLoopSpin(budget: .zero)
        for now in [0, 1, 1_000_000] as [UInt64] {
            Self.check(spin.requestWritten(now: now), is: false)
            #expect(spin.deadline == nil)
        }
    }

    @Test func anAnswerEndsTheSpinAndTheQueuedPollStops() {
        var spin = EventLoopSpin(budget: .microseconds(50))
        Self.check(spin.requestWritten(now: 1_000), is: true)
        #expect(spin.deadline == 1_000 + Self.budget)
        Self.check(spin.poll(now: 6_000), is: true)
        Self.check(spin.poll(now: 11_000), is: true)
        spin.bytesRead()
        #expect(spin.deadline == nil)
        Self.check(spin.poll(now: 16_000), is: false)
        #expect(spin.answered == 1)
        #expect(spin.ranOut == 0)
        // The next request spins at once: nothing to skip after an answer.
        Self.check(spin.requestWritten(now: 20_000), is: true)
    }

    @Test func aRequestDuringASpinKeepsItsDeadlineAndQueuesNoSecondPoll() {
        var spin = EventLoopSpin(budget: .microseconds(50))
        Self.check(spin.requestWritten(now: 0), is: true)
        Self.check(spin.requestWritten(now: 30_000), is: false)
        #expect(spin.deadline == Self.budget)
        Self.check(spin.poll(now: 49_999), is: true)
        Self.check(spin.poll(now: 50_000), is: false)
        #expect(spin.ranOut == 1)
    }

    @Test func aRequestWrittenWhileAPollIsStillQueuedReusesIt() {
        var spin = EventLoopSpin(budget: .microseconds(50))
        Self.check(spin.requestWritten(now: 0), is: true)
        // The answer is read and the caller's next request written before the queued poll runs.
        spin.bytesRead()
        Self.check(spin.requestWritten(now: 10_000), is: false)
        #expect(spin.deadline == 10_000 + Self.budget)
        // The poll that was queued carries the new spin on.
        Self.check(spin.poll(now: 12_000), is: true)
        spin.bytesRead()
        Self.check(spin.poll(now: 14_000), is: false)
        #expect(spin.answered == 2)
    }

    @Test func spinsThatRunOutSkipOneTwoFourUpToSixtyFourRequests() {
        var spin = EventLoopSpin(budget: .microseconds(50))
        var now: UInt64 = 0
        Self.runOut(&spin, at: now)
        var skipsSeen: [Int] = []
        for _ in 0..<9 {
            now += 100_000
            var skipped = 0
            while !spin.requestWritten(now: now) {
                skipped += 1
                now += 1
            }
            skipsSeen.append(skipped)
            Self.check(spin.poll(now: now + Self.budget), is: false)  // the spin after the skips runs out too
        }
        #expect(skipsSeen == [1, 2, 4, 8, 16, 32, 64, 64, 64])
        #expect(spin.ranOut == 10)
        #expect(spin.answered == 0)
    }

    @Test func anAnswerResetsTheSkipsThatGrow() {
        var spin = EventLoopSpin(budget: .microseconds(50))
        Self.runOut(&spin, at: 0)  // skips 1
        Self.check(spin.requestWritten(now: 100_000), is: false)
        Self.runOut(&spin, at: 200_000)  // skips 2
        Self.check(spin.requestWritten(now: 300_000), is: false)
        Self.check(spin.requestWritten(now: 300_001), is: false)
        Self.check(spin.requestWritten(now: 400_000), is: true)
        spin.bytesRead()
        Self.check(spin.poll(now: 401_000), is: false)
        Self.runOut(&spin, at: 500_000)  // back to skipping 1
        Self.check(spin.requestWritten(now: 600_000), is: false)
        Self.check(spin.requestWritten(now: 600_001), is: true)
    }

    @Test func bytesReadWithoutASpinChangeNothing() {
        var spin = EventLoopSpin(budget: .microseconds(50))
        spin.bytesRead()
        #expect(spin.answered == 0)
        Self.runOut(&spin, at: 0)
        spin.bytesRead()  // the spin already ran out: its skips stay
        Self.check(spin.requestWritten(now: 100_000), is: false)
        #expect(spin.answered == 0)
    }

    @Test func aClosedConnectionEndsTheSpinWithoutCountingIt() {
        var spin = EventLoopSpin(budget: .microseconds(50))
        Self.check(spin.requestWritten(now: 0), is: true)
        spin.closed()
        #expect(spin.deadline == nil)
        Self.check(spin.poll(now: 5_000), is: false)
        #expect(spin.answered == 0)
        #expect(spin.ranOut == 0)
    }
}
