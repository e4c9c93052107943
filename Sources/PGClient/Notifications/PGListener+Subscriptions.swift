extension PGListener {
    /// Subscribes to `channel`, and returns once the listener is listening to it: every
    /// notification sent after this returns is delivered (a reconnect in between is announced
    /// with ``Event/reconnected``). While the listener is not connected (``run()`` not started
    /// yet, or reconnecting), this waits for the connection; a cancelled task stops waiting and
    /// gets the sequence at once.
    ///
    /// ```swift
    /// let events = await listener.notifications(on: "invoice_paid")
    /// ```
    ///
    /// A listener that has stopped returns a sequence that ends at once, as the listener's other
    /// sequences ended (normally after a graceful shutdown, else with the error).
    public func notifications(on channel: String) async -> PGListenerSequence {
        let (stream, continuation) = AsyncThrowingStream.makeStream(
            of: Event.self, throwing: (any Error).self, bufferingPolicy: .unbounded)
        let id = makeID()
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(channel, id: id) }
        enum Outcome {
            case ended(Ending)
            case listening
            case notYet(PGConnection?)
        }
        let outcome = state.withLock { state -> Outcome in
            if let ending = state.ending { return .ended(ending) }
            state.subscribers[channel, default: [:]][id] = continuation
            if state.listening.contains(channel) { return .listening }
            return .notYet(state.connection)
        }
        switch outcome {
        case .ended(let ending):
            ending.finish(continuation)
        case .listening:
            break
        case .notYet(let connection):
            if let connection {
                do {
                    try await listen(to: [channel], on: connection)
                } catch {
                    // The connection broke: the next one listens to the channel.
                    logger.debug("LISTEN failed; waiting for the next connection", metadata: ["error": "\(error)"])
                }
            }
            await waitUntilListening(to: channel)
        }
        return PGListenerSequence(stream: stream)
    }

    /// Sends LISTEN for `channels` on `connection`, then marks them as listened to (if it is
    /// still the listener's connection) and wakes who waits for them.
    func listen(to channels: [String], on connection: PGConnection) async throws {
        for channel in channels {
            let listen: PGQuery = "LISTEN \(identifier: channel)"
            try await connection.simpleQuery(listen.sql, logger: logger)
        }
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.connection === connection else { return [] }
            state.listening.formUnion(channels)
            let ready = state.waiters.filter { state.listening.contains($0.value.channel) }
            for id in ready.keys { state.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        for waiter in ready { waiter.resume() }
    }

    /// Waits until `channel` is listened to, the listener has stopped, or the task is cancelled.
    private func waitUntilListening(to channel: String) async {
        let id = makeID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.listening.contains(channel) || state.ending != nil || Task.isCancelled { return true }
                    state.waiters[id] = (channel, continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    /// A subscriber has gone: the channel's last one sends `UNLISTEN`.
    private func unsubscribe(_ channel: String, id: Int) {
        state.withLock { state in
            guard state.subscribers[channel]?.removeValue(forKey: id) != nil,
                state.subscribers[channel]?.isEmpty == true
            else { return }
            state.subscribers[channel] = nil
            if state.listening.remove(channel) != nil {
                // Written under the lock, so that a later subscriber's LISTEN follows it.
                state.connection?.unlistenNow(channel)
            }
        }
    }

    /// Hands a notification to its channel's subscribers.
    func deliver(_ notification: PGNotification) {
        let subscribers = state.withLock { $0.subscribers[notification.channel].map { Array($0.values) } ?? [] }
        for subscriber in subscribers { subscriber.yield(.notification(notification)) }
    }

    /// Tells every subscriber that the listener has reconnected.
    func announceReconnect() {
        let subscribers = state.withLock { $0.subscribers.values.flatMap(\.values) }
        for subscriber in subscribers { subscriber.yield(.reconnected) }
    }

    /// Ends every sequence as `ending` says, and wakes who waits to subscribe.
    func finishAll(_ ending: Ending) {
        let (subscribers, waiters) = state.withLock { state in
            state.ending = ending
            state.connection = nil
            state.listening = []
            defer {
                state.subscribers = [:]
                state.waiters = [:]
            }
            return (state.subscribers.values.flatMap(\.values), state.waiters.values.map(\.continuation))
        }
        for subscriber in subscribers { ending.finish(subscriber) }
        for waiter in waiters { waiter.resume() }
    }
}
