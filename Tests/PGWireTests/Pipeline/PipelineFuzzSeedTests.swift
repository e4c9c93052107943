import PGWireTestSupport
import Testing

/// The `pipeline` fuzz entry's seeds (`Fixtures/fuzz/pipeline/`), replayed through the same
/// scenario and model as the fuzzer runs them.
@Suite struct PipelineFuzzSeedTests {
    @Test func theCorpusIsThere() {
        #expect(FuzzCorpus.seeds("pipeline").count >= 5)
    }

    @Test(arguments: FuzzCorpus.seeds("pipeline"))
    func seedKeepsTheRules(_ name: String) throws {
        let scenario = PipelineScenario.replaying(try FuzzCorpus.bytes("pipeline", name))
        #expect(scenario.violations == [])
    }
}
