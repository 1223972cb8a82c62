import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// The market board's inbox: unmatched and doubtful transfers, assigned, refunded or dismissed,
/// each change audited, the request totals following at once, and nobody else seeing any of it.
@Suite struct InboxTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test func theBoardCorrectsTheMatcherAndEveryChangeIsAudited() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
            func send(_ id: String, _ account: String, _ amount: Int64, _ description: String) async throws {
                let transfer = IncomingTransfer(provider: "generic", providerTransactionID: id, accountNumber: account, amount: amount,
                                                direction: .incoming, description: description)
                #expect(try await IntakeTests.send(app, connection.path, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: "generic-secret-0001", timeZone: Self.vietnam)).status == .ok)
            }
            let made = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/payment-requests", token: fixture.tokens["merchantA1"], json: #"{"amount":120000}"#)
            let request = try #require(try made.json() as? [String: Any])
            let code = try #require(request["code"] as? String)
            let requestID = try #require(request["id"] as? String)

            try await send("u-1", "5555555555", 120_000, "tra tien \(code)")   // a mistyped account: unmatched
            try await send("u-2", "1234567890123", 150_000, "\(code)")         // over-paid
            try await send("u-3", "9999999999", 10_000, "nham")                // not this market's money at all
            try await send("u-4", "1234567890123", 30_000, "mua chuoi")        // a walk-in: not doubtful

            let manager = fixture.tokens["managerA"]
            let inbox = try await app.api(.GET, "/api/v1/markets/\(fixture.marketA)/inbox", token: manager)
            let items = try #require(try inbox.json() as? [[String: Any]])
            #expect(Set(items.compactMap { $0["status"] as? String }) == ["unmatched", "overpaid"])
            #expect(items.count == 3)
            func id(_ amount: Int) -> String { items.first { $0["amount"] as? Int == amount }?["id"] as? String ?? "" }

            // Nobody but market A's board sees or changes the inbox.
            for name in ["managerB", "merchantA1", "officer", "teamMember"] {
                #expect(try await app.api(.GET, "/api/v1/markets/\(fixture.marketA)/inbox", token: fixture.tokens[name]).status == .notFound, "\(name)")
                #expect(try await app.api(.POST, "/api/v1/transfers/\(id(10_000))/dismiss", token: fixture.tokens[name], json: #"{"note":"x"}"#).status == .notFound, "\(name)")
            }

            // The over-payment first: the request is over-paid by 30.000 đ.
            var state = try await app.api(.GET, "/api/v1/payment-requests/\(requestID)", token: fixture.tokens["merchantA1"])
            #expect((try state.json() as? [String: Any])?["status"] as? String == "overpaid")
            // Assigning the unmatched 120.000 đ to the request makes no sense now, so it goes to the stall as walk-in money.
            let assigned = try await app.api(.POST, "/api/v1/transfers/\(id(120_000))/assign", token: manager,
                                             json: #"{"stallId":"\#(fixture.stallA1)","note":"khach go nham so tai khoan"}"#)
            #expect(assigned.status == .ok, "\(assigned.text)")
            let assignedBody = try #require(try assigned.json() as? [String: Any])
            #expect(assignedBody["status"] as? String == "walk_in")
            #expect(assignedBody["stallId"] as? String == fixture.stallA1)
            #expect((assignedBody["reason"] as? String)?.contains("khach go nham so tai khoan") == true)
            // Moving the over-payment's credit: reassign it to the request explicitly by code gives the same judgement.
            let moved = try await app.api(.POST, "/api/v1/transfers/\(id(150_000))/assign", token: manager,
                                          json: #"{"stallId":"\#(fixture.stallA1)","paymentRequestId":"\#(code.lowercased())"}"#)
            #expect((try moved.json() as? [String: Any])?["status"] as? String == "overpaid")
            state = try await app.api(.GET, "/api/v1/payment-requests/\(requestID)", token: fixture.tokens["merchantA1"])
            #expect((try state.json() as? [String: Any])?["receivedAmount"] as? Int == 150_000, "credited once, not twice")
            let refund = try await app.api(.POST, "/api/v1/transfers/\(id(150_000))/refund", token: manager, json: #"{"note":"tra lai 30.000"}"#)
            #expect((try refund.json() as? [String: Any])?["resolution"] as? String == "refund_due")

            // Dismissing needs a reason.
            let noReason = try await app.api(.POST, "/api/v1/transfers/\(id(10_000))/dismiss", token: manager, json: #"{"note":""}"#)
            #expect(noReason.fieldCodes()["note"] == "bad_note")
            let dismissed = try await app.api(.POST, "/api/v1/transfers/\(id(10_000))/dismiss", token: manager, json: #"{"note":"khong phai tien cua cho"}"#)
            #expect((try dismissed.json() as? [String: Any])?["resolution"] as? String == "dismissed")

            // A stall of another market, or a request of another stall, is refused and changes nothing.
            let wrongStall = try await app.api(.POST, "/api/v1/transfers/\(id(10_000))/assign", token: manager, json: #"{"stallId":"\#(fixture.stallB1)"}"#)
            #expect(wrongStall.fieldCodes()["stallId"] == "unknown_stall")
            let wrongRequest = try await app.api(.POST, "/api/v1/transfers/\(id(10_000))/assign", token: manager,
                                                 json: #"{"stallId":"\#(fixture.stallA2)","paymentRequestId":"\#(requestID)"}"#)
            #expect(wrongRequest.fieldCodes()["paymentRequestId"] == "unknown_request")

            let after = try await app.api(.GET, "/api/v1/markets/\(fixture.marketA)/inbox", token: manager)
            #expect(after.text == "[]", "every item was handled")
            let stall = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/transfers", token: fixture.tokens["merchantA1"])
            let amounts = try #require(try stall.json() as? [[String: Any]]).compactMap { $0["amount"] as? Int }
            #expect(amounts.sorted() == [30_000, 120_000, 150_000], "the stall's list follows the corrections at once")
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$subjectType == "transfer").all().map(\.action)
            #expect(audit.sorted() == ["transfer.assign", "transfer.assign", "transfer.dismissed", "transfer.refund_due"])
        }
    }
}
