import Logging
import PGClient
import Synchronization

/// One health check: connect, run the check query, close — all within a deadline that holds
/// whatever the server does or does not send.
struct PingAttempt: Sendable {
    let config: PGConfig
    let query: String
    let timeout: Duration
    let noAuth: Bool

    /// What one attempt found.
    struct Result: Sendable {
        var address: String
        var outcome: PingOutcome
        var serverVersion: String?
        var tlsVersion: String?
        /// TLS was attempted and failed (handshake or certificate verification).
        var tlsFailed = false
        var authenticationMethod: String?
        var connectMilliseconds: Double?
        var queryMilliseconds: Double?
        var error: String?
        var sqlState: String?
    }

    private var configuredAddress: String { config.hosts.map(\.description).joined(separator: ",") }

    func run() async -> Result {
        let connection = Locked<PGConnection?>(nil)
        let timeoutResult = Result(
            address: configuredAddress, outcome: .noResponse, error: "no answer within \(timeout)")
        return await PGDeadline.run(timeout) {
            await check(connection)
        } onTimeout: {
            // Closing the socket fails whatever is still waiting on it.
            if let open = connection.value { Task { await open.close() } }
            return timeoutResult
        }
    }

    private func check(_ slot: Locked<PGConnection?>) async -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let connection: PGConnection
        do {
            connection = try await PGConnection.connect(config: config, logger: Logger(label: "pgping"))
        } catch {
            return failure(error, address: configuredAddress)
        }
        slot.value = connection
        var result = Result(address: connection.remoteAddress ?? configuredAddress, outcome: .accepting)
        result.connectMilliseconds = milliseconds(clock.now - start)
        result.serverVersion = connection.serverParameters["server_version"]
        result.tlsVersion = connection.tlsVersion
        result.authenticationMethod = connection.authenticationMethod.map { method in
            method == .scramSHA256 && connection.isChannelBound ? "scram-sha-256-plus" : method.rawValue
        }
        if !noAuth {
            // The same check a service's readiness route makes (PGHealthCheck); the attempt's
            // own deadline above still bounds connect and query together.
            let health = await PGHealthCheck(query: query, timeout: timeout).run(on: connection)
            if let error = health.error {
                let failed = failure(error, address: result.address)
                result.outcome = failed.outcome
                result.error = failed.error
                result.sqlState = failed.sqlState
            } else {
                result.queryMilliseconds = milliseconds(health.duration)
            }
        }
        await connection.close()
        return result
    }

    private func failure(_ error: PGError, address: String) -> Result {
        Result(
            address: address, outcome: PingOutcome.classify(error, noAuth: noAuth), tlsFailed: error.kind == .tls,
            error: error.description, sqlState: error.sqlState?.rawValue)
    }
}

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

/// A value shared between tasks behind a lock.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    var value: Value {
        get { mutex.withLock { $0 } }
        set { mutex.withLock { $0 = newValue } }
    }
}

extension Locked {
    /// Returns the value and leaves `nil` in its place, so only one caller gets it.
    func take<Wrapped>() -> Wrapped? where Value == Wrapped? {
        mutex.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
