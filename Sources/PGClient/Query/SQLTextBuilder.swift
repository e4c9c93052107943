/// The SQL text of an interpolated query, assembled as UTF-8 bytes in place and made a `String`
/// once at the end.
///
/// Each append to a `String` checks its form, uniqueness and capacity, and a query's pieces
/// cost more that way than the rest of its text's way to the server. Here a text of up to
/// ``inlineCapacity`` bytes is copied piece by piece into bytes this value holds, and becomes
/// a `String` with one allocation (none at 15 bytes or fewer, which a `String` keeps inline).
/// A longer text moves into the `String` its caller keeps (`text`), which takes every append
/// from then on. This value holds no reference, so a query built with it is moved out of its
/// interpolation whole.
struct SQLTextBuilder: Sendable {
    /// The bytes of the text while it fits, in order.
    private var inline: InlineBytes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// How many bytes of `inline` are used; `-1` once the text is in the caller's `String`.
    private var inlineCount = 0

    private typealias InlineBytes = (
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
    )

    /// The longest text kept in place.
    static let inlineCapacity = MemoryLayout<InlineBytes>.size

    /// Prepares for about `expectedCount` bytes: in place when they fit, else straight into
    /// `text`, reserved for them.
    mutating func expect(_ expectedCount: Int, text: inout String) {
        if expectedCount > Self.inlineCapacity { spill(into: &text, reserving: expectedCount) }
    }

    /// Appends `piece`, to `text` once the text no longer fits in place.
    mutating func append(_ piece: String, to text: inout String) {
        if inlineCount >= 0 {
            let stored = piece.utf8.withContiguousStorageIfAvailable { appendInline(UnsafeRawBufferPointer($0)) }
            if stored == true { return }
            spill(into: &text, reserving: inlineCount + piece.utf8.count)
        }
        text += piece
    }

    /// Appends the placeholder of parameter `number` (`$` and the number in decimal), to `text`
    /// once the text no longer fits in place.
    mutating func appendPlaceholder(_ number: Int, to text: inout String) {
        if inlineCount >= 0 {
            if number >= 0 && number < 100 && inlineCount <= Self.inlineCapacity - 3 {
                appendShortPlaceholder(number)
                return
            }
            let stored = Self.withPlaceholder(number) { appendInline($0) }
            if stored { return }
            spill(into: &text, reserving: inlineCount + 4)
        }
        text += Self.placeholder(number)
    }

    /// Appends `$number` for a `number` below 100, with room for three bytes in place.
    private mutating func appendShortPlaceholder(_ number: Int) {
        let start = inlineCount
        let digits = UInt8(truncatingIfNeeded: number)
        inlineCount =
            withUnsafeMutableBytes(of: &inline) { bytes in
                bytes[start] = UInt8(ascii: "$")
                guard digits >= 10 else {
                    bytes[start + 1] = UInt8(ascii: "0") + digits
                    return start + 2
                }
                bytes[start + 1] = UInt8(ascii: "0") + digits / 10
                bytes[start + 2] = UInt8(ascii: "0") + digits % 10
                return start + 3
            }
    }

    /// Puts the text, if it is still in place, into `text`.
    func finish(_ text: inout String) {
        guard inlineCount > 0 else { return }
        let count = inlineCount
        text = withUnsafeBytes(of: inline) { bytes in
            String(unsafeUninitializedCapacity: count) { target in
                UnsafeMutableRawBufferPointer(target).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[..<count]))
                return count
            }
        }
    }

    /// Copies `bytes` after those in place if they fit; `false` (nothing copied) if not.
    @inline(__always)
    private mutating func appendInline(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = inlineCount
        guard bytes.count <= Self.inlineCapacity - start else { return false }
        withUnsafeMutableBytes(of: &inline) { target in
            UnsafeMutableRawBufferPointer(rebasing: target[start..<(start + bytes.count)]).copyMemory(from: bytes)
        }
        inlineCount = start + bytes.count
        return true
    }

    /// Moves the bytes in place into `text`, reserved for `capacity` bytes, which takes every
    /// append from then on.
    private mutating func spill(into text: inout String, reserving capacity: Int) {
        let count = inlineCount
        inlineCount = -1
        text.reserveCapacity(capacity)
        guard count > 0 else { return }
        text += withUnsafeBytes(of: inline) { String(decoding: $0[..<count], as: UTF8.self) }
    }

    /// Calls `body` with the bytes of `$number`.
    private static func withPlaceholder<Result>(_ number: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        // "$" and at most 20 digits.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            var rest = number.magnitude
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0 && start > 1
            start -= 1
            buffer[start] = UInt8(ascii: "$")
            return body(UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// `"$n"`, for a text that went into its `String`: the bytes ``withPlaceholder(_:_:)`` makes,
    /// a small string.
    static func placeholder(_ number: Int) -> String {
        withPlaceholder(number) { String(decoding: $0, as: UTF8.self) }
    }
}
