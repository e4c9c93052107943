/// A list that keeps its first element inline, so the common case of one element (one lease, one
/// timer) costs no heap allocation. Used for the pool's actions on its hot path.
struct InlineList<Element>: Sequence {
    private var first: Element?
    private var rest: [Element] = []

    init() {}

    init(_ element: Element) {
        first = element
    }

    var isEmpty: Bool { first == nil }

    mutating func append(_ element: Element) {
        if first == nil {
            first = element
        } else {
            rest.append(element)
        }
    }

    mutating func append(contentsOf other: InlineList<Element>) {
        for element in other { append(element) }
    }

    func makeIterator() -> Iterator {
        Iterator(list: self)
    }

    struct Iterator: IteratorProtocol {
        let list: InlineList<Element>
        var index = -1

        mutating func next() -> Element? {
            defer { index += 1 }
            if index < 0 { return list.first }
            return index < list.rest.count ? list.rest[index] : nil
        }
    }
}

extension InlineList: Equatable where Element: Equatable {}
extension InlineList: Sendable where Element: Sendable {}
