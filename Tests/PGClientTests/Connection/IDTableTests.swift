import PGWire
import Testing

@testable import PGClient

/// `IDTable`, the handler's requests and the pool's connections by id, against a `Dictionary`
/// doing the same: ids in the order a connection hands them out, ids spaced by powers of two,
/// and removals from every position of small tables, where collisions are common.
@Suite("ID table: values by request or connection id")
struct IDTableTests {
    /// A deterministic generator, so that a failure reproduces.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func check(_ table: IDTable<RequestID, Int>, against model: [UInt64: Int], ids: some Sequence<UInt64>) {
        #expect(table.count == model.count)
        #expect(table.isEmpty == model.isEmpty)
        #expect(Set(table.ids.map(\.rawValue)) == Set(model.keys))
        #expect(table.values.sorted() == model.values.sorted())
        for id in ids { #expect(table[RequestID(id)] == model[id], "id \(id)") }
    }

    @Test(arguments: [1, 16, 1024])
    func randomInsertionsAndRemovalsMatchADictionary(stride: UInt64) {
        var random = SplitMix64(state: stride)
        var table = IDTable<RequestID, Int>()
        var model: [UInt64: Int] = [:]
        var next: UInt64 = 1
        for step in 0..<20_000 {
            // Mostly new ids in order and removals of live ones, as a connection does; now and
            // then a lookup or removal of an id that is not there.
            switch random.next() % 10 {
            case 0..<5:
                let id = next * stride
                next += 1
                table[RequestID(id)] = step
                model[id] = step
            case 5..<9:
                guard let id = model.keys.randomElement(using: &random) else { continue }
                table[RequestID(id)] = nil
                model[id] = nil
            default:
                let id = (random.next() % (next + 2)) * stride
                #expect(table[RequestID(id)] == model[id])
                table[RequestID(id)] = nil
                model[id] = nil
            }
        }
        Self.check(table, against: model, ids: (0...next + 1).map { $0 * stride })
    }

    @Test func anyRemovalKeepsTheRestFindable() {
        // Seven ids in sixteen slots collide often; two hundred sets of them, each removed from
        // in every position, reach removals inside runs of collisions, wrapped ones included.
        var random = SplitMix64(state: 7)
        for _ in 0..<200 {
            var table = IDTable<RequestID, Int>()
            let ids = (0..<7).map { _ in random.next() % 64 }
            let unique = Array(Set(ids))
            for (value, id) in unique.enumerated() { table[RequestID(id)] = value }
            for removed in unique {
                var copy = table
                copy[RequestID(removed)] = nil
                #expect(copy.count == unique.count - 1)
                #expect(copy[RequestID(removed)] == nil)
                for (value, id) in unique.enumerated() where id != removed {
                    #expect(copy[RequestID(id)] == value, "\(id) after removing \(removed) from \(unique)")
                }
            }
        }
    }

    @Test func settingAgainReplacesTheValue() {
        var table = IDTable<RequestID, Int>()
        table[RequestID(7)] = 1
        table[RequestID(7)] = 2
        #expect(table.count == 1)
        #expect(table[RequestID(7)] == 2)
        table[RequestID(8)] = nil
        #expect(table.count == 1)
    }

    @Test func removingReturnsTheValueAndValuesListsTheRest() {
        // Connection ids as the pool keys them, negative ones included (all bits matter).
        var table = IDTable<Int, String>()
        for id in [1, 2, 3, -4, 1 << 40] { table[id] = "c\(id)" }
        #expect(table.removeValue(forKey: 2) == "c2")
        #expect(table.removeValue(forKey: 2) == nil)
        #expect(table.removeValue(forKey: 99) == nil)
        #expect(table.count == 4)
        #expect(Set(table.values) == ["c1", "c3", "c-4", "c\(1 << 40)"])
    }
}
