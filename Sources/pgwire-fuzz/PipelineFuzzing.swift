import PGWireTestSupport

/// The `pipeline` entry: the request pipeline driven by an event sequence decoded from the input
/// (`PipelineScenario.replaying`) against a simulated server — requests of every kind, reads of
/// any size, consumers that leave or fall behind, cancels delivered or not, the socket filling,
/// the connection breaking — and checked by the scenario's model: every request ends exactly
/// once after one outcome, the outcome is what the server did, the server never sees a name
/// parsed twice or a request during COPY FROM STDIN, and nothing is left once it drains.
enum PipelineFuzzing {
    static func run(_ input: [UInt8]) {
        let scenario = PipelineScenario.replaying(input)
        fuzzCheck(scenario.violations.isEmpty, scenario.violations.prefix(5).joined(separator: "; "))
    }
}
