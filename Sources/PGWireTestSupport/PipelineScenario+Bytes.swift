extension PipelineScenario {
    /// Longer inputs are cut here, so that one fuzz input stays fast.
    package static let maximumSteps = 2048

    /// Runs the scenario that `bytes` spell (a `pipeline` fuzz input or seed): the first byte
    /// chooses the cache's capacity (0–3) and the cancel timeout in ticks (1–5), each further
    /// event takes a byte for its kind and a few for its details; then ``drain(_:)``.
    ///
    /// - Returns: the finished scenario; its ``violations`` hold any rule that was broken.
    package static func replaying(_ bytes: [UInt8]) -> PipelineScenario {
        var source = ScenarioByteSource(bytes)
        let configuration = source.next()
        var scenario = PipelineScenario(cacheCapacity: Int(configuration % 4), cancelTicks: 1 + Int(configuration >> 2) % 5)
        var steps = 0
        while !source.isExhausted, steps < maximumSteps {
            scenario.step(&source)
            steps += 1
        }
        scenario.drain(&source)
        return scenario
    }
}
