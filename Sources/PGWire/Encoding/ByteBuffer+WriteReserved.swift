public import NIOCore

extension ByteBuffer {
    /// Reserves `count` writable bytes, lets `body` write into them (a buffer of exactly
    /// `count` bytes) and moves the writer index past the bytes `body` says it wrote, which must
    /// be at most `count`.
    ///
    /// What SwiftNIO's `writeWithUnsafeMutableBytes(minimumWritableBytes:_:)` does, without the
    /// generic `dropFirst` it slices its storage with, which is not inlined and costs about 55
    /// instructions a call: every parameter value and every message is written through here.
    @inlinable
    package mutating func writeReserved(_ count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) {
        reserveCapacity(minimumWritableBytes: count)
        let start = writerIndex
        let written = withVeryUnsafeMutableBytes { storage in
            // The storage holds at least `start + count` bytes once capacity is reserved; it has
            // no address only when it holds none, and then `count` is 0.
            guard let base = storage.baseAddress else { return body(UnsafeMutableRawBufferPointer(start: nil, count: 0)) }
            return body(UnsafeMutableRawBufferPointer(start: base + start, count: count))
        }
        moveWriterIndex(forwardBy: written)
    }
}
