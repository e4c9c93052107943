import Foundation
import PGPoolTestSupport
import Testing

/// The `pool` fuzz entry's seeds (`Fixtures/fuzz/pool/`), including the inputs of past findings,
/// replayed through the same scenario and model as the fuzzer runs them.
@Suite struct PoolFuzzSeedTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Pool
        .deletingLastPathComponent()  // PGClientTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("Fixtures/fuzz/pool")

    static var seeds: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".bin") }.sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.seeds.count >= 5)
    }

    @Test(arguments: seeds)
    func seedKeepsTheInvariants(_ name: String) throws {
        let bytes = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let scenario = PoolScenario.replaying(Array(bytes))
        #expect(scenario.model.violations == [])
        #expect(scenario.machine.lifecycle == .shutDown)
    }
}
