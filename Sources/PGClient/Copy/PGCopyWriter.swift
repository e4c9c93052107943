public import NIOCore
public import PGWire

/// Writes the rows of a binary `COPY … FROM STDIN` straight into the outgoing buffer: no value
/// is copied twice and nothing is allocated per row beyond what the values' codecs need.
///
/// ```swift
/// try await connection.copyIn("COPY payments (user_id, amount, memo) FROM STDIN (FORMAT binary)") { writer in
///     for payment in payments {
///         try await writer.append(payment.userID, payment.amount, payment.memo)
///     }
/// }
/// ```
public struct PGCopyWriter: ~Copyable {
    // Usable from inlinable code so that `append` specializes in the caller's module for the
    // caller's column types: unspecialized, every row instantiated the parameter pack's
    // metadata and called each codec through its witness table.
    @usableFromInline var buffer: ByteBuffer
    @usableFromInline let send: (ByteBuffer) async throws -> Void

    init(send: @escaping (ByteBuffer) async throws -> Void) {
        self.buffer = ByteBuffer(bytes: PGCopyRow.header)
        self.send = send
    }

    /// Appends one row, its values in column order (`nil` optionals become NULL). Sends the
    /// buffered rows when they pass 64 KiB, waiting for the socket.
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/encoding`` for a value that cannot be encoded
    ///   (the COPY is then aborted), or the connection's error.
    // `nonisolated(nonsending)`: it runs on the caller's executor, with no executor switch per
    // row on entry.
    @inlinable
    nonisolated(nonsending) public mutating func append<each Value: PGEncodable>(_ values: repeat each Value) async throws {
        try PGCopyRow.write(repeat each values, into: &buffer)
        if buffer.readableBytes >= PGConnection.copyChunkSize {
            try await send(buffer)
            buffer.clear()
        }
    }

    /// Sends what is buffered, with the trailer that ends binary COPY data.
    mutating func finish() async throws {
        buffer.writeBytes(PGCopyRow.trailer)
        try await send(buffer)
        buffer.clear()
    }
}
