import ChoSoCore
import Fluent
import Foundation
import Spreadsheet
import Testing
import Vapor
@testable import ChoSoApp

/// Every view of a market's fees shows the ledger's numbers (issue 15): the bills in the API, each
/// stall's balance, the board's page, the CSV and the XLSX — after an over-payment carried forward,
/// a cash payment and a reversal.
@Suite struct FeeNumbersAgreeTests {
    static func money(_ value: Int64) -> String { Money(dong: value).formatted }

    @Test func ledgerBillsBalancesPageAPIAndBothExportsAgree() async throws {
        try await withTestApp { app in
            let s = try await FeePaymentTests.setUp(app)
            let f = s.fixture
            let month = FeePaymentTests.thisMonth
            // A1 over-pays by transfer; next month's bills use the credit.
            let rent = try await FeePaymentTests.bill(app, stall: f.stallA1, period: month, line: "rent")
            try await IntakeTests.transfer(app, s.hook, id: "over", amount: 1_000_000, description: rent.code, account: FeePaymentTests.feeAccount)
            _ = try await s.fees.bill(market: f.marketA, period: month.next)
            // A2 pays cash, twice by mistake; the second is reversed.
            let cash = "/api/v1/markets/\(f.marketA)/fees/cash-payments"
            _ = try await app.api(.POST, cash, token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA2)","amount":200000}"#)
            let twice = try #require(try await app.api(.POST, cash, token: f.tokens["managerA"], json: #"{"stallId":"\#(f.stallA2)","amount":200000}"#).json() as? [String: Any])
            let reversal = try await app.api(.POST, "/api/v1/fee-payments/\(twice["id"] as! String)/reverse", token: f.tokens["managerA"], json: #"{"reason":"Ghi trùng"}"#)
            #expect(reversal.status == .ok)

            let entries = try await FeeLedgerEntryModel.query(on: app.db).all().map(\.entry)
            let ledger = FeeLedger.figures(entries)
            #expect(try await FeeLedgerWriter.audit(on: app.db).isEmpty)
            let board = Browser(app)
            try await board.login("managera")
            for period in [month.previous, month, month.next] {
                let bills = try await FeeBillModel.query(on: app.db).filter(\.$marketID == UUID(uuidString: f.marketA)!).filter(\.$period == period.iso).all()
                let due = bills.reduce(0) { $0 + (ledger.bills[$1.id!.uuidString]?.amountDue ?? 0) }
                let paid = bills.reduce(0) { $0 + (ledger.bills[$1.id!.uuidString]?.amountPaid ?? 0) }
                #expect(due > 0)

                // The API: totals and every bill as the ledger says.
                let api = try #require(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/fees?period=\(period.iso)", token: f.tokens["officer"]).json() as? [String: Any])
                #expect(api["billed"] as? Int == Int(due) && api["paid"] as? Int == Int(paid) && api["remaining"] as? Int == Int(due - paid), "\(period.iso)")
                for bill in try #require(api["bills"] as? [[String: Any]]) {
                    let figures = try #require(ledger.bills[bill["id"] as! String])
                    #expect(bill["amountDue"] as? Int == Int(figures.amountDue) && bill["amountPaid"] as? Int == Int(figures.amountPaid))
                    #expect(bill["amountRemaining"] as? Int == Int(figures.amountRemaining) && bill["status"] as? String == figures.status.rawValue)
                }

                // The board's page.
                let page = try await board.get("/markets/\(f.marketA)/fees?period=\(period.iso)").body.string
                let tiles = String(page[page.range(of: "id=\"fee-totals\"")!.lowerBound...].prefix(1_500))
                for value in [due, paid, due - paid] { #expect(tiles.contains(Self.money(value)), "\(period.iso): \(Self.money(value))") }

                // The CSV and the XLSX: a row per bill and the total.
                let csvText = try await board.get("/markets/\(f.marketA)/fees.csv?period=\(period.iso)").body.string
                let xlsx = try await board.get("/markets/\(f.marketA)/fees.xlsx?period=\(period.iso)").body
                let fromXLSX = try XLSX.firstSheet(Array(xlsx.readableBytesView))
                let fromCSV = csvText.split(separator: "\r\n", omittingEmptySubsequences: false).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                for (name, rows) in [("csv", fromCSV), ("xlsx", fromXLSX)] {
                    let body = rows.filter { $0.count > 6 && Int($0[0]) != nil }
                    #expect(body.count == bills.count, "\(name) \(period.iso)")
                    #expect(body.reduce(0) { $0 + (Int64($1[4]) ?? -1) } == due && body.reduce(0) { $0 + (Int64($1[5]) ?? -1) } == paid, "\(name)")
                    let total = try #require(rows.first { $0.count > 6 && $0[1] == "Tổng cộng" })
                    #expect(total[4...6].map { Int64($0) } == [due, paid, due - paid], "\(name) \(period.iso): \(total)")
                }
            }

            // Each stall's balance is its open bills less its credit, from the same entries.
            for stall in [f.stallA1, f.stallA2] {
                let fees = try await FeePaymentTests.stallFees(app, f, stall, as: "officer")
                let bills = try await FeeBillModel.query(on: app.db).filter(\.$stallID == UUID(uuidString: stall)!).all().map { $0.id!.uuidString }
                #expect(fees["balance"] as? Int == Int(ledger.balance(ofStall: stall, bills: bills)))
                #expect(fees["credit"] as? Int == Int(ledger.credit[stall] ?? 0))
                // The database's sums, which payments are placed by, are the ledger's figures.
                let summed = try await FeeLedgerWriter.figures(ofStall: UUID(uuidString: stall)!, bills: bills.map { UUID(uuidString: $0)! }, on: app.db)
                #expect(summed.credit[stall] ?? 0 == ledger.credit[stall] ?? 0)
                for bill in bills { #expect(summed.bills[bill] == ledger.bills[bill], "\(bill)") }
            }
            // The over-payment was carried forward and spent, the reversed cash counts nowhere.
            // 1.000.000 đ paid two months of 480.000 đ; the 40.000 đ left went to next month's rent.
            let nextRent = try await FeePaymentTests.bill(app, stall: f.stallA1, period: month.next, line: "rent")
            #expect(ledger.credit[f.stallA1] == 0 && ledger.bills[nextRent.id!.uuidString]?.amountPaid == 40_000)
            let collected = try #require(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/fees?period=\(month.iso)", token: f.tokens["officer"]).json() as? [String: Any])
            let collection = try #require(collected["collected"] as? [String: Any])
            #expect(collection["transferAmount"] as? Int == 1_000_000 && collection["cashAmount"] as? Int == 200_000 && collection["cashCount"] as? Int == 1)
            #expect(collection["cashlessPermille"] as? Int == 833)
            // The commune's figures: the same numbers, for the markets the caller may read.
            let commune = try #require(try await app.api(.GET, "/api/v1/fees/figures?period=\(month.iso)", token: f.tokens["officer"]).json() as? [String: Any])
            let row = try #require((commune["markets"] as? [[String: Any]])?.first { $0["marketId"] as? String == f.marketA })
            #expect(row["billed"] as? Int == collected["billed"] as? Int && row["paid"] as? Int == collected["paid"] as? Int)
            #expect((row["collected"] as? [String: Any])?["cashlessPermille"] as? Int == 833)
            #expect((commune["collected"] as? [String: Any])?["transferAmount"] as? Int == 1_000_000)
            for name in ["officerElsewhere", "merchantA1", "managerB"] {
                let theirs = try #require(try await app.api(.GET, "/api/v1/fees/figures?period=\(month.iso)", token: f.tokens[name]).json() as? [String: Any])
                #expect((theirs["markets"] as? [[String: Any]])?.contains { $0["marketId"] as? String == f.marketA } == false, "\(name)")
            }
        }
    }
}
