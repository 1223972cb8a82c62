import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// The fee pages as each role sees them (issue 15): what a keeper, another keeper, the commune's
/// officer and a stranger may see or change, a double tap on the cash form, a meter reading that
/// goes backwards, a name made to be markup, and the public receipt page.
@Suite struct FeePagesTests {
    static func field(_ name: String, in html: String) -> String? { OnceOnlyTests.field(name, in: html) }

    @Test func eachRoleSeesWhatItMayAndChangesOnlyWhatItMay() async throws {
        try await withTestApp { app in
            let s = try await FeePaymentTests.setUp(app)
            let f = s.fixture
            let board = Browser(app)
            try await board.login("managera")
            let page = try await board.get("/markets/\(f.marketA)/fees?period=\(FeePaymentTests.thisMonth.iso)")
            #expect(page.status == .ok && page.text.contains("id=\"cash\"") && page.text.contains("id=\"issue\""))
            // The officer reads the same page without a single form that changes anything.
            let officer = Browser(app)
            try await officer.login("officer")
            let read = try await officer.get("/markets/\(f.marketA)/fees")
            #expect(read.status == .ok && !read.text.contains("id=\"cash\"") && !read.text.contains("id=\"issue\"") && !read.text.contains("/reverse"))
            #expect(try await officer.post("/markets/\(f.marketA)/fees/cash", [("stallId", f.stallA1), ("amount", "1000")]).status == .forbidden)
            // A keeper sees the own stall's fees, never the market's page or another stall's.
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            let own = try await keeper.get("/stalls/\(f.stallA1)/fees")
            #expect(own.status == .ok && own.text.contains("Còn phải nộp"))
            #expect(try await keeper.get("/stalls/\(f.stallA2)/fees").status == .notFound)
            #expect(try await keeper.get("/markets/\(f.marketA)/fees").status == .notFound)
            #expect(try await keeper.get("/markets/\(f.marketA)/fees.xlsx").status == .notFound)
            let till = try await keeper.get("/stalls/\(f.stallA1)/today")
            #expect(till.text.contains("id=\"till-fees\"") && till.text.contains("Phí chợ tháng \(FeePaymentTests.thisMonth.vietnamese): 480.000 đ"))
            // Another market's board sees nothing of this one.
            let other = Browser(app)
            try await other.login("managerb")
            #expect(try await other.get("/markets/\(f.marketA)/fees").status == .notFound)
            #expect(try await other.get("/stalls/\(f.stallA1)/fees").status == .notFound)
            #expect(try await FeePaymentModel.query(on: app.db).count() == 0)
        }
    }

    @Test func aDoubleTapRecordsCashOnceAndABackwardReadingIsRefusedWithTheReason() async throws {
        try await withTestApp { app in
            let s = try await FeePaymentTests.setUp(app)
            let f = s.fixture
            let board = Browser(app)
            try await board.login("managera")
            let page = try await board.get("/markets/\(f.marketA)/fees")
            let once = try #require(Self.field("_once", in: page.text))
            let form = [("stallId", f.stallA2), ("amount", "180.000"), ("payer", "<script>alert(1)</script>"), ("_once", once)]
            async let first = board.post("/markets/\(f.marketA)/fees/cash", form)
            async let second = board.post("/markets/\(f.marketA)/fees/cash", form)
            _ = try await [first, second]
            #expect(try await FeePaymentModel.query(on: app.db).count() == 1)
            let payment = try #require(try await FeePaymentModel.query(on: app.db).first())
            #expect(payment.payer == "<script>alert(1)</script>")
            let after = try await board.get("/markets/\(f.marketA)/fees")
            #expect(after.text.contains(payment.receiptNumber) && !after.text.contains("<script>alert(1)</script>"))
            // Cash taken while looking at next month comes back to this month's list, where it is.
            let ahead = try await board.post("/markets/\(f.marketA)/fees/cash", [("stallId", f.stallA1), ("amount", "1.000"), ("period", FeePaymentTests.thisMonth.next.iso)])
            #expect(ahead.headers.first(name: .location) == "/markets/\(f.marketA)/fees?period=\(FeePaymentTests.thisMonth.iso)#payments")
            // Two months ahead is not offered for billing.
            #expect(!(try await board.get("/markets/\(f.marketA)/fees?period=\(FeePaymentTests.thisMonth.next.next.iso)").text.contains("id=\"issue\"")))
            #expect(try await board.get("/markets/\(f.marketA)/fees?period=\(FeePaymentTests.thisMonth.next.iso)").text.contains("id=\"issue\""))
            // An amount that is no amount: said, and nothing recorded.
            let bad = try await board.post("/markets/\(f.marketA)/fees/cash", [("stallId", f.stallA2), ("amount", "mười nghìn")])
            #expect(bad.status == .seeOther)
            #expect(try await board.get("/markets/\(f.marketA)/fees").text.contains("Số tiền chỉ gồm chữ số"))
            #expect(try await FeePaymentModel.query(on: app.db).count() == 2)
            // Meter readings: the first must give its previous index, the next may not go below it.
            let next = FeePaymentTests.thisMonth.next.iso
            _ = try await board.post("/markets/\(f.marketA)/fees/meters", [("stallId", f.stallA1), ("period", FeePaymentTests.thisMonth.previous.iso), ("current", "1300")])
            #expect(try await board.get("/markets/\(f.marketA)/fees").text.contains("hãy ghi cả chỉ số cũ"))
            #expect(try await MeterReadingModel.query(on: app.db).count() == 0)
            _ = try await board.post("/markets/\(f.marketA)/fees/meters", [("stallId", f.stallA1), ("period", FeePaymentTests.thisMonth.previous.iso), ("previous", "1200"), ("current", "1300")])
            let backwards = try await board.post("/markets/\(f.marketA)/fees/meters", [("stallId", f.stallA1), ("period", next), ("current", "1250")])
            #expect(backwards.status == .seeOther)
            let said = try await board.get("/markets/\(f.marketA)/fees?period=\(next)").text
            #expect(said.contains("Chỉ số mới 1250 thấp hơn chỉ số lần trước 1300"))
            #expect(try await MeterReadingModel.query(on: app.db).count() == 1)
            // Once last month's electricity is billed from it, its reading can no longer change.
            let run = try await s.fees.bill(market: f.marketA, period: FeePaymentTests.thisMonth.previous)
            #expect(run.created == 1)
            let electricity = try await FeePaymentTests.bill(app, stall: f.stallA1, period: FeePaymentTests.thisMonth.previous, line: "electricity")
            #expect(electricity.amountDue == 100 * 3_500)
            _ = try await board.post("/markets/\(f.marketA)/fees/meters", [("stallId", f.stallA1), ("period", FeePaymentTests.thisMonth.previous.iso), ("current", "1400")])
            #expect(try await board.get("/markets/\(f.marketA)/fees").text.contains("đã lập phiếu: chỉ số không đổi được nữa"))
            #expect(try await MeterReadingModel.query(on: app.db).first()?.currentIndex == 1300)
        }
    }

    @Test func theReceiptPageIsPublicAndSaysOnlyWhatProvesThePayment() async throws {
        try await withTestApp { app in
            let s = try await FeePaymentTests.setUp(app)
            let f = s.fixture
            let created = try await app.api(.POST, "/api/v1/markets/\(f.marketA)/fees/cash-payments", token: f.tokens["managerA"],
                                            json: #"{"stallId":"\#(f.stallA1)","amount":480000,"payer":"Nguyễn Thị Ba"}"#)
            let number = try #require((try created.json() as? [String: Any])?["receiptNumber"] as? String)
            let page = try await app.testing().sendRequest(.GET, "/bien-lai/\(number.lowercased())")
            #expect(page.status == .ok && page.body.string.contains("Biên lai hợp lệ") && page.body.string.contains("480.000 đ"))
            // No keeper's name or phone, no account on the public page.
            #expect(!page.body.string.contains("Nguyễn Thị Ba") && !page.body.string.contains("1234567890123"))
            for bad in ["BL0000000", "nope", String(repeating: "A", count: 5_000)] {
                let response = try await app.testing().sendRequest(.GET, "/bien-lai/\(bad)")
                #expect(response.status == .notFound && response.body.string.contains("Không có biên lai số này"), "\(bad)")
            }
            // Odd paths are turned away before any lookup.
            for odd in ["%00", "..%2F..%2Fetc"] {
                #expect([.badRequest, .forbidden, .notFound].contains(try await app.testing().sendRequest(.GET, "/bien-lai/\(odd)").status), "\(odd)")
            }
            let qr = try await app.testing().sendRequest(.GET, "/bien-lai/\(number)/qr.png")
            #expect(qr.status == .ok && qr.headers.contentType == .png)
        }
    }
}
