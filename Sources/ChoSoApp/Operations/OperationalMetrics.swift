import ChoSoCore
import Prometheus
import Vapor

/// What operators watch on `/metrics` beyond requests (docs/operations.md): webhook deliveries by
/// provider and outcome, the intake's grouped commits, live streams and events. Labels come from
/// fixed sets only, so that no input can add series.
final class OperationalMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    static let providers = Set(["sepay", "casso", "payos", "generic"])
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256]
    static let commitBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(10),
    ]

    /// One webhook delivery: stored, duplicate, test, refused, unknown_connection, bad_body, unavailable, error.
    func webhookDelivery(provider: String, outcome: String) {
        let provider = Self.providers.contains(provider) ? provider : "unknown"
        registry.makeCounter(
            descriptor: .init(metricName: "choso_webhook_deliveries", unitName: "total", helpText: "Webhook deliveries by provider and outcome"),
            labels: [("provider", provider), ("outcome", outcome)]
        ).increment()
    }

    /// One grouped commit of the intake: how many deliveries it held, how long it took, how it ended.
    func intakeCommit(deliveries: Int, duration: Duration, committed: Bool) {
        registry.makeValueHistogram(
            descriptor: .init(metricName: "choso_intake_batch", unitName: "deliveries", helpText: "Deliveries per grouped commit"),
            buckets: Self.batchBuckets
        ).record(Double(deliveries))
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "choso_intake_commit_duration", unitName: "seconds", helpText: "Time of a grouped commit"),
            labels: [("result", committed ? "committed" : "failed")],
            buckets: Self.commitBuckets
        ).record(duration)
    }

    /// Payment events handed to this process's live streams.
    func eventsDelivered(_ count: Int) {
        registry.makeCounter(
            descriptor: .init(metricName: "choso_live_events_delivered", unitName: "total", helpText: "Payment events handed to live streams")
        ).increment(by: Int64(count))
    }

    static let syncOutcomes = ["stored", "unchanged", "conflict", "rejected"]

    /// The records of one sync request, by how each was answered.
    func syncRecords(outcomes: [String]) {
        for outcome in Self.syncOutcomes {
            let count = outcomes.lazy.filter { $0 == outcome }.count
            guard count > 0 else { continue }
            registry.makeCounter(
                descriptor: .init(metricName: "choso_sync_records", unitName: "total", helpText: "Records sent by the teams' phones, by outcome"),
                labels: [("outcome", outcome)]
            ).increment(by: Int64(count))
        }
    }

    /// A request refused at one of the public doors for coming too often.
    func rateLimitRefusal(door: RateLimitedDoor) {
        registry.makeCounter(
            descriptor: .init(metricName: "choso_rate_limit_refusals", unitName: "total", helpText: "Requests refused with 429 per public door"),
            labels: [("door", door.rawValue)]
        ).increment()
    }

    /// Live streams (screens and speakers) open now on this process.
    func liveStreams(_ change: Int) {
        registry.makeGauge(descriptor: .init(metricName: "choso_live_streams", unitName: "open", helpText: "Live event streams open on this process"))
            .increment(by: Double(change))
    }
}

extension Application {
    private struct OperationalMetricsKey: StorageKey { typealias Value = OperationalMetrics }

    /// Set up by the app factory before anything that counts.
    var operationalMetrics: OperationalMetrics {
        get { storage[OperationalMetricsKey.self] ?? OperationalMetrics(registry: PrometheusCollectorRegistry()) }
        set { storage[OperationalMetricsKey.self] = newValue }
    }
}
