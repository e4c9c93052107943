import PGWire

/// An id that an ``IDTable`` keys by: a number a counter hands out.
package protocol TableID: Equatable {
    /// The id's bits, from which the table picks its slot.
    var tableBits: UInt64 { get }
}

extension RequestID: TableID {
    package var tableBits: UInt64 { rawValue }
}

extension Int: TableID {
    package var tableBits: UInt64 { UInt64(truncatingIfNeeded: self) }
}

/// Values by id (the handler's requests, the pool's connections and its machine's): a hash table
/// with a hash of one multiplication.
///
/// A `Dictionary` hashes each key with a seeded SipHash; the handler looks a request up four
/// times in its life (submitted, written, its rows handed over, ended), and the pool a
/// connection each time it lends it, and here each of those is a multiplication, a shift and a
/// compare. The multiplication (Fibonacci hashing) scatters the consecutive ids a counter hands
/// out: in slots taken by their low bits they would form one run, and a removal at its start
/// would walk all of it.
///
/// Open addressing with linear probing; a removal shifts the entries after it back, so no
/// tombstones build up. At most half the slots are used.
package struct IDTable<ID: TableID, Value> {
    fileprivate struct Entry {
        let id: ID
        var value: Value
    }

    private var slots: [Entry?]
    /// 64 minus the base-2 logarithm of the number of slots: a hash's top bits pick the slot.
    private var shift: UInt64
    /// The number of entries.
    package private(set) var count = 0

    /// Whether the table holds no entry.
    package var isEmpty: Bool { count == 0 }

    /// An empty table.
    package init() {
        slots = Array(repeating: nil, count: 16)
        shift = 64 - 4
    }

    private var mask: Int { slots.count - 1 }

    private func home(of id: ID) -> Int {
        Int(truncatingIfNeeded: (id.tableBits &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot that holds `id`, or the empty slot where it would go.
    @inline(__always)
    private func slot(of id: ID) -> (index: Int, found: Bool) {
        var index = home(of: id)
        while let entry = slots[index] {
            if entry.id == id { return (index, true) }
            index = (index + 1) & mask
        }
        return (index, false)
    }

    /// The value for `id`; setting `nil` removes it.
    package subscript(id: ID) -> Value? {
        get {
            let (index, found) = slot(of: id)
            return found ? slots[index]?.value : nil
        }
        set {
            if let newValue { insert(newValue, for: id) } else { removeValue(forKey: id) }
        }
    }

    private mutating func insert(_ value: Value, for id: ID) {
        var (index, found) = slot(of: id)
        if found {
            slots[index]?.value = value
            return
        }
        if (count + 1) * 2 > slots.count {
            grow()
            index = slot(of: id).index
        }
        slots[index] = Entry(id: id, value: value)
        count += 1
    }

    /// Removes the value for `id` and returns it; `nil` when there is none.
    @discardableResult
    package mutating func removeValue(forKey id: ID) -> Value? {
        let (index, found) = slot(of: id)
        guard found, let removed = slots[index] else { return nil }
        slots[index] = nil
        count -= 1
        // Move back each entry of the run that follows and could sit in the hole: one whose
        // home is not after the hole (cyclically, up to its own slot).
        var hole = index
        var next = (index + 1) & mask
        while let entry = slots[next] {
            let home = home(of: entry.id)
            let homeAfterHole = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next)
            if !homeAfterHole {
                slots[hole] = entry
                slots[next] = nil
                hole = next
            }
            next = (next + 1) & mask
        }
        return removed.value
    }

    /// The values, in no particular order.
    package var values: some Sequence<Value> {
        slots.lazy.compactMap { $0?.value }
    }

    /// The ids, in no particular order.
    package var ids: some Sequence<ID> {
        slots.lazy.compactMap { $0?.id }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        shift -= 1
        for case let entry? in old {
            slots[slot(of: entry.id).index] = entry
        }
    }
}

extension IDTable: Sendable where ID: Sendable, Value: Sendable {}
extension IDTable.Entry: Sendable where ID: Sendable, Value: Sendable {}
