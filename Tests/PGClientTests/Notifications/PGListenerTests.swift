import Logging
import PGLocalCluster
import ServiceLifecycle
import Synchronization
import Testing

@testable import PGClient

/// ``PGListener`` against the shared server: each test listens on channels of its own and kills
/// only its own listener's backend (found by its `application_name`).
@Suite("PGListener", .timeLimit(.minutes(15)))
struct PGListenerTests {
    static func listener(application: String, maxConsecutiveFailures: Int? = nil) async throws -> PGListener {
        let shared = try await SharedCluster.instance
        var connection = try shared.cluster.clientConfig(sslmode: .disable)
        connection.applicationName = application
        var config = PGListener.Configuration(connection: connection)
        config.reconnectBackoffInitial = .milliseconds(20)
        config.reconnectBackoffMaximum = .milliseconds(200)
        config.maxConsecutiveFailures = maxConsecutiveFailures
        var logger = Logger(label: "listener-test")
        logger.logLevel = .critical  // the tests break connections on purpose
        return PGListener(configuration: config, logger: logger)
    }

    /// The payload of a notification event; `nil` for any other event or the end.
    static func payload(of event: PGListener.Event?) -> String? {
        guard case .notification(let note)? = event else { return nil }
        return note.payload
    }

    static func admin() async throws -> PGConnection {
        try await SharedCluster.instance.cluster.connect(sslmode: .disable)
    }

    /// Terminates the backends of `application`; returns how many there were.
    static func terminateBackends(of application: String, from admin: PGConnection) async throws -> Int {
        let rows = try await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(application)"
        ).collect()
        return rows.count
    }

    @Test func deliversNotificationsAndResumesAfterItsBackendIsKilled() async throws {
        let listener = try await Self.listener(application: "listener-resume")
        let admin = try await Self.admin()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            let events = await listener.notifications(on: "resume_channel")
            var iterator = events.makeAsyncIterator()

            try await admin.execute("SELECT pg_notify('resume_channel', 'before')")
            #expect(Self.payload(of: try await iterator.next()) == "before")

            #expect(try await Self.terminateBackends(of: "listener-resume", from: admin) == 1)
            // The listener reconnects and listens again before it says so…
            #expect(try await iterator.next() == .reconnected)
            // …so a notification sent after the event arrives.
            try await admin.execute("SELECT pg_notify('resume_channel', 'after')")
            #expect(Self.payload(of: try await iterator.next()) == "after")

            // Killed twice: resumes again.
            #expect(try await Self.terminateBackends(of: "listener-resume", from: admin) == 1)
            #expect(try await iterator.next() == .reconnected)
            try await admin.execute("SELECT pg_notify('resume_channel', 'again')")
            #expect(Self.payload(of: try await iterator.next()) == "again")

            group.cancelAll()
            // Cancelled: the sequence ends with an error, not silently.
            await #expect(throws: PGError.self) {
                while try await iterator.next() != nil {}
            }
        }
        await admin.close()
    }

    @Test func channelsSubscribedWhileDisconnectedAreListenedToOnReconnect() async throws {
        let listener = try await Self.listener(application: "listener-late")
        let admin = try await Self.admin()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            let first = await listener.notifications(on: "late_a")
            var firstEvents = first.makeAsyncIterator()
            _ = try await Self.terminateBackends(of: "listener-late", from: admin)
            // Subscribed while the listener may be reconnecting: returns once it listens.
            let second = await listener.notifications(on: "late_b")
            var secondEvents = second.makeAsyncIterator()
            #expect(try await firstEvents.next() == .reconnected)
            try await admin.execute("SELECT pg_notify('late_b', 'b')")
            try await admin.execute("SELECT pg_notify('late_a', 'a')")
            var seen: [PGListener.Event] = []
            while let event = try await secondEvents.next() {
                seen.append(event)
                if case .notification = event { break }
            }
            // It may have subscribed before or after the reconnect; the notification arrives.
            #expect(Self.payload(of: seen.last) == "b")
            #expect(Self.payload(of: try await firstEvents.next()) == "a")
            group.cancelAll()
        }
        await admin.close()
    }

    @Test func gracefulShutdownOfItsServiceGroupEndsSequencesNormally() async throws {
        let listener = try await Self.listener(application: "listener-graceful")
        let admin = try await Self.admin()
        var logger = Logger(label: "listener-group")
        logger.logLevel = .critical
        let group = ServiceGroup(services: [listener], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let events = await listener.notifications(on: "graceful_channel")
            try await admin.execute("SELECT pg_notify('graceful_channel', 'one')")
            var iterator = events.makeAsyncIterator()
            #expect(Self.payload(of: try await iterator.next()) == "one")
            await group.triggerGracefulShutdown()
            #expect(try await iterator.next() == nil)  // ends without throwing
            try await tasks.waitForAll()
            // Subscribing after the listener stopped ends at once, as the others ended.
            var late = await listener.notifications(on: "graceful_channel").makeAsyncIterator()
            #expect(try await late.next() == nil)
        }
        await admin.close()
    }

    @Test func givingUpEndsEverySequenceWithTheConnectError() async throws {
        let shared = try await SharedCluster.instance
        // A wrong password: every connect fails.
        var connection = try shared.cluster.clientConfig(password: "not-the-password", sslmode: .disable)
        connection.applicationName = "listener-gives-up"
        var config = PGListener.Configuration(connection: connection)
        config.reconnectBackoffInitial = .milliseconds(1)
        config.reconnectBackoffMaximum = .milliseconds(5)
        config.maxConsecutiveFailures = 3
        var logger = Logger(label: "listener-test")
        logger.logLevel = .critical
        let listener = PGListener(configuration: config, logger: logger)
        let run = Task { try await listener.run() }
        // Waits for a LISTEN that never comes, until the listener gives up.
        let events = await listener.notifications(on: "never")
        var iterator = events.makeAsyncIterator()
        let ended = await #expect(throws: PGError.self) { try await iterator.next() }
        // run() throws the same error the sequences end with.
        let ran = await run.result
        let thrown = #expect(throws: PGError.self) { try ran.get() }
        #expect(ended != nil && ended?.kind == thrown?.kind && ended?.message == thrown?.message)
    }

    @Test func aListenerRunsOnce() async throws {
        let listener = try await Self.listener(application: "listener-once")
        let first = Task { try await listener.run() }
        _ = await listener.notifications(on: "once")
        await #expect(throws: PGError.self) { try await listener.run() }
        first.cancel()
        _ = await first.result
    }
}
