import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import VietQR
@testable import ChoSoApp

/// 200 đ arrives for 200.000 đ: the rest is asked with the same code, and once it arrives the
/// request, the day close and the live screen say so (issue 12.8).
@Suite struct UnderpaymentTests {
    @Test func theRestIsAskedForWithTheSameCodeAndTheRequestEndsPaid() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let bank = try await IntakeTests.connect(app, f, provider: "generic", secret: IntakeTests.genericSecret)
            let made = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":200000}"#)
            let request = try #require(try made.json() as? [String: Any])
            let id = try #require(request["id"] as? String)
            let code = try #require(request["code"] as? String)

            _ = try await IntakeTests.transfer(app, bank.path, id: "u1", amount: 200, description: "MBVCB.1.\(code).CT tu A")
            let owed = try #require(try await app.api(.GET, "/api/v1/payment-requests/\(id)", token: f.tokens["merchantA1"]).json() as? [String: Any])
            #expect(owed["status"] as? String == "underpaid")
            #expect(owed["remaining"] as? Int == 199_800)
            let rest = try #require(owed["remainingPayload"] as? String)
            guard case .success(let decoded) = VietQRParser.parse(rest) else { Issue.record("the rest's QR does not read"); return }
            #expect(decoded.amount == 199_800)
            #expect(decoded.purpose?.hasPrefix(code) == true)
            #expect(decoded.account == "1234567890123")

            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            let page = try await keeper.get("/payment-requests/\(id)")
            #expect(page.text.contains(#"id="follow""#))
            #expect(page.text.contains("199.800"))
            #expect(page.text.contains("phần còn thiếu"))

            _ = try await IntakeTests.transfer(app, bank.path, id: "u2", amount: 199_800, description: "\(code) chuyen not")
            let done = try #require(try await app.api(.GET, "/api/v1/payment-requests/\(id)", token: f.tokens["merchantA1"]).json() as? [String: Any])
            #expect(done["status"] as? String == "paid")
            #expect(done["remaining"] == nil || done["remaining"] is NSNull)
            #expect(!(try await keeper.get("/payment-requests/\(id)").text.contains(#"id="follow""#)))

            // Each transfer keeps its history; the request's outcome is what the screens show.
            let statuses = try await TransferModel.query(on: app.db).sort(\.$receivedAt).all().map(\.status)
            #expect(statuses == ["underpaid", "paid"])
            let close = try await keeper.get("/stalls/\(f.stallA1)/close")
            #expect(!close.text.contains("còn thiếu 199.800"))
            #expect(close.text.contains("sau đó đã trả đủ"))
            #expect(close.text.contains("Không có khoản nào thiếu"))
            let live = try await keeper.get("/stalls/\(f.stallA1)/live")
            #expect(!live.text.contains("warning-entry"))
        }
    }
}
