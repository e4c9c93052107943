extension PGConnection {
    /// Subscribes to a notification channel: `LISTEN` is sent for the first subscriber, and
    /// `UNLISTEN` when the last one stops iterating. Notifications that arrive while other
    /// queries run are buffered for each subscriber, never lost; the sequence ends when the
    /// connection closes.
    ///
    /// ```swift
    /// for await note in try await connection.listen("invoice_paid") {
    ///     print(note.payload)
    /// }
    /// ```
    ///
    /// - Throws: ``PGError`` when `LISTEN` fails; ``PGError/Kind/invalidUsage`` behind a
    ///   transaction-mode pooler (``PGPoolerMode/transaction``).
    public func listen(_ channel: String) async throws -> PGNotificationSequence {
        try pooler.requireSession(for: "LISTEN")
        let (stream, continuation) = AsyncStream.makeStream(of: PGNotification.self, bufferingPolicy: .unbounded)
        let (id, isFirst) = shared.addListener(channel, continuation)
        continuation.onTermination = { [weak self] _ in
            guard let self, self.shared.removeListener(channel, id: id) else { return }
            self.unlistenNow(channel)
        }
        if isFirst {
            let listen: PGQuery = "LISTEN \(identifier: channel)"
            do {
                try await simpleQuery(listen.sql)
            } catch {
                continuation.finish()
                throw error
            }
        }
        return PGNotificationSequence(stream: stream)
    }
}

extension PGConnection {
    /// Writes `UNLISTEN channel` at once, without waiting for its answer, so that it stays in
    /// order with a later `LISTEN` of the same channel (called where no task can wait: a
    /// subscriber's end). Nothing is written on a closed connection.
    func unlistenNow(_ channel: String) {
        guard !isClosed else { return }
        let unlisten: PGQuery = "UNLISTEN \(identifier: channel)"
        let request = PGRequest(id: makeRequestID(), kind: .simple(PGSimpleResult(sql: unlisten.sql)))
        self.channel.writeAndFlush(request, promise: nil)
    }
}

/// The notifications of one channel, as they arrive.
public struct PGNotificationSequence: AsyncSequence, Sendable {
    public typealias Element = PGNotification
    let stream: AsyncStream<PGNotification>

    public func makeAsyncIterator() -> AsyncStream<PGNotification>.Iterator {
        stream.makeAsyncIterator()
    }
}
