/// Where a scenario (the pool's, the request pipeline's) takes its choices from: a seeded
/// generator in the random tests, the bytes of an input in a fuzz entry.
package protocol ScenarioEventSource {
    /// The next choice; only its low bits may vary (a fuzz input gives one byte per choice).
    mutating func next() -> UInt64
}

extension ScenarioEventSource {
    /// A number in `0..<count` (`count` > 0).
    package mutating func below(_ count: Int) -> Int {
        Int(next() % UInt64(count))
    }

    /// One element of `elements`, or `nil` when it is empty.
    package mutating func pick<Element>(_ elements: [Element]) -> Element? {
        elements.isEmpty ? nil : elements[below(elements.count)]
    }
}

/// A tiny seeded generator, so that random tests repeat.
package struct SplitMix64: RandomNumberGenerator, ScenarioEventSource {
    package var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The bytes of a fuzz input, one per choice; 0 once they run out.
package struct ScenarioByteSource: ScenarioEventSource {
    private let bytes: [UInt8]
    private var index = 0

    package init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether every byte has been taken.
    package var isExhausted: Bool { index >= bytes.count }

    package mutating func next() -> UInt64 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return UInt64(bytes[index])
    }
}
