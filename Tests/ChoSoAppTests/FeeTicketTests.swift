import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// Daily tickets for sellers without a stall (issue 15): sold once per tap, paid by the transfer
/// that carries the ticket's code (never by less than its price), or in cash; a second transfer
/// for a paid ticket waits for the board; paid tickets count among the money collected.
@Suite struct FeeTicketTests {
    @Test func aTicketIsPaidByItsTransferOrInCashAndCountsAmongTheCollection() async throws {
        try await withTestApp { app in
            let s = try await FeePaymentTests.setUp(app)
            let f = s.fixture
            let path = "/api/v1/markets/\(f.marketA)/fees/tickets"
            let first = try await app.api(.POST, path, token: f.tokens["managerA"], json: #"{"line":"ticket"}"#, headers: [("Idempotency-Key", "sell-1")])
            #expect(first.status == .created, "\(first.text)")
            let again = try await app.api(.POST, path, token: f.tokens["managerA"], json: #"{"line":"ticket"}"#, headers: [("Idempotency-Key", "sell-1")])
            #expect(again.text == first.text)
            for (name, status) in [("officer", HTTPStatus.forbidden), ("merchantA1", .notFound), ("managerB", .notFound)] {
                #expect(try await app.api(.POST, path, token: f.tokens[name], json: "{}").status == status, "\(name)")
            }
            #expect(try await app.api(.POST, path, token: f.tokens["managerA"], json: #"{"line":"rent"}"#).fieldCodes() == ["line": "no_ticket"])
            #expect(try await FeeTicketModel.query(on: app.db).count() == 1)
            let ticket = try #require(try first.json() as? [String: Any])
            let (id, code, number) = (ticket["id"] as! String, ticket["code"] as! String, ticket["number"] as! String)
            #expect(ticket["status"] as? String == "pending" && ticket["price"] as? Int == 5_000 && (ticket["payload"] as? String)?.contains(code) == true)
            // Not confirmed publicly while unpaid.
            #expect(try await app.testing().sendRequest(.GET, "/bien-lai/\(number)").status == .notFound)
            // 2.000 đ is not a 5.000 đ ticket; the rest pays it.
            try await IntakeTests.transfer(app, s.hook, id: "t-1", amount: 2_000, description: "ve cho \(code)", account: FeePaymentTests.feeAccount)
            var now = try #require(try await app.api(.GET, "/api/v1/fee-tickets/\(id)", token: f.tokens["managerA"]).json() as? [String: Any])
            #expect(now["status"] as? String == "pending" && now["amountReceived"] as? Int == 2_000)
            try await IntakeTests.transfer(app, s.hook, id: "t-2", amount: 3_000, description: code, account: FeePaymentTests.feeAccount)
            now = try #require(try await app.api(.GET, "/api/v1/fee-tickets/\(id)", token: f.tokens["officer"]).json() as? [String: Any])
            #expect(now["status"] as? String == "paid" && now["method"] as? String == "transfer" && now["payload"] == nil)
            // Paid twice: the board sees it in the inbox, to give back.
            try await IntakeTests.transfer(app, s.hook, id: "t-3", amount: 5_000, description: code, account: FeePaymentTests.feeAccount)
            let inbox = try #require(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/inbox", token: f.tokens["managerA"]).json() as? [[String: Any]])
            #expect(inbox.count == 1 && (inbox.first?["reason"] as? String)?.contains("đã trả trước đó") == true)
            let page = try await app.testing().sendRequest(.GET, "/bien-lai/\(number)")
            #expect(page.status == .ok && page.body.string.contains("Biên lai hợp lệ") && page.body.string.contains("5.000 đ"))

            // On the phone: a cash ticket is paid at once and shows so.
            let board = Browser(app)
            try await board.login("managera")
            let tickets = try await board.get("/markets/\(f.marketA)/fees/tickets")
            #expect(tickets.status == .ok && tickets.text.contains("Vé chợ: 5.000 đ"))
            let once = try #require(OnceOnlyTests.field("_once", in: tickets.text))
            let sold = try await board.post("/markets/\(f.marketA)/fees/tickets", [("line", "ticket"), ("cash", "1"), ("_once", once)])
            let location = try #require(sold.headers.first(name: .location))
            #expect(try await board.get(location).text.contains("ĐÃ THANH TOÁN"))
            #expect(try await FeeTicketModel.query(on: app.db).count() == 2)
            let month = try #require(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/fees", token: f.tokens["officer"]).json() as? [String: Any])
            let collected = try #require(month["collected"] as? [String: Any])
            #expect(collected["transferCount"] as? Int == 1 && collected["transferAmount"] as? Int == 5_000)
            #expect(collected["cashCount"] as? Int == 1 && collected["cashAmount"] as? Int == 5_000)
            #expect(try await FeeLedgerWriter.audit(on: app.db).isEmpty)
        }
    }
}
