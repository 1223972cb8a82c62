import Prometheus
import Vapor

/// Counts requests and times them per route pattern (never per concrete path, so that ids do not
/// explode the number of series), for `GET /metrics`.
struct MetricsMiddleware: Middleware {
    let registry: PrometheusCollectorRegistry

    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    /// Plain futures, not async: every request passes here, and an async middleware costs two
    /// hops between threads (`SelectiveMiddleware`).
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let start = ContinuousClock.now
        return next.respond(to: request).always { result in
            let status = (try? result.get())?.status.code ?? 500
            let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
            let labels = [("method", request.method.rawValue), ("route", route), ("status", String(status))]
            registry.makeCounter(
                descriptor: .init(metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered"),
                labels: labels
            ).increment()
            registry.makeDurationHistogram(
                descriptor: .init(metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer an HTTP request"),
                labels: [("method", request.method.rawValue), ("route", route)],
                buckets: Self.buckets
            ).record(ContinuousClock.now - start)
        }
    }
}
