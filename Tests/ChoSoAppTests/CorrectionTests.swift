import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Mistakes can be corrected, and debts paid (issue 12.7).
@Suite struct CorrectionTests {
    func summary(_ app: Application, _ f: Fixture) async throws -> [String: Any] {
        try #require(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/summary", token: f.tokens["merchantA1"]).json() as? [String: Any])
    }

    func amount(_ summary: [String: Any], _ key: String) -> Int? { (summary[key] as? [String: Any])?["amount"] as? Int }

    @Test func aCashSaleRecordedByMistakeIsVoidedKeptAndLeavesTheTotals() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens["merchantA1"]
            let sale = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/cash-sales", token: token, json: #"{"amount":50000}"#)
            let id = try #require((try sale.json() as? [String: Any])?["id"] as? String)
            _ = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/cash-sales", token: token, json: #"{"amount":20000}"#)
            #expect(amount(try await summary(app, f), "cash") == 70_000)

            // A reason is required; another stall's keeper and the board cannot void it.
            #expect(try await app.api(.POST, "/api/v1/cash-entries/\(id)/void", token: token, json: #"{"reason":""}"#).status == .unprocessableEntity)
            #expect(try await app.api(.POST, "/api/v1/cash-entries/\(id)/void", token: f.tokens["merchantB1"], json: #"{"reason":"x"}"#).status == .notFound)
            #expect(try await app.api(.POST, "/api/v1/cash-entries/\(id)/void", token: f.tokens["managerA"], json: #"{"reason":"x"}"#).status == .forbidden)

            let voided = try await app.api(.POST, "/api/v1/cash-entries/\(id)/void", token: token, json: #"{"reason":"bấm nhầm hai lần"}"#)
            #expect(voided.status == .ok)
            #expect((try voided.json() as? [String: Any])?["voided"] as? Bool == true)
            #expect(amount(try await summary(app, f), "cash") == 20_000)
            #expect(try await app.api(.POST, "/api/v1/cash-entries/\(id)/void", token: token, json: #"{"reason":"lại"}"#).status == .conflict)
            #expect(try await CashEntryModel.query(on: app.db).count() == 2, "kept, not deleted")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "cash.void").count() == 1)
            #expect(try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone).isEmpty)

            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            let till = try await keeper.get("/stalls/\(f.stallA1)/today")
            #expect(till.text.contains("Đã huỷ"))
            #expect(till.text.contains("bấm nhầm hai lần"))
            let close = try await keeper.get("/stalls/\(f.stallA1)/close")
            #expect(close.text.contains(#"<tr class="voided">"#))
        }
    }

    @Test func aDebtIsPaidLaterInCashOrByTransferAndCountsOnTheDayItIsPaid() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens["merchantA1"]
            let bank = try await IntakeTests.connect(app, f, provider: "generic", secret: IntakeTests.genericSecret)
            func debt(_ name: String, _ amount: Int) async throws -> String {
                let made = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/debts", token: token, json: #"{"amount":\#(amount),"customerName":"\#(name)"}"#)
                return try #require((try made.json() as? [String: Any])?["id"] as? String)
            }
            let cashDebt = try await debt("Chú Năm", 30_000)
            let transferDebt = try await debt("Cô Sáu", 45_000)
            #expect(amount(try await summary(app, f), "owed") == 75_000)

            let paidCash = try await app.api(.POST, "/api/v1/cash-entries/\(cashDebt)/settle", token: token, json: #"{"how":"cash"}"#)
            #expect(paidCash.status == .ok, "\(paidCash.text)")
            #expect(amount(try await summary(app, f), "cash") == 30_000, "paid in cash: cash takings today")
            #expect(try await app.api(.POST, "/api/v1/cash-entries/\(cashDebt)/settle", token: token, json: #"{"how":"cash"}"#).status == .conflict)

            let byTransfer = try #require(try await app.api(.POST, "/api/v1/cash-entries/\(transferDebt)/settle", token: token, json: #"{"how":"transfer"}"#).json() as? [String: Any])
            let request = try #require(byTransfer["paymentRequest"] as? [String: Any])
            #expect(request["amount"] as? Int == 45_000)
            let code = try #require(request["code"] as? String)
            // Asked again: the same QR, not a second one for the same debt (found by the review).
            let again = try #require(try await app.api(.POST, "/api/v1/cash-entries/\(transferDebt)/settle", token: token, json: #"{"how":"transfer"}"#).json() as? [String: Any])
            #expect((again["paymentRequest"] as? [String: Any])?["code"] as? String == code)
            #expect(try await PaymentRequestModel.query(on: app.db).filter(\.$note == "Tra no Co Sau").count() == 1)
            _ = try await IntakeTests.transfer(app, bank.path, id: "d1", amount: 45_000, description: "\(code) tra no")
            let entries = try #require(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/entries", token: token).json() as? [String: Any])
            #expect(amount(try await summary(app, f), "transfers") == 45_000, "paid by transfer: transfer takings today")
            #expect(amount(try await summary(app, f), "owed") == 75_000, "the debts stay what happened on their day")
            let till = try await app.api(.GET, "/stalls/\(f.stallA1)/today", token: token)
            #expect(till.text.components(separatedBy: "Nợ đã trả").count - 1 == 2, "\(entries)")
            // A QR asked for, then paid in cash: the QR is closed, so the debt cannot be paid twice.
            let thirdDebt = try await debt("Bà Bảy", 20_000)
            let asked = try #require(try await app.api(.POST, "/api/v1/cash-entries/\(thirdDebt)/settle", token: token, json: #"{"how":"transfer"}"#).json() as? [String: Any])
            let askedID = try #require((asked["paymentRequest"] as? [String: Any])?["id"] as? String)
            #expect(try await app.api(.POST, "/api/v1/cash-entries/\(thirdDebt)/settle", token: token, json: #"{"how":"cash"}"#).status == .ok)
            #expect(try await PaymentRequestModel.find(UUID(uuidString: askedID), on: app.db)?.status == "cancelled")
            #expect(try await app.api(.POST, "/api/v1/cash-entries/\(thirdDebt)/settle", token: token, json: #"{"how":"transfer"}"#).status == .conflict)
            // A paid debt cannot be voided behind its payment's back.
            #expect(try await app.api(.POST, "/api/v1/cash-entries/\(cashDebt)/void", token: token, json: #"{"reason":"x"}"#).status == .conflict)
            #expect(try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone).isEmpty)
        }
    }
}

/// Amounts are whole đồng, with sane bounds (issue 12.6).
@Suite struct AmountTests {
    @Test func typedAmountsAreWholeDongOrRefusedWithTheReason() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            for (typed, reason) in [("1,5", "phần lẻ"), ("12.5", "phần lẻ"), ("abc", "chỉ gồm chữ số"), ("-50.000", "số âm"), ("0", "lớn hơn 0")] {
                try await keeper.get("/stalls/\(f.stallA1)/today")
                let refused = try await keeper.post("/stalls/\(f.stallA1)/cash-sales", [("amount", typed)])
                #expect(refused.status == .unprocessableEntity, "\(typed)")
                #expect(refused.text.contains(reason), "\(typed): \(reason)")
            }
            #expect(try await CashEntryModel.query(on: app.db).count() == 0)
            try await keeper.get("/stalls/\(f.stallA1)/today")
            _ = try await keeper.post("/stalls/\(f.stallA1)/cash-sales", [("amount", "1.250.000")])
            #expect(try await CashEntryModel.query(on: app.db).first()?.amount == 1_250_000)
        }
    }

    @Test func aHugeEntryIsRefusedAndALargeOneConfirmed() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            try await keeper.get("/stalls/\(f.stallA1)/today")
            let huge = try await keeper.post("/stalls/\(f.stallA1)/cash-sales", [("amount", "1.000.000.000.000")])
            #expect(huge.status == .unprocessableEntity)
            #expect(huge.text.contains("vượt mức tối đa"))
            let keypad = try await keeper.post("/stalls/\(f.stallA1)/payment-requests", [("amount", "99999000000")])
            #expect(keypad.status == .unprocessableEntity)

            // 12.000.000 đ: asked once more, then accepted with the confirmation the page carries.
            let large = try await keeper.post("/stalls/\(f.stallA1)/cash-sales", [("amount", "12.000.000")])
            #expect(large.status == .unprocessableEntity)
            #expect(large.text.contains("hãy kiểm tra lại rồi xác nhận"))
            #expect(large.text.contains(#"name="confirm" value="1""#))
            let confirmed = try await keeper.post("/stalls/\(f.stallA1)/cash-sales", [("amount", "12.000.000"), ("confirm", "1")])
            #expect(confirmed.status == .seeOther)
            #expect(try await CashEntryModel.query(on: app.db).count() == 1)

            // The API the same way; the board moves the bounds, and only its own market's.
            let api = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/cash-sales", token: f.tokens["merchantA1"], json: #"{"amount":12000000}"#)
            #expect(api.fieldCodes() == ["amount": "amount_needs_confirmation"])
            #expect(try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/cash-sales", token: f.tokens["merchantA1"], json: #"{"amount":12000000,"confirm":true}"#).status == .created)
            #expect(try await app.api(.PUT, "/api/v1/markets/\(f.marketA)/limits", token: f.tokens["managerB"], json: #"{"ceiling":100000}"#).status == .notFound)
            #expect(try await app.api(.PUT, "/api/v1/markets/\(f.marketA)/limits", token: f.tokens["merchantA1"], json: #"{"ceiling":100000}"#).status == .notFound)
            #expect(try await app.api(.PUT, "/api/v1/markets/\(f.marketA)/limits", token: f.tokens["managerA"], json: #"{"ceiling":100000,"warnAbove":200000}"#).status == .unprocessableEntity)
            let set = try await app.api(.PUT, "/api/v1/markets/\(f.marketA)/limits", token: f.tokens["managerA"], json: #"{"ceiling":100000,"warnAbove":50000}"#)
            #expect(set.status == .ok)
            let over = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":150000}"#)
            #expect(over.fieldCodes() == ["amount": "amount_above_ceiling"])
        }
    }
}
