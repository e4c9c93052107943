import Hummingbird
import Prometheus

/// `/metrics`: everything the registry holds (the routes', the pool's, the data layer's), in
/// Prometheus' text format.
struct MetricsRoute<Context: RequestContext>: Sendable {
    let registry: PrometheusCollectorRegistry

    func add(to router: Router<Context>) {
        router.get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
