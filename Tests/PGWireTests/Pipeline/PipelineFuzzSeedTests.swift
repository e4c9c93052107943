import Foundation
import PGWireTestSupport
import Testing

/// The `pipeline` fuzz entry's seeds (`Fixtures/fuzz/pipeline/`), replayed through the same
/// scenario and model as the fuzzer runs them.
@Suite struct PipelineFuzzSeedTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Pipeline
        .deletingLastPathComponent()  // PGWireTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("Fixtures/fuzz/pipeline")

    static var seeds: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".bin") }.sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.seeds.count >= 5)
    }

    @Test(arguments: seeds)
    func seedKeepsTheRules(_ name: String) throws {
        let bytes = try Data(contentsOf: Self.directory.appendingPathComponent(name))
        let scenario = PipelineScenario.replaying(Array(bytes))
        #expect(scenario.violations == [])
    }
}
