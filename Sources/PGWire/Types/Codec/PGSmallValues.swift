/// Parameter values encoded for Bind (each an Int32 length, -1 for NULL, then its bytes), kept
/// inline up to ``capacity`` bytes.
///
/// A statement's values usually are a few integers, a UUID or a timestamp. `PGBindings` keeps
/// them here rather than in a `ByteBuffer`, which would cost two allocations per statement (its
/// storage object and its bytes).
/// A type takes part by implementing ``PGEncodable/encodeInline(into:)``; the built-in integer,
/// floating-point, `bool`, `uuid` and timestamp codecs do, and `nil` (NULL) always does.
///
/// ```swift
/// var values = PGSmallValues()
/// _ = Int32(7).encodeInline(into: &values)     // 00 00 00 04 00 00 00 07
/// _ = Optional<Int64>.none.encodeInline(into: &values)   // ff ff ff ff
/// values.count                                 // 12
/// ```
public struct PGSmallValues: Sendable, Hashable {
    /// The most bytes kept inline.
    public static let capacity = 32

    /// The bytes, the unused ones zero (so equal values compare and hash equal).
    @usableFromInline var storage = Words()
    @usableFromInline var used: UInt8 = 0

    /// No values.
    public init() {}

    /// The number of bytes written.
    public var count: Int { Int(used) }

    /// Whether no value was written.
    public var isEmpty: Bool { used == 0 }

    /// Calls `body` with the bytes written.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Appends one big-endian integer with its Int32 length before it.
    ///
    /// - Returns: `false`, leaving the values unchanged, when it does not fit.
    public mutating func append<Value: FixedWidthInteger>(lengthPrefixed value: Value) -> Bool {
        let size = MemoryLayout<Value>.size
        guard count + 4 + size <= Self.capacity else { return false }
        let offset = count
        Swift.withUnsafeMutableBytes(of: &storage) { bytes in
            bytes.storeBytes(of: Int32(size).bigEndian, toByteOffset: offset, as: Int32.self)
            bytes.storeBytes(of: value.bigEndian, toByteOffset: offset + 4, as: Value.self)
        }
        used += UInt8(4 + size)
        return true
    }

    /// Appends `bytes` with their Int32 length before them.
    ///
    /// - Returns: `false`, leaving the values unchanged, when they do not fit.
    public mutating func append(lengthPrefixedBytes bytes: UnsafeRawBufferPointer) -> Bool {
        guard count + 4 + bytes.count <= Self.capacity else { return false }
        let offset = count
        Swift.withUnsafeMutableBytes(of: &storage) { storage in
            storage.storeBytes(of: Int32(bytes.count).bigEndian, toByteOffset: offset, as: Int32.self)
            if bytes.count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: storage[(offset + 4)..<(offset + 4 + bytes.count)])
                    .copyMemory(from: bytes)
            }
        }
        used += UInt8(4 + bytes.count)
        return true
    }

    /// Appends NULL: the length -1 and no bytes.
    ///
    /// - Returns: `false`, leaving the values unchanged, when it does not fit.
    public mutating func appendNull() -> Bool {
        guard count + 4 <= Self.capacity else { return false }
        let offset = count
        Swift.withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: Int32(-1).bigEndian, toByteOffset: offset, as: Int32.self) }
        used += 4
        return true
    }

    /// ``withUnsafeBytes(_:)`` for the driver's own copies of the bytes (into Bind, into a
    /// buffer): not generic, so nothing is specialized or boxed per caller.
    @inlinable @inline(__always)
    package func withBytes(_ body: (UnsafeRawBufferPointer) -> Void) {
        var storage = storage
        let count = Int(used)
        Swift.withUnsafeBytes(of: &storage) { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Four words, aligned as a `UInt64` is, rather than a `SIMD4<UInt64>` (aligned to 32
    /// bytes): on Linux the Swift runtime allocates every object aligned to more than 8 bytes
    /// (a query's pending result, the pipeline's request in flight) with `posix_memalign`
    /// rather than `malloc`.
    @usableFromInline struct Words: Sendable, Hashable {
        @usableFromInline var w0: UInt64 = 0
        @usableFromInline var w1: UInt64 = 0
        @usableFromInline var w2: UInt64 = 0
        @usableFromInline var w3: UInt64 = 0

        @inlinable init() {}
    }
}
