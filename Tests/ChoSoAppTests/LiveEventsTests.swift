import AsyncHTTPClient
import ChoSoCore
import Foundation
import NIOCore
import Testing
import Vapor
@testable import ChoSoApp

/// The stall's Server-Sent Events over a real socket: a webhook's payment arrives with its
/// announcement, and a reconnecting client gets what it missed through Last-Event-ID.
@Suite struct LiveEventsTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// Reads the event stream until `until` returns true or 30 s pass; returns what was read. The
    /// wait ends as soon as `until` holds: the long limit only matters on a loaded CI machine,
    /// where a cold run of every suite at once once took more than 10 s to deliver the event.
    static func read(_ client: HTTPClient, _ url: String, token: String, lastEventID: String? = nil,
                     opened: (@Sendable () -> Void)? = nil,
                     until: @escaping @Sendable (String) -> Bool) async throws -> (status: UInt, text: String) {
        // Whatever happens, whoever waits for the opening is let go.
        defer { opened?() }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response = try await client.execute(request, timeout: .seconds(30))
        guard response.status == .ok else { return (response.status.code, "") }
        #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var text = ""
                for try await buffer in response.body {
                    if text.isEmpty { opened?() }
                    text += String(buffer: buffer)
                    if until(text) { return text }
                }
                return text
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return (response.status.code, first ?? "")
        }
    }

    @Test func aWebhookReachesTheStallsStreamAndAReconnectionCatchesUp() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try #require(app.http.server.shared.localAddress?.port)
            let base = "http://127.0.0.1:\(port)"
            // The shared client needs no shutdown: a failed expectation cannot leave one to crash the run.
            let client = HTTPClient.shared
            let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
            func pay(_ id: String, _ amount: Int64) async throws {
                let transfer = IncomingTransfer(provider: "generic", providerTransactionID: id, accountNumber: "1234567890123", amount: amount,
                                                direction: .incoming, description: "mua trai cay", counterAccountName: "NGUYEN VAN A")
                #expect(try await IntakeTests.send(app, connection.path, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: "generic-secret-0001", timeZone: Self.vietnam)).status == .ok)
            }

            let url = "\(base)/api/v1/stalls/\(fixture.stallA1)/events"
            // Pay once the stream has sent its first bytes (the subscription is made before them):
            // a fixed pause was a guess, and on a loaded machine the payment came first and was missed.
            let (openings, opening) = AsyncStream<Void>.makeStream()
            async let live = Self.read(client, url, token: fixture.tokens["merchantA1"]!, opened: { opening.yield(); opening.finish() }) { $0.contains("event: payment") }
            for await _ in openings { break }
            let openMetrics = try await app.api(.GET, "/metrics").text
            #expect(OperationalMetricsTests.value(openMetrics, "choso_live_streams_open") == 1, "the open stream is counted")
            if let listener = app.paymentEventListener {
                for _ in 0..<100 where !listener.isListening { try await Task.sleep(for: .milliseconds(50)) }
            }
            try await pay("live-1", 200_000)
            let (status, text) = try await live
            #expect(status == 200)
            #expect(text.contains("retry: 3000"))
            #expect(text.contains("Đã nhận hai trăm ngàn đồng từ NGUYEN VAN A"), "\(text)")
            let delivered = OperationalMetricsTests.value(try await app.api(.GET, "/metrics").text, "choso_live_events_delivered_total")
            #expect(delivered >= 1, "the payment handed to the stream is counted")
            let firstID = try #require(text.split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) })

            // Two more payments while nobody listens; a reconnection from the first id gets both.
            try await pay("live-2", 35_000)
            try await pay("live-3", 50_000)
            let (_, replay) = try await Self.read(client, url, token: fixture.tokens["merchantA1"]!, lastEventID: firstID) {
                $0.components(separatedBy: "event: payment").count - 1 >= 2
            }
            #expect(replay.contains("ba mươi lăm ngàn đồng"))
            #expect(replay.contains("năm mươi ngàn đồng"))
            #expect(!replay.contains(firstID), "the last event seen is not sent again")

            // Another stall's keeper cannot listen.
            let (refused, _) = try await Self.read(client, url, token: fixture.tokens["merchantB1"]!) { _ in true }
            #expect(refused == 404)
        }
    }
}
