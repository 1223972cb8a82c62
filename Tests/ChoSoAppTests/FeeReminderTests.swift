import AsyncHTTPClient
import ChoSoCore
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// The board's fee reminder reaches the stall's live screen as words to read aloud, with the
/// months and the full amount owed; never for a stall that owes nothing, never from the keeper.
@Suite struct FeeReminderTests {
    @Test func aReminderIsReadAloudOnTheStallsScreen() async throws {
        try await withTestApp { app in
            let s = try await FeePaymentTests.setUp(app)
            let f = s.fixture
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try #require(app.http.server.shared.localAddress?.port)
            let url = "http://127.0.0.1:\(port)/api/v1/stalls/\(f.stallA1)/events"
            async let live = LiveEventsTests.read(HTTPClient.shared, url, token: f.tokens["merchantA1"]!) { $0.contains("event: reminder") }
            try await Task.sleep(for: .milliseconds(500))
            if let listener = app.paymentEventListener {
                for _ in 0..<100 where !listener.isListening { try await Task.sleep(for: .milliseconds(50)) }
            }
            let path = "/api/v1/markets/\(f.marketA)/fees/reminders"
            // The keeper, the officer and another market's board cannot send one.
            for (name, status) in [("merchantA1", HTTPStatus.notFound), ("officer", .forbidden), ("managerB", .notFound)] {
                #expect(try await app.api(.POST, path, token: f.tokens[name], json: #"{"stallId":"\#(f.stallA1)"}"#).status == status, "\(name)")
            }
            let sent = try await app.api(.POST, path, token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA1)"}"#)
            #expect(sent.status == .accepted, "\(sent.text)")
            let months = [FeePaymentTests.thisMonth.previous.month, FeePaymentTests.thisMonth.month].map { "tháng \($0)" }.joined(separator: ", ")
            let words = "Quầy 1 còn nợ phí chợ \(months), tổng cộng chín trăm sáu mươi ngàn đồng"
            #expect((try sent.json() as? [String: Any])?["announcement"] as? String == words + ". Xin quét mã phí chợ để nộp")
            let (_, text) = try await live
            #expect(text.contains("event: reminder") && text.contains(words), "\(text)")
            // Not money: the stall's takings are untouched.
            #expect(!text.contains("event: payment"))
            // A stall that owes nothing gets no reminder.
            _ = try await app.api(.POST, "/api/v1/markets/\(f.marketA)/fees/cash-payments", token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA2)","amount":360000}"#)
            let none = try await app.api(.POST, path, token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA2)"}"#)
            #expect(none.status == .conflict && none.errorCode() == "nothing_owed")
        }
    }
}
