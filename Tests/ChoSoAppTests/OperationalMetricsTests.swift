import ChoSoCore
import Foundation
import Testing
import VaporTesting
@testable import ChoSoApp

/// `/metrics` moves when its event happens (docs/operations.md, Monitoring).
@Suite struct OperationalMetricsTests {
    /// The value of one series in the Prometheus text, 0 when it is not there yet.
    static func value(_ text: String, _ series: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? .nan
        }
        return 0
    }

    @Test func webhookOutcomesCommitsAndLiveStreamsAreCounted() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let generic = try await IntakeTests.connect(app, fixture, provider: "generic", secret: "metrics-secret-000001")
            func metrics() async throws -> String { try await app.api(.GET, "/metrics").text }
            func deliveries(_ outcome: String, _ text: String) -> Double {
                Self.value(text, #"choso_webhook_deliveries_total{provider="generic",outcome="\#(outcome)"}"#)
            }
            let body = #"{"id":"metrics-1","accountNumber":"1234567890123","amount":50000,"direction":"in","description":"mua ca","time":"2026-12-01T08:00:00+07:00"}"#
            let t = String(Int(Date().timeIntervalSince1970))
            let signed = [("X-ChoSo-Signature", "t=\(t),v1=\(WebhookSignaturesForTests.hmac(t + "." + body, key: "metrics-secret-000001"))")]
            let before = try await metrics()

            #expect(try await IntakeTests.send(app, generic.path, body: body, headers: signed).status == .ok)
            #expect(try await IntakeTests.send(app, generic.path, body: body, headers: signed).status == .ok)
            #expect(try await IntakeTests.send(app, generic.path, body: body, headers: [("X-ChoSo-Signature", "t=\(t),v1=00")]).status == .unauthorized)
            let junk = #"{"id":"x","direction":"sideways"}"#
            let junkSigned = [("X-ChoSo-Signature", "t=\(t),v1=\(WebhookSignaturesForTests.hmac(t + "." + junk, key: "metrics-secret-000001"))")]
            #expect(try await IntakeTests.send(app, generic.path, body: junk, headers: junkSigned).status == .badRequest)
            #expect(try await IntakeTests.send(app, "/hooks/generic/\(UUID().uuidString)", body: junk, headers: []).status == .notFound)
            #expect(try await IntakeTests.send(app, "/hooks/made-up/\(UUID().uuidString)", body: junk, headers: []).status == .notFound)

            let after = try await metrics()
            for (outcome, expected) in [("stored", 1.0), ("duplicate", 1), ("refused", 1), ("bad_body", 1), ("unknown_connection", 1)] {
                #expect(deliveries(outcome, after) - deliveries(outcome, before) == expected, "\(outcome)")
            }
            // Made-up providers do not make series of their own.
            #expect(!after.contains("made-up"))
            #expect(Self.value(after, #"choso_webhook_deliveries_total{provider="unknown",outcome="unknown_connection"}"#) == 1)
            let commits = #"choso_intake_commit_duration_seconds_count{result="committed"}"#
            #expect(Self.value(after, commits) - Self.value(before, commits) >= 2, "the stored and the duplicate delivery were each committed")
            #expect(Self.value(after, "choso_intake_batch_deliveries_count") >= 2)
        }
    }
}
