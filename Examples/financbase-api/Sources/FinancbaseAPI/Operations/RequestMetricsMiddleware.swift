import Hummingbird
import Metrics

/// Counts requests per route, method and status (`http_server_requests_total`) and times them
/// per route and method (`http_server_request_duration_seconds`, a histogram in Prometheus), into
/// the factory it is given rather than the process-wide one.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: any MetricsFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let status: Int
        do {
            let response = try await next(request, context)
            status = response.status.code
            record(request, context, status: status, start.duration(to: clock.now))
            return response
        } catch let error as any HTTPResponseError {
            record(request, context, status: error.status.code, start.duration(to: clock.now))
            throw error
        } catch {
            record(request, context, status: 500, start.duration(to: clock.now))
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, _ duration: Duration) {
        // The route's pattern, never the raw path: ids would make a series per row.
        let route = context.endpointPath ?? "unmatched"
        let method = request.method.rawValue
        Counter(
            label: "http_server_requests_total",
            dimensions: [("route", route), ("method", method), ("status", "\(status)")], factory: factory
        ).increment()
        Metrics.Timer(
            label: "http_server_request_duration_seconds", dimensions: [("route", route), ("method", method)],
            factory: factory
        ).record(duration: duration)
    }
}
