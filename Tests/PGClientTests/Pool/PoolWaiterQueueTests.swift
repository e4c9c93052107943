import Testing

@testable import PGClient

/// The pool's waiters by id: taken from the head as the machine serves them, from the tail when
/// served at once, and from the middle when one leaves; an id that left is not found again.
@Suite("Pool waiter queue")
struct PoolWaiterQueueTests {
    @Test func waitersAreTakenByIdFromAnyPosition() {
        var queue = PoolWaiterQueue<String>()
        for id: UInt64 in 1...5 { queue.append("w\(id)", for: id) }
        #expect(queue.remove(1) == "w1")  // the head
        #expect(queue.remove(5) == "w5")  // the tail
        #expect(queue.remove(3) == "w3")  // the middle
        #expect(queue.remove(3) == nil)  // gone already
        #expect(queue.remove(9) == nil)  // never queued
        queue.append("w6", for: 6)
        #expect(queue.remove(2) == "w2")
        #expect(queue.remove(4) == "w4")
        #expect(queue.remove(6) == "w6")
        #expect(queue.remove(6) == nil)
    }

    @Test func aQueueInTheMachinesOrderMatchesADictionary() {
        // Ids appended in order, removed mostly from the head and now and then from anywhere,
        // as the machine serves, times out and cancels waiters.
        var queue = PoolWaiterQueue<UInt64>()
        var model: [UInt64: UInt64] = [:]
        var live: [UInt64] = []
        var next: UInt64 = 1
        for step: UInt64 in 0..<5_000 {
            switch step % 7 {
            case 0, 1, 2:
                queue.append(next * 10, for: next)
                model[next] = next * 10
                live.append(next)
                next += 1
            case 3, 4:
                guard !live.isEmpty else { continue }
                let id = live.removeFirst()
                #expect(queue.remove(id) == model.removeValue(forKey: id))
            default:
                guard !live.isEmpty else { continue }
                let id = live.remove(at: Int(step % UInt64(live.count)))
                #expect(queue.remove(id) == model.removeValue(forKey: id))
            }
        }
        for id in live { #expect(queue.remove(id) == model.removeValue(forKey: id)) }
        #expect(model.isEmpty)
    }
}
