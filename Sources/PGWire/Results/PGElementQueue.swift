/// A first-in, first-out queue that moves elements in and out instead of copying them.
///
/// NIO's `CircularBuffer` copies an element in on `append` and copies it out on `popFirst`
/// (then clears the slot), so each row passing through cost a retain and a release per
/// reference, twice. Rows pass through two of these queues between the socket and the caller.
@usableFromInline
package struct PGElementQueue<Element> {
    /// The elements in `head..<tail`; the slots outside it are empty and reused.
    @usableFromInline package var slots: [Element?] = []
    /// The slot of the first element; the ones before it were taken.
    @usableFromInline package var head = 0
    /// The slot after the last element.
    @usableFromInline package var tail = 0

    @inlinable
    package init() {}

    @inlinable
    package var isEmpty: Bool { head == tail }

    @inlinable
    package var count: Int { tail - head }

    @inlinable
    package mutating func append(_ element: consuming Element) {
        if tail < slots.count {
            slots[tail] = .some(element)
        } else {
            slots.append(.some(element))
        }
        tail += 1
    }

    /// Takes the first element out; once the last one is taken, the slots are reused from
    /// their start (they are all empty then, so nothing is removed).
    @inlinable
    package mutating func popFirst() -> Element? {
        guard head < tail else { return nil }
        let element = slots[head].take()
        head += 1
        if head == tail {
            head = 0
            tail = 0
        }
        return element
    }

    /// Moves every element of `other` to the end of this queue, leaving `other` empty.
    package mutating func append(contentsOf other: inout PGElementQueue<Element>) {
        slots.reserveCapacity(tail + other.count)
        while let element = other.popFirst() { append(element) }
    }

    package mutating func removeAll() {
        slots.removeAll(keepingCapacity: true)
        head = 0
        tail = 0
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
