/// A list that keeps its first element inline, so the common case of one element (one lease, one
/// timer) costs no heap allocation. Used for the pool's actions on its hot path.
package struct InlineList<Element>: Sequence {
    private var first: Element?
    private var rest: [Element] = []

    package init() {}

    package init(_ element: Element) {
        first = element
    }

    package var isEmpty: Bool { first == nil }

    package mutating func append(_ element: Element) {
        if first == nil {
            first = element
        } else {
            rest.append(element)
        }
    }

    package mutating func append(contentsOf other: consuming InlineList<Element>) {
        other.consumeEach { append($0) }
    }

    /// Calls `body` with each element in order, moving the elements out of the list rather than
    /// copying them (an iterator hands out copies, and a copy of an enum with payloads is a call
    /// that retains each of them).
    package consuming func consumeEach(_ body: (consuming Element) -> Void) {
        guard let first = first.take() else { return }
        body(first)
        for element in rest { body(element) }
    }

    package func makeIterator() -> Iterator {
        Iterator(list: self)
    }

    package struct Iterator: IteratorProtocol {
        let list: InlineList<Element>
        var index = -1

        package mutating func next() -> Element? {
            defer { index += 1 }
            if index < 0 { return list.first }
            return index < list.rest.count ? list.rest[index] : nil
        }
    }
}

extension InlineList: Equatable where Element: Equatable {}
extension InlineList: Sendable where Element: Sendable {}
