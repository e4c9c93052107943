public import NIOCore

/// The data of a `COPY … TO STDOUT`, chunk by chunk as the server sends it, with backpressure.
///
/// ```swift
/// let data = try await connection.copyOut("COPY invoices TO STDOUT (FORMAT csv)")
/// for try await chunk in data { output.write(chunk) }
/// ```
///
/// Chunks need not line up with rows. Leaving the loop early cancels the COPY on the server.
public struct PGCopyOutSequence: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, PGStreamDelegate
    >

    let producer: Producer

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: producer.makeAsyncIterator())
    }

    /// Iterates the chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator

        /// The next chunk, or `nil` after the last.
        ///
        /// - Throws: ``PGError`` when the COPY fails or the connection breaks.
        public mutating func next() async throws -> ByteBuffer? {
            try await base.next()
        }
    }
}
