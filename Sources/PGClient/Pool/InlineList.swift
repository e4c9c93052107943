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

    package mutating func append(contentsOf other: InlineList<Element>) {
        for element in other { append(element) }
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
