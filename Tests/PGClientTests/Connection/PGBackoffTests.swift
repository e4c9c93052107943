import Testing

@testable import PGClient

@Suite struct PGBackoffTests {
    @Test func doublesFromTheInitialWaitUpToTheMaximum() {
        let backoff = PGBackoff(initial: .milliseconds(100), maximum: .seconds(1), jitter: 0.25)
        let waits = (1...6).map { backoff.delay(failures: $0, random: 0) }
        #expect(waits == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
    }

    @Test func jitterTakesOffAtMostItsFraction() {
        let backoff = PGBackoff(initial: .seconds(1), maximum: .seconds(8), jitter: 0.25)
        #expect(backoff.delay(failures: 1, random: 0.5) == .milliseconds(875))
        #expect(backoff.delay(failures: 1, random: 1) == .milliseconds(750))
        // Out-of-range random numbers and jitter are clamped.
        #expect(backoff.delay(failures: 1, random: 7) == .milliseconds(750))
        #expect(backoff.delay(failures: 1, random: -1) == .seconds(1))
        #expect(PGBackoff(initial: .seconds(1), maximum: .seconds(1), jitter: 3).delay(failures: 1, random: 1) == .zero)
    }

    @Test func theListenersConfigurationKeepsItsWaitsPositiveAndOrdered() throws {
        var config = PGListener.Configuration(connection: try PGConfig("host=localhost", environment: [:]))
        config.reconnectBackoffInitial = .zero
        config.reconnectBackoffMaximum = .seconds(-1)
        let backoff = config.backoff
        #expect(backoff.initial == .milliseconds(1))
        #expect(backoff.delay(failures: 40, random: 0) == .milliseconds(1))
    }
}
