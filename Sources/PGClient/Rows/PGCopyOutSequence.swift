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
    let token: PGStreamConsumerToken<ByteBuffer>
    /// The COPY's observation, ended when the data ends (`nil` when nothing observes it).
    var observer: PGOperationObserver?

    init(token: PGStreamConsumerToken<ByteBuffer>) {
        self.token = token
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(token: token.buffer.makeIteratorToken(), observer: observer)
    }

    /// Iterates the chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let token: PGStreamConsumerToken<ByteBuffer>
        let observer: PGOperationObserver?

        /// The next chunk, or `nil` after the last. The calling task stays on its executor.
        ///
        /// - Throws: ``PGError`` when the COPY fails, the connection breaks, or the task is
        ///   cancelled.
        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> ByteBuffer? {
            guard let observer else { return try await token.buffer.next(isolation: actor) }
            do {
                guard let chunk = try await token.buffer.next(isolation: actor) else {
                    observer.end(nil)
                    return nil
                }
                return chunk
            } catch {
                observer.end(error)
                throw error
            }
        }

        /// The next chunk, or `nil` after the last.
        public mutating func next() async throws -> ByteBuffer? {
            try await next(isolation: nil)
        }
    }
}
