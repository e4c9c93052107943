/// A first-in, first-out queue that moves elements in and out instead of copying them.
///
/// NIO's `CircularBuffer` copies an element in on `append` and copies it out on `popFirst`
/// (then clears the slot), so each row passing through cost a retain and a release per
/// reference, twice. Rows pass through two of these queues between the socket and the caller.
///
/// The first element of a queue that was empty is kept inline, outside the array: most
/// statements return one row or none, and their queue then allocates nothing, and a copy of
/// it (a result read by an iterator while the sequence keeps it) copies no storage.
@usableFromInline
package struct PGElementQueue<Element> {
    /// The queue's first element when it was appended to an empty queue; the elements in
    /// `slots` come after it.
    @usableFromInline package var lone: Element?
    /// The elements after `lone`, in `head..<tail`; the slots outside it are empty and reused.
    @usableFromInline package var slots: [Element?] = []
    /// The slot of the first element in `slots`; the ones before it were taken.
    @usableFromInline package var head = 0
    /// The slot after the last element.
    @usableFromInline package var tail = 0

    @inlinable
    package init() {}

    @inlinable
    package var isEmpty: Bool { lone == nil && head == tail }

    @inlinable
    package var count: Int { (lone == nil ? 0 : 1) + tail - head }

    // The empty slot it fills is initialized, not assigned: assigning destroys the slot's old
    // value first, and for a large enum's optional that is a call through its value witnesses
    // (about 60 instructions for each `nil`). Every slot it fills holds `nil`, which owns nothing.
    @inlinable
    package mutating func append(_ element: consuming Element) {
        var element = Optional(element)
        if lone == nil && head == tail {
            withUnsafeMutablePointer(to: &lone) { $0.initialize(to: element.take()) }
        } else if tail < slots.count {
            let slot = tail
            slots.withUnsafeMutableBufferPointer { slots in
                slots.baseAddress?.advanced(by: slot).initialize(to: element.take())
            }
            tail += 1
        } else {
            slots.append(element.take())
            tail += 1
        }
    }

    /// Takes the first element out; once the last one is taken, the slots are reused from
    /// their start (they are all empty then, so nothing is removed).
    @inlinable
    package mutating func popFirst() -> Element? {
        if let element = lone.take() { return element }
        guard head < tail else { return nil }
        let element = slots[head].take()
        head += 1
        if head == tail {
            head = 0
            tail = 0
        }
        return element
    }

    /// Calls `body` with each element, in order, leaving the queue as it is: for a queue
    /// shared with another holder, whose storage taking elements out would copy.
    @inlinable
    package func forEach(_ body: (Element) throws -> Void) rethrows {
        if let lone { try body(lone) }
        for index in head..<tail {
            if let element = slots[index] { try body(element) }
        }
    }

    /// Moves every element of `other` to the end of this queue, leaving `other` empty.
    package mutating func append(contentsOf other: inout PGElementQueue<Element>) {
        slots.reserveCapacity(tail + other.count)
        while let element = other.popFirst() { append(element) }
    }

    package mutating func removeAll() {
        lone = nil
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
