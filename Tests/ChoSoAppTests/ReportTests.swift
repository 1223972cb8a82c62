import ChoSoCore
import Fluent
import Foundation
import Spreadsheet
import Testing
import Vapor
@testable import ChoSoApp

/// Numbers agree (issue 7): one known day of transfers, cash, a debt, a re-assignment and a refund
/// due, read back on the day close, the dashboard, both APIs and both exports.
@Suite struct ReportTests {
    @Test func everyReportShowsTheSameFigures() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            try await RollupTests.feed(app, fixture)
            // Stall 1's QR board was printed for its account and handed over.
            let account = try #require(try await ReceivingAccountModel.query(on: app.db).filter(\.$stall.$id == UUID(uuidString: fixture.stallA1)!).first())
            let print = BoardPrintModel()
            print.$stall.id = UUID(uuidString: fixture.stallA1)!
            print.accountID = try account.requireID()
            print.printedAt = Date()
            print.handedOverAt = Date()
            try await print.create(on: app.db)
            let today = Day(Date(), in: app.choSoConfig.timeZone)

            // The market API.
            let response = try await app.api(.GET, "/api/v1/markets/\(fixture.marketA)/summary", token: fixture.tokens["managerA"])
            #expect(response.status == .ok)
            let summary = try #require(try response.json() as? [String: Any])
            #expect(summary["to"] as? String == today.iso && summary["from"] as? String == today.adding(days: -29).iso)
            let stalls = try #require(summary["stalls"] as? [String: Int])
            #expect(stalls == ["total": 2, "withQrBoard": 1, "qrBoardHandedOver": 1, "activeLast7Days": 2, "activeLast30Days": 2])
            #expect(Self.countAmount(summary["transfers"]) == [4, 295_000], "the 50.200 đ owed back is not takings")
            #expect(Self.countAmount(summary["cash"]) == [1, 15_000])
            #expect(Self.countAmount(summary["owed"]) == [1, 20_000])
            #expect(Self.countAmount(summary["refundDue"]) == [1, 50_200])
            #expect(summary["underpaidCount"] as? Int == 1 && summary["overpaidCount"] as? Int == 1)
            #expect(summary["cashlessShare"] as? Double == 0.9516, "295.000 ÷ 310.000")
            #expect(summary["topStallIds"] as? [String] == [fixture.stallA1, fixture.stallA2])
            #expect((summary["inactiveStallIds"] as? [String])?.isEmpty == true)
            let byStall = try #require(summary["byStall"] as? [[String: Any]])
            #expect(byStall.map { $0["number"] as? String } == ["1", "2"])
            #expect(Self.countAmount(byStall[0]["transfers"]) == [3, 235_000] && Self.countAmount(byStall[1]["transfers"]) == [1, 60_000])
            #expect(byStall[0]["lastTransferDate"] as? String == today.iso)
            let byDay = try #require(summary["byDay"] as? [[String: Any]])
            #expect(byDay.count == 30 && byDay.last?["date"] as? String == today.iso && byDay.last?["stallsWithTransfers"] as? Int == 2)
            #expect(byDay.dropLast().allSatisfy { Self.countAmount($0["transfers"]) == [0, 0] })

            // The stall API agrees for stall 1.
            let stallSummary = try #require(try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/summary", token: fixture.tokens["merchantA1"]).json() as? [String: Any])
            #expect(Self.countAmount(stallSummary["transfers"]) == [3, 235_000] && Self.countAmount(stallSummary["cash"]) == [1, 15_000])

            // The rollup report equals the naive one computed from the raw entries.
            let reports = ReportService(database: app.db, user: .commandLine, config: app.choSoConfig)
            let fromRollups = try await reports.market(fixture.marketA, from: nil, to: nil).report
            #expect(fromRollups == (try await reports.marketFromEntries(fixture.marketA, from: nil, to: nil).report))
            // A one-day report reads the same figures by another query.
            let oneDay = try await reports.market(fixture.marketA, from: today, to: today).report
            #expect(oneDay == (try await reports.marketFromEntries(fixture.marketA, from: today, to: today).report))
            #expect(oneDay.totals == fromRollups.totals && oneDay.stalls == fromRollups.stalls && oneDay.days == [fromRollups.days.last!])

            // The stall keeper's day close.
            let close = try await app.api(.GET, "/stalls/\(fixture.stallA1)/close", token: fixture.tokens["merchantA1"])
            #expect(close.status == .ok)
            let page = close.body.string
            for text in ["235.000 đ", "3 lần", "15.000 đ", "20.000 đ", "250.000 đ", "94,0 %", "50.200 đ", "Mọi khoản trong ngày (5)", "Chuyển thiếu", "Cần hoàn lại khách", "<svg"] {
                #expect(page.contains(text), "the day close shows \(text)")
            }
            #expect(!page.contains("60.000 đ"), "stall 2's transfer is not on stall 1's day close")

            // The board's dashboard.
            let dashboard = try await app.api(.GET, "/markets/\(fixture.marketA)/dashboard", token: fixture.tokens["managerA"])
            #expect(dashboard.status == .ok)
            for text in ["95,2 %", "295.000 đ", "15.000 đ", "20.000 đ", "Trái cây Cô Ba", "Cá tươi Chú Tư"] {
                #expect(dashboard.body.string.contains(text), "the dashboard shows \(text)")
            }

            // Both exports, both tables: the same cells, the official heading, the same numbers.
            let csv = try await app.api(.GET, "/markets/\(fixture.marketA)/report.csv?table=stalls", token: fixture.tokens["managerA"])
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.headers.first(name: .contentDisposition)?.contains(".csv") == true)
            let csvRows = CSVTable.parse(Array(csv.body.readableBytesView))
            let xlsx = try await app.api(.GET, "/markets/\(fixture.marketA)/report.xlsx?table=stalls", token: fixture.tokens["managerA"])
            let xlsxRows = try XLSX.firstSheet(Array(xlsx.body.readableBytesView))
            // The same cells, but the XLSX keeps shares and dates typed (a ratio and a day number).
            #expect(Self.trimmed(csvRows).map { Array($0.prefix(12)) } == Self.trimmed(xlsxRows).map { Array($0.prefix(12)) })
            let xlsxStall1 = try #require(xlsxRows.first { $0.count > 13 && $0[1] == "1" })
            #expect(xlsxStall1[12] == "0.94" && xlsxStall1[13] == String(XLSX.serialDay(year: today.year, month: today.month, day: today.day)))
            #expect(csvRows[0] == ["BAN QUẢN LÝ CHỢ NGAN RÔ"])
            let heading = "Trần Đề, ngày \(String(format: "%02d", today.day)) tháng \(String(format: "%02d", today.month)) năm \(today.year)"
            #expect(csvRows[1] == [heading], "the place is the market's commune as it is today")
            let stall1 = try #require(csvRows.first { $0.count > 7 && $0[1] == "1" })
            #expect(Array(stall1[4...11]) == ["Có", "Có", "3", "235000", "1", "15000", "1", "20000"])
            #expect(stall1[12] == "94,0 %")
            let total = try #require(csvRows.first { $0.count > 7 && $0[1] == "Tổng cộng" })
            #expect(Array(total[4...12]) == ["1", "1", "4", "295000", "1", "15000", "1", "20000", "95,2 %"])
            let days = try XLSX.firstSheet(Array(try await app.api(.GET, "/markets/\(fixture.marketA)/report.xlsx?table=days", token: fixture.tokens["managerA"]).body.readableBytesView))
            let daysCSV = CSVTable.parse(Array(try await app.api(.GET, "/markets/\(fixture.marketA)/report.csv?table=days", token: fixture.tokens["managerA"]).body.readableBytesView))
            #expect(Self.trimmed(days).map { [$0.first ?? ""] + $0.dropFirst(2).prefix(7) } == Self.trimmed(daysCSV).map { [$0.first ?? ""] + $0.dropFirst(2).prefix(7) })
            let todayRow = try #require(daysCSV.first { $0.count > 8 && $0[1] == today.vietnamese })
            #expect(Array(todayRow[2...9]) == ["2", "4", "295000", "1", "15000", "1", "20000", "95,2 %"])
            let todayTyped = try #require(days.first { $0.count > 8 && $0[1] == String(XLSX.serialDay(year: today.year, month: today.month, day: today.day)) })
            #expect(todayTyped[9].hasPrefix("0.9516"))
            let daysTotal = try #require(days.first { $0.count > 8 && $0[1] == "Tổng cộng" })
            #expect(Array(daysTotal[3...8]) == ["4", "295000", "1", "15000", "1", "20000"])
        }
    }

    @Test func eachRoleSeesOnlyItsOwnFigures() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let market = "/api/v1/markets/\(fixture.marketA)/summary"
            for (role, status) in [("admin", HTTPStatus.ok), ("officer", .ok), ("managerA", .ok), ("officerElsewhere", .notFound),
                                   ("managerB", .notFound), ("merchantA1", .notFound), ("merchantB1", .notFound), ("teamMember", .notFound)] {
                #expect(try await app.api(.GET, market, token: fixture.tokens[role]).status == status, "\(role) on the market summary")
                #expect(try await app.api(.GET, "/markets/\(fixture.marketA)/dashboard", token: fixture.tokens[role]).status == status, "\(role) on the dashboard")
                #expect(try await app.api(.GET, "/markets/\(fixture.marketA)/report.xlsx", token: fixture.tokens[role]).status == status, "\(role) on the export")
            }
            #expect(try await app.api(.GET, market).status == .unauthorized)
            // The day close is the stall keeper's own, and the board's and officers' to read.
            for (role, status) in [("merchantA1", HTTPStatus.ok), ("managerA", .ok), ("officer", .ok), ("merchantB1", .notFound), ("managerB", .notFound)] {
                #expect(try await app.api(.GET, "/stalls/\(fixture.stallA1)/close", token: fixture.tokens[role]).status == status, "\(role) on the day close")
            }
            // Bad ranges and tables are refused with the reason.
            for (query, code) in [("from=2024-02-01&to=2024-01-01", "bad_range"), ("from=2023-01-01&to=2024-06-01", "bad_range"), ("from=2024-02-30", "bad_date")] {
                let refused = try await app.api(.GET, "\(market)?\(query)", token: fixture.tokens["managerA"])
                #expect(refused.status == .badRequest && refused.errorCode() == code, "\(query)")
            }
            let january = try await app.api(.GET, "/api/v1/markets/\(fixture.marketA)/summary?from=2024-01-01&to=2024-01-31", token: fixture.tokens["managerA"])
            #expect(((try january.json() as? [String: Any])?["byDay"] as? [Any])?.count == 31)
            #expect(try await app.api(.GET, "/markets/\(fixture.marketA)/report.csv?table=secrets", token: fixture.tokens["managerA"]).status == .badRequest)
        }
    }

    static func countAmount(_ value: Any?) -> [Int] {
        let object = value as? [String: Any]
        return [object?["count"] as? Int ?? -1, object?["amount"] as? Int ?? -1]
    }

    /// Rows without trailing empty cells: the CSV writes them, the XLSX does not store them.
    static func trimmed(_ rows: [[String]]) -> [[String]] {
        rows.map { row in
            var row = row
            while row.last == "" { row.removeLast() }
            return row
        }.filter { !$0.isEmpty }
    }
}
