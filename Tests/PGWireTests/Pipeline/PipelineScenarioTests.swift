import Foundation
import PGWireTestSupport
import Testing

@testable import PGWire

/// The pipeline against a simulated server, driven by random events and checked against the
/// model in ``PipelineScenario``; the same scenarios the `pipeline` fuzz entry runs from bytes.
@Suite("Request pipeline: random interleavings against a model")
struct PipelineScenarioTests {
    /// Scenarios per run; `PGWIRE_PIPELINE_SCENARIOS` raises it for a longer search.
    static let scenarios = Int(ProcessInfo.processInfo.environment["PGWIRE_PIPELINE_SCENARIOS"] ?? "") ?? 400

    @Test func everyCallerGetsWhatTheServerDidWhateverTheInterleaving() {
        var failures: [String] = []
        for seed in 0..<UInt64(Self.scenarios) {
            var random = SplitMix64(seed: seed)
            let capacity = Int(random.next() % 4)
            var scenario = PipelineScenario(cacheCapacity: capacity, cancelTicks: 1 + Int(random.next() % 5))
            for _ in 0..<300 { scenario.step(&random) }
            scenario.drain(&random)
            if !scenario.violations.isEmpty {
                failures.append("seed \(seed): " + scenario.violations.prefix(3).joined(separator: "; "))
            }
            if failures.count >= 5 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func bytesReplayTheSameScenario() {
        let bytes: [UInt8] = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let first = PipelineScenario.replaying(bytes)
        let second = PipelineScenario.replaying(bytes)
        #expect(first.violations.isEmpty, "\(first.violations)")
        #expect(first.pipeline.statementCache.count == second.pipeline.statementCache.count)
        #expect(first.server.statements == second.server.statements)
    }
}
