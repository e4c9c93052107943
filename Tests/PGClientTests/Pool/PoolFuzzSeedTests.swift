import PGPoolTestSupport
import PGWireTestSupport
import Testing

/// The `pool` fuzz entry's seeds (`Fixtures/fuzz/pool/`), including the inputs of past findings,
/// replayed through the same scenario and model as the fuzzer runs them.
@Suite struct PoolFuzzSeedTests {
    @Test func theCorpusIsThere() {
        #expect(FuzzCorpus.seeds("pool").count >= 5)
    }

    @Test(arguments: FuzzCorpus.seeds("pool"))
    func seedKeepsTheInvariants(_ name: String) throws {
        let scenario = PoolScenario.replaying(try FuzzCorpus.bytes("pool", name))
        #expect(scenario.model.violations == [])
        #expect(scenario.machine.lifecycle == .shutDown)
    }
}
