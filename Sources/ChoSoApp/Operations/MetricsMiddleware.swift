import Prometheus
import Vapor

/// Counts requests and times them per route pattern (never per concrete path, so that ids do not
/// explode the number of series), for `GET /metrics`.
struct MetricsMiddleware: AsyncMiddleware {
    let registry: PrometheusCollectorRegistry

    static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        var status: UInt = 500
        defer {
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
        let response = try await next.respond(to: request)
        status = response.status.code
        return response
    }
}
