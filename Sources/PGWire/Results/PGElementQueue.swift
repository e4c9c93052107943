/// A first-in, first-out queue that moves elements in and out instead of copying them.
///
/// NIO's `CircularBuffer` copies an element in on `append` and copies it out on `popFirst`
/// (then clears the slot), so each row passing through cost a retain and a release per
/// reference, twice. Rows pass through two of these queues between the socket and the caller.
@usableFromInline
package struct PGElementQueue<Element> {
    @usableFromInline package var slots: [Element?] = []
    /// The slot of the first element; the ones before it were taken.
    @usableFromInline package var head = 0

    @inlinable
    package init() {}

    @inlinable
    package var isEmpty: Bool { head == slots.count }

    @inlinable
    package var count: Int { slots.count - head }

    @inlinable
    package mutating func append(_ element: consuming Element) {
        slots.append(.some(element))
    }

    /// Takes the first element out; once the last one is taken, the storage is reused from
    /// its start.
    @inlinable
    package mutating func popFirst() -> Element? {
        guard head < slots.count else { return nil }
        let element = slots[head].take()
        head += 1
        if head == slots.count {
            slots.removeAll(keepingCapacity: true)
            head = 0
        }
        return element
    }

    /// Moves every element of `other` to the end of this queue, leaving `other` empty.
    package mutating func append(contentsOf other: inout PGElementQueue<Element>) {
        slots.reserveCapacity(count + other.count)
        while let element = other.popFirst() { append(element) }
    }

    package mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        head = 0
    }

    /// The elements, in order, leaving the queue empty.
    package mutating func drain() -> [Element] {
        var elements: [Element] = []
        elements.reserveCapacity(count)
        while let element = popFirst() { elements.append(element) }
        return elements
    }
}

extension PGElementQueue: Sendable where Element: Sendable {}
