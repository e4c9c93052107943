public import Financbase
public import Hummingbird
public import Logging
public import PGClient
public import Prometheus

/// What ``buildApplication(_:logger:registry:onServerRunning:)`` made: the application to run, and the parts a
/// test or a tool reaches for.
public struct FinancbaseAPIApplication<App: ApplicationProtocol>: Sendable {
    /// The application: the HTTP server, with the pool as a service of the same `ServiceGroup`.
    public var app: App
    /// The pool (run by the application).
    public var pool: PGPool
    /// The data layer over the pool.
    public var store: FinancbaseStore
    /// The token checker and signer.
    public var tokens: TokenVerifier
    /// Where the metrics go.
    public var registry: PrometheusCollectorRegistry
}

/// Builds the service (`onServerRunning` gets the URL it listens on once it does): the pool and the HTTP server as services of one `ServiceGroup` (the
/// server is added last, so a graceful shutdown stops it first, lets the requests in flight
/// finish, then drains the pool), the `/api` routes, the dashboard page, health and metrics.
///
/// - Throws: when the page templates bundled with the module are missing or broken.
///
/// ```swift
/// let built = try await buildApplication(try APISettings(environment: env), logger: logger)
/// try await built.app.runService()
/// ```
public func buildApplication(
    _ settings: APISettings, logger: Logger, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    onServerRunning: @escaping @Sendable (_ url: String) async -> Void = { _ in }
) async throws -> FinancbaseAPIApplication<some ApplicationProtocol> {
    let factory = PrometheusMetricsFactory(registry: registry)
    var poolConfiguration = settings.pool
    poolConfiguration.metricsFactory = poolConfiguration.metricsFactory ?? factory
    let pool = PGPool(config: poolConfiguration, logger: logger)
    let store = FinancbaseStore(pool: pool, options: .init(logger: logger, metricsFactory: factory))
    let tokens = await TokenVerifier(key: settings.jwtKey)
    let templates = try await DashboardPageRoutes<BasicRequestContext>.loadTemplates()

    let router = Router(context: BasicRequestContext.self)
    router.middlewares.add(RequestMetricsMiddleware(factory: factory))
    router.middlewares.add(LogRequestsMiddleware(.info))
    HealthRoutes(pool: pool, timeout: settings.readinessTimeout).add(to: router)
    MetricsRoute(registry: registry).add(to: router)
    let gate = TenantGate(store: store, tokens: tokens)
    APIRoutes(gate: gate).add(to: router)
    DashboardPageRoutes(gate: gate, templates: templates).add(to: router)

    let app = Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "financbase-api"),
        services: [pool],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? settings.port
            await onServerRunning("http://\(settings.host):\(port)")
        },
        logger: logger)
    return FinancbaseAPIApplication(app: app, pool: pool, store: store, tokens: tokens, registry: registry)
}
