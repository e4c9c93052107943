import NIOCore

/// Where a codec writes a parameter value with its Int32 length before it: a `ByteBuffer`, or
/// ``PGSmallValues``. Each codec that writes a known number of bytes says how once, for both.
protocol PGValueSink {
    /// Writes one big-endian integer with its length.
    mutating func writeLengthPrefixed<Value: FixedWidthInteger>(_ value: Value)
    /// Writes `bytes` with their length; the caller checked that it fits an Int32.
    mutating func writeLengthPrefixed(bytes: UnsafeRawBufferPointer)
}

extension ByteBuffer: PGValueSink {}
