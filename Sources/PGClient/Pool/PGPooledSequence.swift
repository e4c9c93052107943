public import PGWire

/// A sequence that streams from a pooled connection and holds that connection exactly as long as
/// the stream is alive: it goes back to the pool when the last element has been read, when the
/// sequence fails, or when the sequence and its iterators are dropped unfinished (the pool then
/// drops the rest of the result before lending the connection again).
///
/// ```swift
/// for try await row in try await pool.stream("SELECT id, total FROM invoices") {
///     let (id, total) = try row.decode((UUID, PGNumeric).self)
/// }
/// ```
///
/// Iterate it once, and do not keep it long unread: it keeps a connection from other callers.
public struct PGPooledSequence<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable {
    public typealias Element = Base.Element
    /// The stream itself, as the connection returned it.
    public let base: Base
    let lease: PGPoolLease

    init(base: Base, lease: PGPoolLease) {
        self.base = base
        self.lease = lease
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), lease: lease)
    }

    /// Iterates the stream; the connection goes back after the last element or an error.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let lease: PGPoolLease

        /// The next element, or `nil` after the last one (the connection is then back in the
        /// pool).
        ///
        /// - Throws: what the stream throws (``PGError``); the connection is then back in the pool.
        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> Element? {
            do {
                guard let element = try await base.next(isolation: actor) else {
                    lease.release()
                    return nil
                }
                return element
            } catch {
                lease.release()
                throw error
            }
        }

        /// The next element, or `nil` after the last one.
        ///
        /// - Throws: what the stream throws (``PGError``).
        public mutating func next() async throws -> Element? {
            try await next(isolation: nil)
        }
    }
}

/// A result's rows streamed from a pooled connection (``PGPool/stream(_:logger:)``).
public typealias PGPooledRowSequence = PGPooledSequence<PGRowSequence>

/// A `COPY … TO STDOUT`'s data streamed from a pooled connection (``PGPool/copyOut(_:logger:)``).
public typealias PGPooledCopyOutSequence = PGPooledSequence<PGCopyOutSequence>

extension PGPooledSequence where Base == PGRowSequence {
    /// The result's columns.
    public var columns: PGColumns { base.columns }

    /// The command tag (`"SELECT 42"`), once all rows have been read.
    public var commandTag: String? { base.commandTag }

    /// Reads every row into an array; the connection is back in the pool when it returns.
    ///
    /// - Throws: ``PGError`` when the statement fails or the connection breaks.
    nonisolated(nonsending) public func collect() async throws -> [PGRow] {
        defer { lease.release() }
        return try await base.collect()
    }
}
