import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// The stall keeper's "Tiền đã về" page as served (its script is driven in Chromium by
/// Tests/browser/live_screen.py).
@Suite struct LivePageTests {
    @Test func todaysCreditsAndTotalAreOnThePageAndOnlyForTheKeeper() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
            for (id, amount, direction) in [("p1", Int64(200_000), IncomingTransfer.Direction.incoming), ("p2", 35_000, .incoming), ("p3", 500_000, .outgoing)] {
                let transfer = IncomingTransfer(provider: "generic", providerTransactionID: id, accountNumber: "1234567890123", amount: amount,
                                                direction: direction, description: "mua", counterAccountName: "NGUYEN VAN A")
                _ = try await IntakeTests.send(app, connection.path, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: "generic-secret-0001", timeZone: app.choSoConfig.timeZone))
            }
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            let till = try await keeper.get("/stalls/\(fixture.stallA1)/today")
            #expect(till.text.contains("/stalls/\(fixture.stallA1)/live"))
            let page = try await keeper.get("/stalls/\(fixture.stallA1)/live")
            #expect(page.status == .ok)
            #expect(page.text.contains("235.000 đ"), "money out is not takings")
            #expect(page.text.contains("NGUYEN VAN A"))
            #expect(page.text.contains("/live.js"))
            #expect(page.body.readableBytes < 20_000)
            let polled = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/transfers", token: fixture.tokens["merchantA1"])
            #expect(polled.text.contains("Đã nhận hai trăm ngàn đồng từ NGUYEN VAN A"))

            let other = Browser(app)
            try await other.login("merchantb1")
            #expect(try await other.get("/stalls/\(fixture.stallA1)/live").status == .notFound)
        }
    }

    @Test func theKeeperChoosesHowAmountsAreRead() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let keeper = fixture.tokens["merchantA1"]
            let chosen = try await app.api(.PUT, "/api/v1/stalls/\(fixture.stallA1)/speech", token: keeper,
                                           json: #"{"zeroTens":"linh","thousand":"nghìn","four":"bon"}"#)
            #expect(chosen.status == .ok, "\(chosen.text)")
            #expect((try chosen.json() as? [String: Any])?["example"] as? String == "một triệu không trăm linh năm nghìn không trăm hai mươi bốn đồng")
            #expect(try await app.api(.PUT, "/api/v1/stalls/\(fixture.stallA1)/speech", token: keeper, json: #"{"four":"bốn lăm"}"#).fieldCodes()["four"] == "bad_choice")
            #expect(try await app.api(.PUT, "/api/v1/stalls/\(fixture.stallA1)/speech", token: keeper, json: #"{"four":"","thousand":""}"#).fieldCodes()["thousand"] == "bad_choice")
            // Only the keeper: the market board sees the stall but does not choose its voice.
            #expect(try await app.api(.PUT, "/api/v1/stalls/\(fixture.stallA1)/speech", token: fixture.tokens["managerA"], json: #"{"four":"tu"}"#).status == .forbidden)
            #expect(try await app.api(.PUT, "/api/v1/stalls/\(fixture.stallA1)/speech", token: fixture.tokens["merchantB1"], json: #"{"four":"tu"}"#).status == .notFound)

            // The stall's announcements now read that way.
            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            let transfer = IncomingTransfer(provider: "generic", providerTransactionID: "r1", accountNumber: "1234567890123", amount: 105_024,
                                            direction: .incoming, description: "mua")
            _ = try await IntakeTests.send(app, connection.path, WebhookDeliveryBuilder.make(transfer, kind: WebhookConnectionKind(provider: "generic", auth: nil)!, secret: "generic-secret-0001", timeZone: app.choSoConfig.timeZone))
            let listed = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/transfers", token: keeper)
            #expect(listed.text.contains("Đã nhận một trăm linh năm nghìn không trăm hai mươi bốn đồng"), "\(listed.text)")
        }
    }
}
