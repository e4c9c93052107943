import Testing

@testable import PGClient

/// The pool's list of actions and effects: its first element inline, the rest in an array; read
/// by iteration (copies) or moved out in order.
@Suite("Inline list")
struct InlineListTests {
    /// An element with a payload to retain, as the pool's effects have.
    final class Tracked {
        let name: String
        init(_ name: String) { self.name = name }
    }

    @Test(arguments: [0, 1, 2, 5])
    func elementsComeOutInOrderByIterationAndMoved(count: Int) {
        var list = InlineList<Tracked>()
        #expect(list.isEmpty)
        for index in 0..<count { list.append(Tracked("e\(index)")) }
        #expect(list.isEmpty == (count == 0))
        let expected = (0..<count).map { "e\($0)" }
        #expect(list.map(\.name) == expected)

        var moved: [String] = []
        list.consumeEach { moved.append($0.name) }
        #expect(moved == expected)
    }

    @Test func appendingAListKeepsItsOrder() {
        var list = InlineList(1)
        var other = InlineList<Int>()
        other.append(2)
        other.append(3)
        list.append(contentsOf: other)
        var moved: [Int] = []
        list.consumeEach { moved.append($0) }
        #expect(moved == [1, 2, 3])
    }
}
