package import NIOCore

/// A statement's parameter values as Bind sends them (each an Int32 length, -1 for NULL, then
/// its bytes), wherever they are kept: a buffer, or inline (``PGSmallValues``).
package enum PGEncodedValues {
    case buffer(ByteBuffer)
    case inline(PGSmallValues)

    /// The number of bytes.
    package var count: Int {
        switch self {
        case .buffer(let buffer): buffer.readableBytes
        case .inline(let values): values.count
        }
    }

    /// Calls `body` with the bytes.
    @inline(__always)
    package func withUnsafeBytes(_ body: (UnsafeRawBufferPointer) -> Void) {
        switch self {
        case .buffer(let buffer): buffer.withUnsafeReadableBytes(body)
        case .inline(let values): values.withBytes(body)
        }
    }
}
