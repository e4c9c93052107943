import Testing

@testable import PGClient

/// `CallerSpinPolicy`, when a caller off the event loop polls for its result on its own
/// thread: only after a run of statements alone, never with another caller waiting, and less
/// often after spins that ran out.
@Suite("Caller spin policy: polling off the event loop")
struct CallerSpinPolicyTests {
    /// Checks a step's answer outside `#expect`, which cannot hold a mutating call.
    static func check(_ answer: Bool, is expected: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer == expected, sourceLocation: sourceLocation)
    }

    /// A policy with the default budget whose next statement alone spins.
    static func warmedUp() -> CallerSpinPolicy {
        var policy = CallerSpinPolicy(budget: .microseconds(250))
        for _ in 0..<CallerSpinPolicy.sequentialStatementsBeforeSpinning {
            check(policy.statementWritten(alone: true), is: false)
        }
        return policy
    }

    @Test func theBudgetIsKeptInNanosecondsAndAtMostOneMillisecond() {
        #expect(CallerSpinPolicy(budget: .microseconds(250)).budget == 250_000)
        #expect(CallerSpinPolicy(budget: .seconds(3)).budget == 1_000_000)
        #expect(CallerSpinPolicy(budget: .microseconds(-1)).budget == 0)
    }

    @Test func aZeroBudgetNeverSpins() {
        var policy = CallerSpinPolicy(budget: .zero)
        for _ in 0..<50 {
            Self.check(policy.statementWritten(alone: true), is: false)
        }
        #expect(policy.started == 0)
    }

    @Test func onlyTheStatementAfterARunOfStatementsAloneSpins() {
        var policy = Self.warmedUp()
        #expect(policy.aloneInARow == CallerSpinPolicy.sequentialStatementsBeforeSpinning)
        #expect(policy.started == 0)
        Self.check(policy.statementWritten(alone: true), is: true)
        policy.spinEnded(.answered)
        Self.check(policy.statementWritten(alone: true), is: true)
        policy.spinEnded(.answered)
        #expect(policy.started == 2)
        #expect(policy.answered == 2)
    }

    @Test func aCallerThatIsNotAloneNeverSpinsAndStartsTheRunAgain() {
        var policy = Self.warmedUp()
        Self.check(policy.statementWritten(alone: false), is: false)
        #expect(policy.aloneInARow == 0)
        // A whole run alone again before the next spin.
        for _ in 0..<CallerSpinPolicy.sequentialStatementsBeforeSpinning {
            Self.check(policy.statementWritten(alone: true), is: false)
        }
        Self.check(policy.statementWritten(alone: true), is: true)
    }

    @Test func aSpinInterruptedByAnotherCallerStartsTheRunAgain() {
        var policy = Self.warmedUp()
        Self.check(policy.statementWritten(alone: true), is: true)
        policy.spinEnded(.interrupted)
        #expect(policy.interrupted == 1)
        #expect(policy.aloneInARow == 0)
        Self.check(policy.statementWritten(alone: true), is: false)
    }

    @Test func spinsThatRunOutInARowSkipTwiceAsManyStatementsEachTimeUpTo64() {
        var policy = Self.warmedUp()
        var skipped: [Int] = []
        for _ in 0..<9 {
            Self.check(policy.statementWritten(alone: true), is: true)
            policy.spinEnded(.ranOut)
            skipped.append(policy.skipsLeft)
            for _ in 0..<policy.skipsLeft { Self.check(policy.statementWritten(alone: true), is: false) }
        }
        #expect(skipped == [1, 2, 4, 8, 16, 32, 64, 64, 64])
        #expect(policy.ranOut == 9)
        #expect(policy.started == 9)
    }

    @Test func anAnsweredSpinClearsTheGrowthOfSkips() {
        var policy = Self.warmedUp()
        // Three in a row run out: 1, then 2, then 4 statements skip.
        for expected in [1, 2, 4] {
            Self.check(policy.statementWritten(alone: true), is: true)
            policy.spinEnded(.ranOut)
            #expect(policy.skipsLeft == expected)
            for _ in 0..<expected { Self.check(policy.statementWritten(alone: true), is: false) }
        }
        Self.check(policy.statementWritten(alone: true), is: true)
        policy.spinEnded(.answered)
        Self.check(policy.statementWritten(alone: true), is: true)
        policy.spinEnded(.ranOut)
        // After an answer, the next run-out skips one statement again.
        #expect(policy.skipsLeft == 1)
    }
}
