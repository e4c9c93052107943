public import Logging
public import NIOCore
public import NIOPosix
import PGWire
import Tracing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PGConnection {
    /// Opens a connection as libpq does: each host of the configuration in turn (shuffled with
    /// `load_balance_hosts=random`), TLS as `sslmode` says (with `allow` and `prefer` falling
    /// back), until one accepts the session and matches `target_session_attrs`.
    ///
    /// ```swift
    /// let config = try PGConfig("postgres://app@db1:5432,db2:5432/ledger?target_session_attrs=read-write")
    /// let connection = try await PGConnection.connect(config: config)
    /// ```
    ///
    /// With a tracer (``Options/tracer``, or the process-wide one), connecting is one span,
    /// `connect`, child of the caller's `ServiceContext`, with an event for each host that
    /// failed.
    ///
    /// - Parameters:
    ///   - config: where and how to connect.
    ///   - options: the statement cache, limits, and where telemetry goes.
    ///   - eventLoopGroup: the NIO threads to run on; NIO's shared singleton by default.
    ///   - logger: a logger for the connection; its lines carry the connection id.
    /// - Throws: ``PGError``: the last host's failure when none could be used (a server error such
    ///   as a wrong password, ``PGError/Kind/connectionFailed``, ``PGError/Kind/tls``,
    ///   ``PGError/Kind/timeout``, ``PGError/Kind/authentication``, …).
    public static func connect(
        config: PGConfig,
        options: Options = Options(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "pgwire")
    ) async throws(PGError) -> PGConnection {
        try await connect(
            config: config, options: options, telemetry: PGTelemetry(options), eventLoopGroup: eventLoopGroup,
            logger: logger)
    }

    /// ``connect(config:options:eventLoopGroup:logger:)`` with its telemetry settled (a pool
    /// settles it once for all its connections).
    static func connect(
        config: PGConfig, options: Options, telemetry: PGTelemetry, eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) async throws(PGError) -> PGConnection {
        let first = config.hosts.first.map { PGServerIdentity(host: $0, database: config.database) }
        guard let span = telemetry.startSpan(PGTelemetryNames.connectSpan, kind: .client, server: first) else {
            return try await connectToAnyHost(
                config: config, options: options, telemetry: telemetry, eventLoopGroup: eventLoopGroup, span: nil,
                logger: logger)
        }
        do {
            let connection = try await ServiceContext.withValue(span.context) { () async throws(PGError) in
                try await connectToAnyHost(
                    config: config, options: options, telemetry: telemetry, eventLoopGroup: eventLoopGroup, span: span,
                    logger: logger)
            }
            span.updateAttributes { connection.instrumentation.server.apply(to: &$0) }
            span.end()
            return connection
        } catch let error as PGError {
            PGErrorTelemetry(error).apply(to: span, error: error)
            span.end()
            throw error
        } catch {
            span.end()
            throw PGError(.connectionFailed, message: "\(error)", requestWasSent: false)
        }
    }

    /// Tries the hosts as ``connect(config:options:eventLoopGroup:logger:)`` says; each failure
    /// is an event of `span`.
    private static func connectToAnyHost(
        config: PGConfig, options: Options, telemetry: PGTelemetry, eventLoopGroup: any EventLoopGroup,
        span: (any Span)?, logger: Logger
    ) async throws(PGError) -> PGConnection {
        var hosts = config.hosts
        if config.loadBalanceHosts == .random { hosts.shuffle() }
        guard !hosts.isEmpty else {
            throw PGError(.configuration, message: "no host to connect to", requestWasSent: false)
        }
        // prefer-standby: a first pass wants a standby, a second takes any server.
        let passes: [PGConfig.TargetSessionAttributes] =
            config.targetSessionAttributes == .preferStandby ? [.standby, .any] : [config.targetSessionAttributes]
        var lastError = PGError(.connectionFailed, message: "no host could be tried", requestWasSent: false)
        for wanted in passes {
            for host in hosts {
                do throws(PGError) {
                    let connection = try await connect(
                        host: host, config: config, options: options,
                        instrumentation: PGInstrumentation(
                            telemetry: telemetry, server: PGServerIdentity(host: host, database: config.database)),
                        eventLoopGroup: eventLoopGroup, logger: logger)
                    if try await connection.matches(wanted) { return connection }
                    await connection.close()
                    lastError = PGError(
                        .connectionFailed, message: "\(host) is not a \(wanted.rawValue) server", requestWasSent: false)
                } catch {
                    logger.debug("host failed", metadata: ["pg.host": "\(host)", "error": "\(error)"])
                    lastError = error
                }
                span?.addEvent(SpanEvent(name: "host failed", attributes: [
                    PGTelemetryNames.serverAddress: .string(host.unixSocketPath ?? host.host),
                    PGTelemetryNames.errorType: .string(PGErrorTelemetry(lastError).type),
                ]))
            }
        }
        throw lastError
    }

    /// Connects to one host, with libpq's TLS fallbacks for `allow` and `prefer`.
    static func connect(
        host: PGConfig.Host, config: PGConfig, options: Options, instrumentation: PGInstrumentation,
        eventLoopGroup: any EventLoopGroup, logger: Logger
    ) async throws(PGError) -> PGConnection {
        let target: Target =
            if let path = host.unixSocketPath { .unixSocket(path: path) }
            else { .tcp(host: host.hostaddr ?? host.host, port: host.port) }
        let timeout = config.connectTimeout.map { TimeAmount.nanoseconds($0.nanoseconds) }
        let socket = PGSocketOptions(keepalives: config.keepalives, tcpUserTimeout: config.tcpUserTimeout)
        var settings = config.connectionSettings(for: host)
        let tls = try config.tlsSetup(for: host, homeDirectory: ProcessInfo.processInfo.environment["HOME"])
        if tls == nil { settings.tls = .disable }
        if config.sslMode == .allow {
            // allow: plain text first; TLS only if the server refuses that.
            var plain = settings
            plain.tls = .disable
            do {
                return try await connect(to: target, settings: plain, tls: nil, timeout: timeout, options: options, instrumentation: instrumentation, socket: socket, eventLoopGroup: eventLoopGroup, logger: logger)
            } catch where error.kind == .server && tls != nil {
                return try await connect(to: target, settings: settings, tls: tls, timeout: timeout, options: options, instrumentation: instrumentation, socket: socket, eventLoopGroup: eventLoopGroup, logger: logger)
            }
        }
        do {
            return try await connect(to: target, settings: settings, tls: tls, timeout: timeout, options: options, instrumentation: instrumentation, socket: socket, eventLoopGroup: eventLoopGroup, logger: logger)
        } catch where (error.kind == .tls || error.kind == .server) && config.sslMode == .prefer && tls != nil {
            // prefer: a failed TLS handshake, or a server refusing the session (a `hostnossl`
            // rule), falls back to plain text, as libpq does. Unlike libpq, a server without TLS
            // that refused the plain session is asked once more.
            settings.tls = .disable
            return try await connect(to: target, settings: settings, tls: nil, timeout: timeout, options: options, instrumentation: instrumentation, socket: socket, eventLoopGroup: eventLoopGroup, logger: logger)
        }
    }

    /// Whether the server fits `target_session_attrs`. Servers since PostgreSQL 14 report
    /// `in_hot_standby` and `default_transaction_read_only` at startup; older ones are asked.
    func matches(_ wanted: PGConfig.TargetSessionAttributes) async throws(PGError) -> Bool {
        guard wanted != .any else { return true }
        let standby: Bool
        if let reported = serverParameters["in_hot_standby"] {
            standby = reported == "on"
        } else {
            standby = try await showSetting("SELECT pg_catalog.pg_is_in_recovery()") == "t"
        }
        switch wanted {
        case .any: return true
        case .primary: return !standby
        case .standby, .preferStandby: return standby
        case .readWrite, .readOnly:
            let readOnly: Bool
            if standby {
                readOnly = true
            } else if let reported = serverParameters["default_transaction_read_only"] {
                readOnly = reported == "on"
            } else {
                readOnly = try await showSetting("SHOW transaction_read_only") == "on"
            }
            return wanted == .readOnly ? readOnly : !readOnly
        }
    }

    private func showSetting(_ sql: String) async throws(PGError) -> String? {
        do {
            let results = try await simpleQuery(sql)
            return try results.first?.rows.first?.decode(String.self, at: 0)
        } catch let error as PGError {
            throw error
        } catch {
            throw PGError(.protocolViolation, message: "\(error)", requestWasSent: true)
        }
    }
}
