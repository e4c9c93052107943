import PGWireTestSupport
import Testing

@testable import PGWire

/// ``PGElementQueue``: first in, first out, whichever mix of its inline first element and its
/// slots holds the elements, and a copy taken from it is not changed by the original.
@Suite struct PGElementQueueTests {
    @Test func oneElementIsTakenBackAndTheQueueIsEmptyAgain() {
        var queue = PGElementQueue<String>()
        #expect(queue.isEmpty)
        queue.append("only")
        #expect(queue.count == 1)
        #expect(!queue.isEmpty)
        #expect(queue.popFirst() == "only")
        #expect(queue.isEmpty)
        #expect(queue.popFirst() == nil)
    }

    /// Appends and pops interleaved at random keep the order of a plain array, through every
    /// state: empty, inline only, inline and slots, slots only (after the inline one was taken).
    @Test(arguments: 0..<20) func interleavedAppendsAndPopsKeepTheOrder(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var queue = PGElementQueue<Int>()
        var model: [Int] = []
        var next = 0
        for _ in 0..<400 {
            if random.next() % 3 != 0 {
                queue.append(next)
                model.append(next)
                next += 1
            } else {
                #expect(queue.popFirst() == (model.isEmpty ? nil : model.removeFirst()))
            }
            #expect(queue.count == model.count)
            #expect(queue.isEmpty == model.isEmpty)
            var seen: [Int] = []
            queue.forEach { seen.append($0) }
            #expect(seen == model)
        }
        #expect(queue.drain() == model)
        #expect(queue.isEmpty)
    }

    @Test func aCopyKeepsItsElementsWhenTheOriginalIsTakenFrom() {
        var original = PGElementQueue<String>()
        for word in ["a", "b", "c"] { original.append(word) }
        let copy = original
        #expect(original.popFirst() == "a")
        #expect(original.popFirst() == "b")
        var seen: [String] = []
        copy.forEach { seen.append($0) }
        #expect(seen == ["a", "b", "c"])
    }

    @Test func appendingAnotherQueueMovesItsElementsBehindAndEmptiesIt() {
        var first = PGElementQueue<Int>()
        first.append(1)
        var second = PGElementQueue<Int>()
        for value in 2...4 { second.append(value) }
        first.append(contentsOf: &second)
        #expect(second.isEmpty)
        #expect(first.drain() == [1, 2, 3, 4])
        first.append(5)
        first.removeAll()
        #expect(first.isEmpty)
        first.append(6)
        #expect(first.drain() == [6])
    }
}
