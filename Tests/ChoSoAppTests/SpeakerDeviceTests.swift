import AsyncHTTPClient
import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// A speaker paired with a one-time code gets its own token, hears the stall's announcements with
/// their sound, and stops when the keeper revokes it.
@Suite struct SpeakerDeviceTests {
    @Test func pairHearRevoke() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let keeper = fixture.tokens["merchantA1"]
            let started = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/devices", token: keeper, json: #"{"name":"Loa Cô Ba"}"#)
            #expect(started.status == .created)
            let code = try #require((try started.json() as? [String: Any])?["pairingCode"] as? String)
            #expect(code.count == 9 && code.contains("-"))
            // Another stall's keeper cannot pair a speaker for this stall.
            #expect(try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/devices", token: fixture.tokens["merchantB1"], json: "{}").status == .notFound)

            #expect(try await app.api(.POST, "/api/v1/devices/pair", json: #"{"code":"0000-0000"}"#).errorCode() == "bad_pairing_code")
            let paired = try await app.api(.POST, "/api/v1/devices/pair", json: #"{"code":"\#(code.lowercased())"}"#)
            #expect(paired.status == .ok)
            let token = try #require((try paired.json() as? [String: Any])?["token"] as? String)
            #expect(token.hasPrefix("csd_"))
            #expect(try await app.api(.POST, "/api/v1/devices/pair", json: #"{"code":"\#(code)"}"#).status == .notFound, "the code works once")
            #expect(!(try await SpeakerDeviceModel.query(on: app.db).all()).contains { $0.tokenHash == token }, "only the hash is kept")

            // The device's token is no user's: it opens the device stream and the sound, nothing else.
            #expect(try await app.api(.GET, "/api/v1/markets", token: token).status == .unauthorized)
            let list = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/devices", token: keeper)
            #expect((try list.json() as? [[String: Any]])?.first?["paired"] as? Bool == true)

            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try #require(app.http.server.shared.localAddress?.port)
            // The shared client needs no shutdown: a failed expectation cannot leave one to crash the run.
            let client = HTTPClient.shared
            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            async let heard = LiveEventsTests.read(client, "http://127.0.0.1:\(port)/api/v1/devices/stream", token: token) { $0.contains("event: payment") }
            try await Task.sleep(for: .milliseconds(500))
            if let listener = app.paymentEventListener {
                for _ in 0..<100 where !listener.isListening { try await Task.sleep(for: .milliseconds(50)) }
            }
            let transfer = IncomingTransfer(provider: "generic", providerTransactionID: "d-1", accountNumber: "1234567890123", amount: 50_000,
                                            direction: .incoming, description: "mua")
            _ = try await IntakeTests.send(app, connection.path, WebhookDeliveryBuilder.make(transfer, kind: WebhookConnectionKind(provider: "generic", auth: nil)!, secret: "generic-secret-0001", timeZone: app.choSoConfig.timeZone))
            let (status, text) = try await heard
            #expect(status == 200)
            #expect(text.contains("Đã nhận năm mươi ngàn đồng"))
            let data = try #require(text.split(separator: "\n").first { $0.hasPrefix("data: ") })
            let event = try #require(try JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any])
            let audio = try #require(event["audioUrl"] as? String)
            #expect((event["id"] as? String)?.hasSuffix(event["transferId"] as? String ?? "?") == true, "a unique id per announcement")
            #expect(try await app.api(.GET, audio, token: token).headers.first(name: .contentType) == "audio/mpeg")

            // Revoked: the token opens nothing any more.
            let deviceID = try #require((try paired.json() as? [String: Any])?["id"] as? String)
            #expect(try await app.api(.DELETE, "/api/v1/devices/\(deviceID)", token: fixture.tokens["merchantB1"]).status == .notFound)
            #expect(try await app.api(.DELETE, "/api/v1/devices/\(deviceID)", token: keeper).status == .noContent)
            #expect(try await app.api(.GET, audio, token: token).status == .unauthorized)
            let (afterRevoke, _) = try await LiveEventsTests.read(client, "http://127.0.0.1:\(port)/api/v1/devices/stream", token: token) { _ in true }
            #expect(afterRevoke == 401)
        }
    }
}
