public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A service that listens to notification channels on a connection of its own and keeps
/// listening: when the connection breaks it reconnects with backoff, listens again, and tells
/// every subscriber with ``Event/reconnected`` that notifications may have been missed.
///
/// Run it in a swift-service-lifecycle `ServiceGroup` (or a task of your own) and subscribe with
/// ``notifications(on:)``:
///
/// ```swift
/// let listener = PGListener(configuration: .init(connection: try PGConfig("postgres://app@db/ledger")))
/// let group = ServiceGroup(services: [listener, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// // elsewhere, in a task of the service:
/// for try await event in await listener.notifications(on: "invoice_paid") {
///     switch event {
///     case .notification(let note): try await markPaid(note.payload)
///     case .reconnected: try await catchUpOnPayments()
///     }
/// }
/// ```
///
/// When the listener stops, every channel's sequence ends: normally after a graceful shutdown,
/// with ``PGError/Kind/cancelled`` when its task is cancelled, and with the connect error when it
/// gives up after ``Configuration/maxConsecutiveFailures`` — never silently.
public final class PGListener: Service, Sendable {
    /// The configuration the listener was made with.
    public let configuration: Configuration
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup
    let state = Mutex(State())
    private let lastID = Atomic<Int>(0)
    private let hasRun = Atomic<Bool>(false)

    /// Everything the lock guards.
    struct State {
        /// Each channel's subscribers, by id.
        var subscribers: [String: [Int: AsyncThrowingStream<Event, any Error>.Continuation]] = [:]
        /// Callers of ``notifications(on:)`` waiting for their channel's LISTEN, by id.
        var waiters: [Int: (channel: String, continuation: CheckedContinuation<Void, Never>)] = [:]
        /// The connection in use, once it is connected.
        var connection: PGConnection?
        /// The channels LISTENed to on ``connection``.
        var listening: Set<String> = []
        /// How the listener stopped, once it has.
        var ending: Ending?
    }

    /// How a listener stopped, and so how its sequences end.
    enum Ending: Sendable {
        case gracefully
        case failed(PGError)

        func finish(_ continuation: AsyncThrowingStream<Event, any Error>.Continuation) {
            switch self {
            case .gracefully: continuation.finish()
            case .failed(let error): continuation.finish(throwing: error)
            }
        }
    }

    /// Creates a listener. It connects only while ``run()`` runs.
    ///
    /// - Parameters:
    ///   - configuration: the connection settings and the reconnect backoff.
    ///   - eventLoopGroup: the NIO threads the connection runs on.
    ///   - logger: the listener's logger (lost connections are warnings, retries debug).
    public init(
        configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "pgwire.listener")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    func makeID() -> Int { lastID.wrappingAdd(1, ordering: .relaxed).newValue }

    /// Runs the listener: connects, listens to the subscribed channels, and reconnects with
    /// backoff whenever the connection is lost, until the task is cancelled or its `ServiceGroup`
    /// shuts down gracefully. Every channel's sequence then ends (see ``PGListenerSequence``).
    ///
    /// ```swift
    /// try await withThrowingDiscardingTaskGroup { group in
    ///     group.addTask { try await listener.run() }
    ///     for try await event in await listener.notifications(on: "jobs") { … }
    /// }
    /// ```
    ///
    /// - Throws: the last connect error (a ``PGError``) after
    ///   ``Configuration/maxConsecutiveFailures`` failed connects in a row;
    ///   ``PGError/Kind/invalidUsage`` when the listener has run before, or at once behind a
    ///   transaction-mode pooler (``PGPoolerMode/transaction``). Returns normally on
    ///   cancellation and graceful shutdown.
    public func run() async throws {
        guard !hasRun.exchange(true, ordering: .relaxed) else {
            throw PGError(.invalidUsage, message: "a PGListener runs once; make a new one", requestWasSent: false)
        }
        do throws(PGError) {
            try configuration.connectionOptions.pooler.requireSession(for: "PGListener (LISTEN)")
        } catch {
            finishAll(.failed(error))
            throw error
        }
        do {
            try await cancelWhenGracefulShutdown { try await self.keepListening() }
        } catch let error as PGError {
            logger.error("listener gave up reconnecting", metadata: ["error": "\(error)"])
            finishAll(.failed(error))
            throw error
        } catch {
            let failure = PGError(.connectionFailed, message: "\(error)", requestWasSent: false)
            finishAll(.failed(failure))
            throw failure
        }
        if Task.isShuttingDownGracefully {
            finishAll(.gracefully)
        } else {
            finishAll(.failed(PGError(.cancelled, message: "the listener's task was cancelled", requestWasSent: false)))
        }
    }

    /// Connects, listens, waits for the connection to end, and again, until cancelled; throws
    /// when the connects fail more often in a row than the configuration allows.
    private func keepListening() async throws(PGError) {
        let backoff = configuration.backoff
        var failures = 0
        var connectedBefore = false
        while !Task.isCancelled {
            var opened: PGConnection?
            do {
                let connection = try await PGConnection.connect(
                    config: configuration.connection, options: configuration.connectionOptions,
                    eventLoopGroup: eventLoopGroup, logger: logger)
                opened = connection
                connection.onNotification { [weak self] in self?.deliver($0) }
                let channels = state.withLock { state in
                    state.connection = connection
                    state.listening = []
                    return Array(state.subscribers.keys)
                }
                try await listen(to: channels, on: connection)
            } catch {
                if let opened { await opened.close() }
                forget(opened)
                if Task.isCancelled { return }
                failures += 1
                let failure = error as? PGError ?? PGError(.connectionFailed, message: "\(error)", requestWasSent: false)
                if let limit = configuration.maxConsecutiveFailures, failures >= limit { throw failure }
                let delay = backoff.delay(failures: failures, random: Double.random(in: 0..<1))
                logger.debug(
                    "listener could not connect; retrying with backoff",
                    metadata: ["error": "\(failure)", "pg.listener.retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
                continue
            }
            guard let connection = opened else { continue }
            failures = 0
            if connectedBefore {
                logger.info("listener reconnected")
                announceReconnect()
            }
            connectedBefore = true
            await withTaskCancellationHandler {
                try? await connection.channel.closeFuture.get()
            } onCancel: {
                connection.channel.close(promise: nil)
            }
            forget(connection)
            if !Task.isCancelled { logger.warning("listener lost its connection; reconnecting") }
        }
    }

    /// The connection is gone: nothing is listened to until the next one.
    private func forget(_ connection: PGConnection?) {
        state.withLock { state in
            guard let connection, state.connection === connection else { return }
            state.connection = nil
            state.listening = []
        }
    }
}
