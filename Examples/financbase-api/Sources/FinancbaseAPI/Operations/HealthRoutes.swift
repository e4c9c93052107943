import Hummingbird
import PGClient

/// `/health/live` (the process answers) and `/health/ready` (the pool runs `SELECT 1` within the
/// bound: the library's ``PGHealthCheck``, the same check `pgping` makes).
struct HealthRoutes<Context: RequestContext>: Sendable {
    let pool: PGPool
    let timeout: Duration

    func add(to router: Router<Context>) {
        router.get("health/live") { _, _ in HealthJSON(status: "live") }
        router.get("health/ready") { _, context in
            let health = await pool.checkHealth(timeout: timeout, logger: context.logger)
            guard health.isHealthy else {
                context.logger.warning("not ready", metadata: ["error": "\(health.error.map { "\($0.kind)" } ?? "")"])
                throw APIProblem(status: .serviceUnavailable, code: "not_ready", detail: "the database did not answer SELECT 1 in time")
            }
            return HealthJSON(status: "ready")
        }
    }
}

/// A health route's body.
struct HealthJSON: ResponseEncodable, Sendable {
    var status: String
}
