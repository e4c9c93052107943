import NIOCore

extension ByteBuffer {
    /// Writes a parameter value that is one big-endian integer, with its Int32 length before it,
    /// into bytes reserved once (NIO's `writeMultipleIntegers` runs a generic loop with an
    /// exclusivity check per value).
    mutating func writeLengthPrefixed<Value: FixedWidthInteger>(_ value: Value) {
        let size = MemoryLayout<Value>.size
        writeReserved(4 + size) { bytes in
            bytes.storeBytes(of: Int32(size).bigEndian, toByteOffset: 0, as: Int32.self)
            bytes.storeBytes(of: value.bigEndian, toByteOffset: 4, as: Value.self)
            return 4 + size
        }
    }

    /// Writes `bytes` with their Int32 length before them, into bytes reserved once. The caller
    /// checked that the length fits an Int32. The copy is made here rather than through
    /// `MessageLayoutWriter.write(_:)`: its slice of the reserved bytes costs more, and every
    /// text parameter comes through here.
    mutating func writeLengthPrefixed(bytes source: UnsafeRawBufferPointer) {
        let count = source.count
        writeReserved(4 + count) { bytes in
            bytes.storeBytes(of: Int32(truncatingIfNeeded: count).bigEndian, toByteOffset: 0, as: Int32.self)
            if let base = source.baseAddress, count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: bytes[4..<(4 + count)]).copyMemory(
                    from: UnsafeRawBufferPointer(start: base, count: count))
            }
            return 4 + count
        }
    }
}
