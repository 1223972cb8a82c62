import ChoSoCore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// The hourly rollups follow every entry and correction in the same transaction, and the check
/// finds and repairs a corrupted row (issue 7).
@Suite struct RollupTests {
    @Test func rollupsFollowEntriesAndCorrectionsAndTheCheckRepairsThem() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            try await Self.feed(app, fixture)
            #expect(try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone).isEmpty, "kept equal to the entries")
            let stored = try await RollupStore.stored(on: app.db)
            let a1 = stored.filter { $0.key.stallID == fixture.stallA1 && !$0.key.isWholeDay }.values.reduce(RollupFigures(), +)
            #expect(a1.transferCount == 3 && a1.transferAmount == 235_000, "the 50.200 đ over-paid and owed back is not takings")
            #expect(a1.underpaidCount == 1 && a1.overpaidCount == 1)
            #expect(a1.refundDueCount == 1 && a1.refundDueAmount == 50_200)
            #expect(a1.cashAmount == 15_000 && a1.debtAmount == 20_000)
            let a2 = stored.filter { $0.key.stallID == fixture.stallA2 && !$0.key.isWholeDay }.values.reduce(RollupFigures(), +)
            #expect(a2.transferAmount == 60_000, "the re-assigned transfer counts for its new stall")

            // The day's summary reads the rollups.
            let summary = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/summary", token: fixture.tokens["merchantA1"])
            let body = try #require(try summary.json() as? [String: Any])
            #expect((body["transfers"] as? [String: Any])?["amount"] as? Int == 235_000)
            #expect((body["transfers"] as? [String: Any])?["count"] as? Int == 3)
            #expect((body["cash"] as? [String: Any])?["amount"] as? Int == 15_000)
            #expect((body["owed"] as? [String: Any])?["amount"] as? Int == 20_000)
            let hours = try #require(body["byHour"] as? [[String: Any]])
            #expect(hours.count == 24)
            #expect(hours.compactMap { ($0["transfers"] as? [String: Any])?["amount"] as? Int }.reduce(0, +) == 235_000)
            #expect(try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/summary", token: fixture.tokens["merchantB1"]).status == .notFound)
            let otherDay = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/summary?date=2024-01-05", token: fixture.tokens["merchantA1"])
            #expect((try otherDay.json() as? [String: Any])?["date"] as? String == "2024-01-05")
            #expect(((try otherDay.json() as? [String: Any])?["transfers"] as? [String: Any])?["count"] as? Int == 0)

            // Corrupt one row: the check finds it, the fix repairs it.
            let sql = app.db as! any SQLDatabase
            try await sql.update(RollupStore.table).set("transfer_amount", to: 1).where("stall_id", .equal, UUID(uuidString: fixture.stallA2)!).run()
            let found = try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone)
            #expect(found.count == 1)
            #expect(found.first?.expected?.transferAmount == 60_000)
            try await RollupStore.rebuild(on: app.db, timeZone: app.choSoConfig.timeZone)
            #expect(try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone).isEmpty)

            // The daily table is checked and repaired the same way.
            try await sql.update(RollupStore.dailyTable).set("cash_amount", to: 999).where("stall_id", .equal, UUID(uuidString: fixture.stallA1)!).run()
            let daily = try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone)
            #expect(daily.count == 1 && daily.first?.key.isWholeDay == true && daily.first?.expected?.cashAmount == 15_000)
            try await RollupStore.rebuild(on: app.db, timeZone: app.choSoConfig.timeZone)
            #expect(try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone).isEmpty)
        }
    }

    /// A known day at market A: four transfers (one under-paid against a request, one walk-in, one to
    /// an unknown account then assigned to stall 2, one over-paying the request then marked refund
    /// due), a cash sale and a debt. Stall 1 then received 285.200 đ by transfer (3), of which the
    /// 50.200 đ over-paid is owed back, so it took 235.000 đ by transfer, 15.000 đ cash and 20.000 đ
    /// owed; stall 2 took 60.000 đ by transfer.
    static func feed(_ app: Application, _ fixture: Fixture) async throws {
        let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: IntakeTests.genericSecret)
        let made = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/payment-requests", token: fixture.tokens["merchantA1"], json: #"{"amount":200000}"#)
        let code = try #require((try made.json() as? [String: Any])?["code"] as? String)
        for (id, account, amount, description) in [
            ("t1", "1234567890123", Int64(200), "\(code)"), ("t2", "1234567890123", 35_000, "mua"),
            ("t3", "5555", 60_000, "nham"), ("t4", "1234567890123", 250_000, "\(code) them"),
        ] {
            try await IntakeTests.transfer(app, connection.path, id: id, amount: amount, description: description, account: account)
        }
        _ = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/cash-sales", token: fixture.tokens["merchantA1"], json: #"{"amount":15000}"#)
        _ = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/debts", token: fixture.tokens["merchantA1"], json: #"{"amount":20000,"customerName":"Chú Tư"}"#)
        let unmatched = try #require(try await TransferModel.query(on: app.db).filter(\.$accountNumber == "5555").first())
        _ = try await app.api(.POST, "/api/v1/transfers/\(try unmatched.requireID())/assign", token: fixture.tokens["managerA"], json: #"{"stallId":"\#(fixture.stallA2)"}"#)
        let overpaid = try #require(try await TransferModel.query(on: app.db).filter(\.$providerTransactionID == "t4").first())
        _ = try await app.api(.POST, "/api/v1/transfers/\(try overpaid.requireID())/refund", token: fixture.tokens["managerA"], json: #"{"note":"tra lai"}"#)
    }
}
