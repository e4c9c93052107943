public import Logging
public import NIOCore
import PGWire
import Synchronization

extension PGConnection {
    /// Runs `COPY … FROM STDIN` and streams `data` to the server: raw bytes in the COPY's format
    /// (text, CSV, or binary you encoded yourself). Writing waits for the socket, so a fast
    /// source never piles up in memory.
    ///
    /// If `data` throws or the task is cancelled, the COPY is aborted with CopyFail and nothing
    /// of it is committed.
    ///
    /// ```swift
    /// let lines = AsyncStream<ByteBuffer> { … "1,alice\n" … }
    /// let result = try await connection.copyIn("COPY users (id, name) FROM STDIN (FORMAT csv)", from: lines)
    /// print(result.rowCount ?? 0)
    /// ```
    ///
    /// The COPY is one span and one `db.client.operation.duration` (operation `COPY`), from
    /// the statement to the server's answer to the data.
    ///
    /// - Parameters:
    ///   - sql: the `COPY … FROM STDIN` statement.
    ///   - data: the bytes to send.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger`` (see ``query(_:logger:)``).
    /// - Throws: ``PGError`` (the server's error for bad data, the source's error after the
    ///   abort, or a connection error).
    @discardableResult
    public func copyIn<Source: AsyncSequence & Sendable>(
        _ sql: String, from data: Source, logger: Logger? = nil
    ) async throws -> PGCommandResult where Source.Element == ByteBuffer {
        try await copyIn(sql, logger: logger) { send in
            for try await chunk in data { try await send(chunk) }
        }
    }

    /// Runs a binary `COPY … FROM STDIN (FORMAT binary)` from rows encoded with our codecs.
    ///
    /// ```swift
    /// try await connection.copyIn(
    ///     "COPY payments (user_id, amount, description, created_at) FROM STDIN (FORMAT binary)",
    ///     rows: payments.async.map { try PGCopyRow($0.user, $0.amount, $0.memo, $0.date) })
    /// ```
    ///
    /// - Parameters:
    ///   - sql: the `COPY … FROM STDIN (FORMAT binary)` statement.
    ///   - rows: the rows to send.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger``.
    /// - Throws: ``PGError``, as ``copyIn(_:from:logger:)``.
    @discardableResult
    public func copyIn<Rows: AsyncSequence & Sendable>(
        _ sql: String, rows: Rows, logger: Logger? = nil
    ) async throws -> PGCommandResult where Rows.Element == PGCopyRow {
        try await copyIn(sql, logger: logger) { send in
            var buffer = ByteBuffer(bytes: PGCopyRow.header)
            for try await row in rows {
                row.write(into: &buffer)
                if buffer.readableBytes >= Self.copyChunkSize {
                    try await send(buffer)
                    buffer.clear()
                }
            }
            buffer.writeBytes(PGCopyRow.trailer)
            try await send(buffer)
        }
    }

    /// Runs a binary `COPY … FROM STDIN (FORMAT binary)` whose rows `write` appends through a
    /// ``PGCopyWriter``, the fastest way in: values are encoded straight into the outgoing buffer.
    ///
    /// If `write` throws or the task is cancelled, the COPY is aborted with CopyFail and nothing
    /// of it is committed; the error is rethrown.
    ///
    /// - Parameters:
    ///   - sql: the `COPY … FROM STDIN (FORMAT binary)` statement.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger``.
    ///   - write: appends the rows.
    /// - Throws: ``PGError``, as ``copyIn(_:from:logger:)``.
    @discardableResult
    public func copyIn(
        _ sql: String, logger: Logger? = nil, write: (inout PGCopyWriter) async throws -> Void
    ) async throws -> PGCommandResult {
        try await copyIn(sql, logger: logger) { send in
            var writer = PGCopyWriter(send: send)
            try await write(&writer)
            try await writer.finish()
        }
    }

    /// The size at which COPY input is handed to the socket.
    @usableFromInline static let copyChunkSize = 64 * 1024

    /// Starts the COPY, lets `produce` send the data, then ends it with CopyDone — or with
    /// CopyFail when `produce` throws or the server has already failed the COPY.
    private func copyIn(
        _ sql: String, logger: Logger?,
        _ produce: (_ send: @escaping (ByteBuffer) async throws -> Void) async throws -> Void
    ) async throws -> PGCommandResult {
        let observer = observe(.statement(sql, parameterized: false), logger: logger)
        return try await observing(observer) {
            try await copyIn(sql, observer: observer, produce)
        }
    }

    private nonisolated(nonsending) func copyIn(
        _ sql: String, observer: PGOperationObserver?,
        _ produce: (_ send: @escaping (ByteBuffer) async throws -> Void) async throws -> Void
    ) async throws -> PGCommandResult {
        let started = PGPendingValue<Void>()
        let finished = PGPendingValue<PGCommandResult>()
        let serverFailed = Atomic<Bool>(false)
        finished.whenComplete { if case .failure = $0 { serverFailed.store(true, ordering: .relaxed) } }
        _ = try await submit(
            PGRequest(id: makeRequestID(), kind: .copyIn(sql, started: started, finished: finished), observer: observer),
            started)
        do {
            try await produce { chunk in
                if serverFailed.load(ordering: .relaxed) { throw CopyAbandoned() }
                try Task.checkCancellation()
                try await self.writeCopyInput(.data(chunk))
            }
            try await writeCopyInput(.done)
        } catch is CopyAbandoned {
            return try await finished.value()  // throws the server's error
        } catch {
            if !serverFailed.load(ordering: .relaxed) {
                try? await writeCopyInput(.fail(Self.copyFailMessage("\(error)")))
            }
            _ = try? await finished.value()  // the server's answer to CopyFail
            throw error
        }
        return try await finished.value()
    }

    /// The message of the CopyFail that aborts a COPY FROM STDIN whose source threw `reason`.
    ///
    /// CopyFail carries a C string: a NUL in the error's description would make the message
    /// impossible to send, and the server would then wait for COPY data forever. Each NUL
    /// becomes U+FFFD. (Found by the `copy` fuzz entry.)
    package static func copyFailMessage(_ reason: String) -> String {
        var message = "aborted by the client: "
        for scalar in reason.unicodeScalars {
            message.unicodeScalars.append(scalar == "\0" ? "\u{FFFD}" : scalar)
        }
        return message
    }

    private func writeCopyInput(_ input: PGRequest.CopyInput) async throws {
        do {
            try await channel.writeAndFlush(PGRequest(id: RequestID(0), kind: .copyInput(input))).get()
        } catch let error as PGError {
            throw error
        } catch {
            // The channel closed under the COPY: the data already sent may have reached the
            // server, but nothing is committed until CopyDone is answered.
            throw PGError(
                .connectionClosed, message: "the connection closed during COPY (\(error))", requestWasSent: true,
                query: "COPY")
        }
    }

    /// Runs `COPY … TO STDOUT` and streams its data.
    ///
    /// The COPY's span and `db.client.operation.duration` end when the last chunk has been
    /// read, or the sequence fails or is dropped.
    ///
    /// - Parameters:
    ///   - sql: the `COPY … TO STDOUT` statement.
    ///   - logger: where the driver's lines about this request go; `nil` uses the connection's
    ///     ``logger`` (see ``query(_:logger:)``).
    /// - Throws: ``PGError`` when the COPY cannot start; errors later end the sequence.
    public func copyOut(_ sql: String, logger: Logger? = nil) async throws -> PGCopyOutSequence {
        let observer = observe(.statement(sql, parameterized: false), logger: logger)
        do {
            let result = PGPendingValue<PGCopyOutSequence>()
            var data = try await submit(
                PGRequest(id: makeRequestID(), kind: .copyOut(sql, result: result), observer: observer), result)
            data.observer = observer
            return data
        } catch {
            observer?.end(error)
            throw error
        }
    }
}

/// Thrown into the producer when the server failed the COPY; the server's error is reported.
private struct CopyAbandoned: Error {}
