@testable import Financbase
import Testing

@Suite("Seeder streams")
struct SeedStreamTests {
    @Test("each organization's generator is an independent stream, not another's shifted by some draws")
    func streamsAreIndependent() {
        var streams = Seeder.streams(seed: 2024, count: 3)
        var drawn: [[UInt64]] = []
        for index in streams.indices {
            drawn.append((0..<256).map { _ in streams[index].next() })
        }
        for (first, second) in [(0, 1), (0, 2), (1, 2)] {
            let shared = Set(drawn[first]).intersection(drawn[second])
            #expect(shared.isEmpty, "streams \(first) and \(second) share \(shared.count) of 256 draws")
        }
        // The same seed gives the same streams.
        var again = Seeder.streams(seed: 2024, count: 3)
        #expect((0..<256).map { _ in again[1].next() } == drawn[1])
    }
}
