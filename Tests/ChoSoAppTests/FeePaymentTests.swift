import ChoSoCore
import Fluent
import SQLKit
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// Market fees, paying (issue 15): a transfer to the market's fee account carrying a bill's code is
/// the stall's payment, allocated oldest bill first, the rest kept as credit for the next bills; a
/// transfer without a usable code waits for the board; cash gets a receipt once; reversals undo by
/// entries; the fee account changes only with a second board member.
@Suite struct FeePaymentTests {
    static let feeAccount = "7808205012345"
    static var thisMonth: FeePeriod { FeeBillingTests.thisMonth }

    struct Setup {
        var fixture: Fixture
        var hook: String
        var fees: FeeService
    }

    /// Market A measured, a tariff, a fee account, a generic connection; last month and this month billed.
    static func setUp(_ app: Application) async throws -> Setup {
        let f = try await Fixture.make(app)
        let fees = try await FeeBillingTests.prepare(app, f)
        let account = try await app.api(.PUT, "/api/v1/markets/\(f.marketA)/fee-account", token: f.tokens["managerA"],
                                        json: #"{"bin":"970405","accountNumber":"\#(feeAccount)","holderName":"BAN QUAN LY CHO NGAN RO"}"#)
        #expect(account.status == .ok, "\(account.text)")
        let connection = try await IntakeTests.connect(app, f, provider: "generic", secret: IntakeTests.genericSecret)
        _ = try await fees.bill(market: f.marketA, period: thisMonth.previous)
        _ = try await fees.bill(market: f.marketA, period: thisMonth)
        return Setup(fixture: f, hook: connection.path, fees: fees)
    }

    static func bill(_ app: Application, stall: String, period: FeePeriod, line: String) async throws -> FeeBillModel {
        try #require(try await FeeBillModel.query(on: app.db).filter(\.$stallID == UUID(uuidString: stall)!)
            .filter(\.$period == period.iso).filter(\.$lineCode == line).first())
    }

    static func stallFees(_ app: Application, _ f: Fixture, _ stall: String, as name: String = "managerA") async throws -> [String: Any] {
        let response = try await app.api(.GET, "/api/v1/stalls/\(stall)/fees", token: f.tokens[name])
        #expect(response.status == .ok, "\(response.text)")
        return try #require(try response.json() as? [String: Any])
    }

    static func paid(_ fees: [String: Any], _ period: FeePeriod, _ line: String) -> (Int?, String?) {
        let bill = (fees["bills"] as? [[String: Any]])?.first { $0["period"] as? String == period.iso && $0["line"] as? String == line }
        return (bill?["amountPaid"] as? Int, bill?["status"] as? String)
    }

    @Test func aTransferWithTheCodePaysOldestFirstAndAnOverPaymentPaysTheNextBills() async throws {
        try await withTestApp { app in
            let s = try await Self.setUp(app)
            let f = s.fixture
            // A1 owes 480.000 đ a month (4,50 m² front row at 100.000 đ and 30.000 đ cleaning), two months.
            let rent = try await Self.bill(app, stall: f.stallA1, period: Self.thisMonth, line: "rent")
            try await IntakeTests.transfer(app, s.hook, id: "fee-1", amount: 600_000, description: "CK \(rent.code.lowercased()) phi cho", account: Self.feeAccount)
            var fees = try await Self.stallFees(app, f, f.stallA1)
            #expect(Self.paid(fees, Self.thisMonth.previous, "rent") == (450_000, "paid"))
            #expect(Self.paid(fees, Self.thisMonth.previous, "cleaning") == (30_000, "paid"))
            #expect(Self.paid(fees, Self.thisMonth, "rent") == (120_000, "partly_paid"))
            #expect(fees["balance"] as? Int == 360_000)
            // The same notification again (a resend on a weak link): nothing more.
            try await IntakeTests.transfer(app, s.hook, id: "fee-1", amount: 600_000, description: "CK \(rent.code.lowercased()) phi cho", account: Self.feeAccount)
            #expect(try await FeePaymentModel.query(on: app.db).count() == 1)
            // 400.000 đ more: this month paid, 40.000 đ left as credit…
            try await IntakeTests.transfer(app, s.hook, id: "fee-2", amount: 400_000, description: rent.code, account: Self.feeAccount)
            fees = try await Self.stallFees(app, f, f.stallA1)
            #expect(fees["balance"] as? Int == -40_000 && fees["credit"] as? Int == 40_000)
            // …which next month's bills use as soon as they are issued.
            _ = try await s.fees.bill(market: f.marketA, period: Self.thisMonth.next)
            fees = try await Self.stallFees(app, f, f.stallA1)
            #expect(Self.paid(fees, Self.thisMonth.next, "rent") == (40_000, "partly_paid"))
            #expect(fees["credit"] as? Int == 0 && fees["balance"] as? Int == 440_000)
            // Fees are never a stall's takings: the transfers are stored as fees, no stall, no rollup.
            let transfers = try await TransferModel.query(on: app.db).filter(\.$accountNumber == Self.feeAccount).all()
            #expect(transfers.count == 2 && transfers.allSatisfy { $0.status == "fee" && $0.stallID == nil })
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await sql.select().column(SQLAlias(SQLFunction("count", args: SQLLiteral.all), as: SQLIdentifier("n")))
                .from(RollupStore.dailyTable).first()?.decode(column: "n", as: Int.self) == 0)
            // Two receipts, each with its own number, each on the public page.
            let receipts = try #require(fees["receipts"] as? [[String: Any]])
            #expect(receipts.count == 2 && Set(receipts.compactMap { $0["receiptNumber"] as? String }).count == 2)
            for receipt in receipts {
                let page = try await app.testing().sendRequest(.GET, "/bien-lai/\(receipt["receiptNumber"] as! String)")
                #expect(page.status == .ok && page.body.string.contains("Biên lai hợp lệ"))
            }
            #expect(try await FeeLedgerWriter.audit(on: app.db).isEmpty)
        }
    }

    @Test func aTransferToTheFeeAccountWithoutAUsableCodeWaitsForTheBoard() async throws {
        try await withTestApp { app in
            let s = try await Self.setUp(app)
            let f = s.fixture
            // Market B's bill code does not belong to market A's fee account, a made-up one neither.
            let admin = FeeService(database: app.db, user: .commandLine, timeZone: FeeBillingTests.timeZone)
            _ = try await admin.addTariff(market: f.marketB, FeeBillingTests.tariff(from: Self.thisMonth.firstDay, rent: 10_000))
            _ = try await admin.bill(market: f.marketB, period: Self.thisMonth)
            let other = try #require(try await FeeBillModel.query(on: app.db).filter(\.$marketID == UUID(uuidString: f.marketB)!).first())
            try await IntakeTests.transfer(app, s.hook, id: "nocode", amount: 100_000, description: "quay 1 nop phi", account: Self.feeAccount)
            try await IntakeTests.transfer(app, s.hook, id: "other", amount: 50_000, description: "PC0000000 " + other.code, account: Self.feeAccount)
            let inbox = try #require(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/inbox", token: f.tokens["managerA"]).json() as? [[String: Any]])
            #expect(inbox.count == 2 && inbox.allSatisfy { $0["status"] as? String == "unmatched" })
            #expect(try await FeePaymentModel.query(on: app.db).count() == 0)
            let id = try #require(inbox.first { $0["amount"] as? Int == 100_000 }?["id"] as? String)
            // Not a stall's takings…
            let asTakings = try await app.api(.POST, "/api/v1/transfers/\(id)/assign", token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA1)"}"#)
            #expect(asTakings.status == .conflict && asTakings.errorCode() == "fee_account_transfer")
            // …nor anyone else's to give: another market's board, the keeper, the officer.
            for (name, status) in [("managerB", HTTPStatus.notFound), ("merchantA1", .notFound), ("officer", .forbidden)] {
                let tried = try await app.api(.POST, "/api/v1/transfers/\(id)/fee-payment", token: f.tokens[name], json: #"{"stallId":"\#(f.stallA1)"}"#)
                #expect(tried.status == status, "\(name)")
            }
            // A stall of another market is refused with the reason.
            let elsewhere = try await app.api(.POST, "/api/v1/transfers/\(id)/fee-payment", token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallB1)"}"#)
            #expect(elsewhere.fieldCodes() == ["stallId": "unknown_stall"])
            let given = try await app.api(.POST, "/api/v1/transfers/\(id)/fee-payment", token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA2)","note":"quầy 2 quên ghi mã"}"#)
            #expect(given.status == .ok, "\(given.text)")
            let again = try await app.api(.POST, "/api/v1/transfers/\(id)/fee-payment", token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA2)"}"#)
            #expect(again.status == .conflict)
            let fees = try await Self.stallFees(app, f, f.stallA2)
            // A2 owes 180.000 đ a month: the oldest bill, last month's rent, takes the 100.000 đ.
            #expect(Self.paid(fees, Self.thisMonth.previous, "rent") == (100_000, "partly_paid"))
            #expect(Self.paid(fees, Self.thisMonth, "rent") == (0, "unpaid") && fees["balance"] as? Int == 260_000)
            #expect(try await FeePaymentModel.query(on: app.db).count() == 1)
            #expect(try await TransferModel.find(UUID(uuidString: id), on: app.db)?.status == "fee")
        }
    }

    @Test func cashGetsAReceiptOnceAndAReversalUndoesItByEntries() async throws {
        try await withTestApp { app in
            let s = try await Self.setUp(app)
            let f = s.fixture
            let path = "/api/v1/markets/\(f.marketA)/fees/cash-payments"
            let body = #"{"stallId":"\#(f.stallA2)","amount":180000,"payer":"Chú Tư"}"#
            let first = try await app.api(.POST, path, token: f.tokens["managerA"], json: body, headers: [("Idempotency-Key", "tap-1")])
            #expect(first.status == .created, "\(first.text)")
            let second = try await app.api(.POST, path, token: f.tokens["managerA"], json: body, headers: [("Idempotency-Key", "tap-1")])
            #expect(second.status == .created && second.text == first.text)
            #expect(try await FeePaymentModel.query(on: app.db).count() == 1)
            for (json, code) in [
                (#"{"stallId":"\#(f.stallA2)","amount":0}"#, "bad_amount"), (#"{"stallId":"\#(f.stallA2)","amount":-5}"#, "bad_amount"),
                (#"{"stallId":"\#(f.stallA2)","amount":100000001}"#, "bad_amount"), (#"{"stallId":"\#(f.stallB1)","amount":1000}"#, "unknown_stall"),
                (#"{"stallId":"nope","amount":1000}"#, "unknown_stall"),
            ] {
                let refused = try await app.api(.POST, path, token: f.tokens["managerA"], json: json)
                #expect(refused.status == .unprocessableEntity && refused.fieldCodes().values.contains(code), "\(json): \(refused.text)")
            }
            for (name, status) in [("officer", HTTPStatus.forbidden), ("merchantA1", .notFound), ("managerB", .notFound)] {
                #expect(try await app.api(.POST, path, token: f.tokens[name], json: body).status == status, "\(name)")
            }
            #expect(try await FeePaymentModel.query(on: app.db).count() == 1)
            var fees = try await Self.stallFees(app, f, f.stallA2)
            #expect(Self.paid(fees, Self.thisMonth.previous, "rent") == (150_000, "paid"))
            let receipt = try #require(try first.json() as? [String: Any])
            let paymentID = try #require(receipt["id"] as? String)
            // A reversal needs a reason, is the board's, and happens once.
            #expect(try await app.api(.POST, "/api/v1/fee-payments/\(paymentID)/reverse", token: f.tokens["managerA"], json: "{}").fieldCodes() == ["reason": "bad_reason"])
            #expect(try await app.api(.POST, "/api/v1/fee-payments/\(paymentID)/reverse", token: f.tokens["officer"], json: #"{"reason":"x"}"#).status == .forbidden)
            let reversed = try await app.api(.POST, "/api/v1/fee-payments/\(paymentID)/reverse", token: f.tokens["managerA"], json: #"{"reason":"Ghi nhầm quầy"}"#)
            #expect(reversed.status == .ok, "\(reversed.text)")
            #expect(try await app.api(.POST, "/api/v1/fee-payments/\(paymentID)/reverse", token: f.tokens["managerA"], json: #"{"reason":"again"}"#).status == .conflict)
            fees = try await Self.stallFees(app, f, f.stallA2)
            #expect(Self.paid(fees, Self.thisMonth.previous, "rent") == (0, "unpaid") && fees["balance"] as? Int == 360_000)
            // Nothing was edited or deleted: the entries are still there, each cancelled by its own.
            let entries = try await FeeLedgerEntryModel.query(on: app.db).filter(\.$paymentID == UUID(uuidString: paymentID)!).all()
            #expect(entries.filter { $0.kind == "reversal" }.count == entries.filter { $0.kind != "reversal" }.count)
            #expect(entries.filter { $0.kind == "reversal" }.allSatisfy { $0.reason == "Ghi nhầm quầy" && $0.actor != nil })
            let page = try await app.testing().sendRequest(.GET, "/bien-lai/\(receipt["receiptNumber"] as! String)")
            #expect(page.body.string.contains("Khoản thu này đã bị huỷ"))
            #expect(try await FeeLedgerWriter.audit(on: app.db).isEmpty)
        }
    }

    @Test func theFeeAccountChangesOnlyWithASecondBoardMember() async throws {
        try await withTestApp { app in
            let s = try await Self.setUp(app)
            let f = s.fixture
            let path = "/api/v1/markets/\(f.marketA)/fee-account"
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            let second = try await accounts.createUser(.init(username: "managera2", displayName: "Phó ban", password: Fixture.password,
                                                             role: .marketManager, scope: [f.marketA]))
            let secondToken = try await accounts.issueToken(for: try second.requireID(), name: "t").1
            let change = try await app.api(.PUT, path, token: f.tokens["managerA"], json: #"{"bin":"970436","accountNumber":"0011001234567","holderName":"BAN QUAN LY CHO"}"#)
            #expect(change.status == .accepted, "\(change.text)")
            let changeID = try #require((try change.json() as? [String: Any])?["id"] as? String)
            // Until confirmed, the money still goes to the first account.
            #expect((try await app.api(.GET, path, token: f.tokens["managerA"]).json() as? [String: Any])?["accountNumber"] as? String == Self.feeAccount)
            let alone = try await app.api(.POST, "/api/v1/market-account-changes/\(changeID)/confirm", token: f.tokens["managerA"])
            #expect(alone.status == .forbidden && alone.errorCode() == "second_person_required")
            #expect(try await app.api(.POST, "/api/v1/market-account-changes/\(changeID)/confirm", token: f.tokens["managerB"]).status == .notFound)
            #expect(try await app.api(.POST, "/api/v1/market-account-changes/\(changeID)/confirm", token: secondToken).status == .ok)
            #expect(try await app.api(.POST, "/api/v1/market-account-changes/\(changeID)/confirm", token: secondToken).status == .conflict)
            #expect((try await app.api(.GET, path, token: f.tokens["managerA"]).json() as? [String: Any])?["accountNumber"] as? String == "0011001234567")
            // A stall's own account is never the market's fee account; the officer and keepers do not change it.
            let stallsAccount = try await app.api(.PUT, path, token: f.tokens["managerA"], json: #"{"bin":"970405","accountNumber":"1234567890123","holderName":"X"}"#)
            #expect(stallsAccount.fieldCodes()["accountNumber"] == "stall_account")
            for (name, status) in [("officer", HTTPStatus.forbidden), ("merchantA1", .notFound), ("managerB", .notFound)] {
                #expect(try await app.api(.PUT, path, token: f.tokens[name], json: #"{"bin":"970436","accountNumber":"0011009999999","holderName":"X"}"#).status == status, "\(name)")
            }
            // A transfer to the old account is no fee any more: it waits in the inbox.
            let rent = try await Self.bill(app, stall: f.stallA1, period: Self.thisMonth, line: "rent")
            try await IntakeTests.transfer(app, s.hook, id: "old", amount: 10_000, description: rent.code, account: Self.feeAccount)
            #expect(try await FeePaymentModel.query(on: app.db).count() == 0)
            #expect(try await TransferModel.query(on: app.db).filter(\.$accountNumber == Self.feeAccount).first()?.status == "unmatched")
        }
    }

    @Test func aReversedTransferGoesBackToTheInboxForTheRightStall() async throws {
        try await withTestApp { app in
            let s = try await Self.setUp(app)
            let f = s.fixture
            let rent = try await Self.bill(app, stall: f.stallA1, period: Self.thisMonth.previous, line: "rent")
            try await IntakeTests.transfer(app, s.hook, id: "wrong-stall", amount: 180_000, description: rent.code, account: Self.feeAccount)
            let payment = try #require(try await FeePaymentModel.query(on: app.db).first())
            let reversed = try await app.api(.POST, "/api/v1/fee-payments/\(payment.id!.uuidString)/reverse", token: f.tokens["managerA"],
                                             json: #"{"reason":"Quầy 2 ghi nhầm mã của quầy 1"}"#)
            #expect(reversed.status == .ok)
            // The money is still in the fee account: back in the inbox, given to the right stall.
            let inbox = try #require(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/inbox", token: f.tokens["managerA"]).json() as? [[String: Any]])
            let item = try #require(inbox.first { $0["amount"] as? Int == 180_000 })
            #expect((item["reason"] as? String)?.contains("đã huỷ") == true)
            let given = try await app.api(.POST, "/api/v1/transfers/\(item["id"] as! String)/fee-payment", token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA2)"}"#)
            #expect(given.status == .ok, "\(given.text)")
            let a1 = try await Self.stallFees(app, f, f.stallA1)
            let a2 = try await Self.stallFees(app, f, f.stallA2)
            #expect(a1["balance"] as? Int == 960_000 && a2["balance"] as? Int == 180_000)
            #expect(try await FeeLedgerWriter.audit(on: app.db).isEmpty)
            // A note too long for the payer is said about the payer.
            let long = String(repeating: "a", count: 201)
            let refused = try await app.api(.POST, "/api/v1/markets/\(f.marketA)/fees/cash-payments", token: f.tokens["managerA"],
                                            json: #"{"stallId":"\#(f.stallA2)","amount":1000,"payer":"\#(long)"}"#)
            #expect(refused.fieldCodes() == ["payer": "bad_payer"] && refused.text.contains("Tối đa 200 ký tự"))
        }
    }
}
