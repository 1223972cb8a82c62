import ChoSoCore
import Foundation
import Testing

@Suite struct MarketReportTests {
    static func figures(transfers: Int64, _ amount: Int64, cash: Int64 = 0) -> RollupFigures {
        var figures = RollupFigures()
        figures.transferCount = transfers
        figures.transferAmount = amount
        figures.cashCount = cash > 0 ? 1 : 0
        figures.cashAmount = cash
        return figures
    }

    @Test func activityCountsTheLast7And30DaysUpToTheEnd() throws {
        let to = try #require(Day(iso: "2024-03-01"))
        let profiles = ["a", "b", "c", "d"].map { StallProfile(id: $0, number: $0, name: $0, hasBoard: $0 != "d", boardHandedOver: $0 == "a") }
            + [StallProfile(id: "x", number: "x", name: "closed, no figures", hasBoard: true, boardHandedOver: true, isOpen: false),
               StallProfile(id: "y", number: "y", name: "closed, took money", hasBoard: true, boardHandedOver: true, isOpen: false)]
        // b's last transfer was exactly 7 days before the end (counts for 7 days: 23/02…01/03);
        // c's 8 days before (30 days only); d's 30 days before (neither: 01/02 is outside 02/02…01/03).
        let last = ["a": to, "b": to.adding(days: -6), "c": to.adding(days: -7), "d": to.adding(days: -30)]
        let report = MarketReport(
            from: to, to: to, stalls: profiles,
            byStall: ["a": Self.figures(transfers: 2, 300_000, cash: 100_000), "y": Self.figures(transfers: 1, 50_000)],
            byDay: [to: (Self.figures(transfers: 3, 350_000, cash: 100_000), 2), to.adding(days: 1): (Self.figures(transfers: 9, 9), 1)],
            lastTransferDays: last.merging(["y": to]) { $1 })
        #expect(report.activeLast7Days == 2 && report.activeLast30Days == 3, "open stalls only")
        #expect(report.inactive.map(\.profile.id) == ["d"])
        #expect(report.stallCount == 4 && report.withBoard == 3 && report.boardHandedOver == 1)
        #expect(report.stalls.map(\.profile.id) == ["a", "b", "c", "d", "y"], "a closed stall is listed while it has figures")
        #expect(report.totals.transferAmount == 350_000, "days outside the range are left out; closed stalls' money counts")
        #expect(report.share.text == "77,8 %")
        #expect(report.top.map(\.profile.id) == ["a", "y"])
        #expect(report.days.count == 1 && report.days[0].stallsWithTransfers == 2)
    }

    @Test func daysAndSharesAtTheEdges() throws {
        #expect(Day(iso: "2024-02-28")!.adding(days: 1).iso == "2024-02-29")
        #expect(Day(iso: "2024-03-01")!.adding(days: -1).iso == "2024-02-29")
        #expect(Day(iso: "2025-12-31")!.adding(days: 1).iso == "2026-01-01")
        #expect(Day(iso: "2024-01-01")!.daysThrough(Day(iso: "2024-12-31")!) == 366)
        #expect(Day.range(Day(iso: "2024-01-30")!, Day(iso: "2024-02-02")!).map(\.iso) == ["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02"])
        #expect(CashlessShare(transferAmount: 0, cashAmount: 0).text == "—")
        #expect(CashlessShare(transferAmount: 2, cashAmount: 1).text == "66,7 %")
        #expect(CashlessShare(transferAmount: 1, cashAmount: 0).text == "100,0 %")
        #expect(CashlessShare(transferAmount: 1, cashAmount: 1999).text == "0,1 %", "1 in 2000 rounds up to 0,1 %")
        #expect(StallNumberOrder.precedes("2", "10") && StallNumberOrder.precedes("P2", "P10") && StallNumberOrder.precedes("a3", "B1"))
        #expect(!StallNumberOrder.precedes("10", "10") && StallNumberOrder.precedes("9", "A") && StallNumberOrder.precedes("007", "8"))
        // Day arithmetic agrees with the Gregorian calendar over four centuries around today.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = Day(iso: "1900-01-01")!
        var date = calendar.date(from: DateComponents(year: 1900, month: 1, day: 1))!
        for step in [1, 1, 27, 365, 1461, 36524, 29, 400, 12345] + Array(repeating: 997, count: 140) {
            day = day.adding(days: step)
            date = calendar.date(byAdding: .day, value: step, to: date)!
            #expect(day == Day(date, in: calendar.timeZone), "after +\(step)")
        }
    }

    @Test func sheetsCarryTheOfficialHeadingAndQuoteWhatNeedsIt() throws {
        let day = try #require(Day(iso: "2024-01-05"))
        let report = MarketReport(
            from: day, to: day, stalls: [StallProfile(id: "a", number: "1", name: "Gạo \"ST25\", Cô Ba", hasBoard: true, boardHandedOver: false)],
            byStall: ["a": Self.figures(transfers: 1, 250_000)], byDay: [day: (Self.figures(transfers: 1, 250_000), 1)], lastTransferDays: ["a": day])
        let sheet = report.stallSheet(issuer: "Ban quản lý chợ Ngan Rô", place: "Trần Đề", issued: day)
        let csv = String(decoding: sheet.csv, as: UTF8.self)
        #expect(csv.hasPrefix("\u{FEFF}BAN QUẢN LÝ CHỢ NGAN RÔ\r\n\"Trần Đề, ngày 05 tháng 01 năm 2024\"\r\n"))
        #expect(csv.contains("Ngày 05/01/2024\r\n"))
        #expect(csv.contains(#"1,1,"Gạo ""ST25"", Cô Ba",,Có,Chưa,1,250000,0,0,0,0,"100,0 %",05/01/2024"#))
        #expect(sheet.boldRows == [2, ReportSheet.headerRow, sheet.rows.count - 1])
        #expect(CSVTable.parse(sheet.csv).first { $0.count > 2 && $0[1] == "1" }?[2] == "Gạo \"ST25\", Cô Ba", "our own reader reads it back")
    }
}
