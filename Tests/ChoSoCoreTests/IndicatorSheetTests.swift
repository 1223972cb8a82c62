import ChoSoCore
import Testing

@Suite struct IndicatorPeriodTests {
    @Test func monthsQuartersAndYearsReadAndSpanTheirDays() {
        #expect(IndicatorPeriod("2026-10") == .month(year: 2026, month: 10))
        #expect(IndicatorPeriod("2024-02")?.lastDay == Day(year: 2024, month: 2, day: 29))
        #expect(IndicatorPeriod("2026-Q3").map { ($0.firstDay, $0.lastDay) } ?? (Day(year: 1, month: 1, day: 1), Day(year: 1, month: 1, day: 1))
                == (Day(year: 2026, month: 7, day: 1), Day(year: 2026, month: 9, day: 30)))
        #expect(IndicatorPeriod("2026")?.vietnamese == "Năm 2026" && IndicatorPeriod("2026-Q3")?.vietnamese == "Quý III/2026")
        for bad in ["", "2026-13", "2026-Q5", "2026-Q0", "26-10", "2026-1", "2026-10-01", "abcd", "2026-q1", "1999"] {
            #expect(IndicatorPeriod(bad) == nil, "\(bad)")
        }
        #expect(IndicatorPeriod("2026-11")?.asOf(today: Day(year: 2026, month: 11, day: 30)) == Day(year: 2026, month: 11, day: 30))
        #expect(IndicatorPeriod("2026-10")?.asOf(today: Day(year: 2026, month: 11, day: 30)) == Day(year: 2026, month: 10, day: 31))
    }
}

@Suite struct IndicatorSheetTests {
    @Test func theOfficialFormCarriesTheHeaderTheTableAndTheSignatures() {
        let smartphones = IndicatorDefinition.seeded.first { $0.code == "XH-01" }!
        let markets = IndicatorDefinition.seeded.first { $0.code == "KT-01" }!
        let lines = [
            IndicatorSheet.Line(definition: smartphones, result: IndicatorResult.evaluate(
                smartphones, counts: MeasureCounts(["households.smartphone": 888]), baseline: IndicatorBaseline(value: 1_200, source: "Chi cục Thống kê"), target: 8_000)),
            IndicatorSheet.Line(definition: markets, result: IndicatorResult.evaluate(markets, counts: MeasureCounts(["markets.cashless": 3]), baseline: nil, target: 4)),
        ]
        let sheet = IndicatorSheet.sheet(issuer: "UBND xã Trần Đề", unitName: "Xã Trần Đề", place: "Trần Đề", issued: Day(year: 2026, month: 11, day: 5),
                                         period: .month(year: 2026, month: 10), lines: lines)
        #expect(sheet.rows[0][4] == .text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") && sheet.rows[1][4] == .text("Độc lập - Tự do - Hạnh phúc"))
        #expect(sheet.rows[2][4] == .text("Trần Đề, ngày 05 tháng 11 năm 2026") && sheet.rows[0][0] == .text("UBND XÃ TRẦN ĐỀ"))
        let expectedHeader: [ReportSheet.Cell] = ["STT", "Tên chỉ tiêu", "ĐVT", "Chỉ tiêu", "Thực hiện", "Tỷ lệ (%)"].map { .text($0) }
        #expect(Array(sheet.rows[IndicatorSheet.headerRow].prefix(6)) == expectedHeader)
        let share = sheet.rows[IndicatorSheet.headerRow + 1]
        #expect(share[3] == .percent(numerator: 8_000, denominator: 10_000) && share[4] == .percent(numerator: 888, denominator: 1_200))
        #expect(share[5] == .percent(numerator: 8_880_000, denominator: 9_600_000) && share[6] == .text("888 / 1200 — Chi cục Thống kê"))
        let count = sheet.rows[IndicatorSheet.headerRow + 2]
        #expect(count[3] == .number(4) && count[4] == .number(3) && count[5] == .percent(numerator: 3, denominator: 4))
        #expect(sheet.rows.contains { $0.contains(.text("Người lập biểu")) && $0.contains(.text("CHỦ TỊCH")) })
        #expect(String(decoding: sheet.csv, as: UTF8.self).contains("74,0 %"))
    }
}

@Suite struct IndicatorSnapshotTests {
    @Test func aNewVersionNamesWhatChangedAndNothingElse() {
        let markets = IndicatorDefinition.seeded.first { $0.code == "KT-01" }!
        func result(_ n: Int64) -> IndicatorResult { IndicatorResult.evaluate(markets, counts: MeasureCounts(["markets.cashless": n]), baseline: nil, target: 4) }
        let first = IndicatorSnapshot(results: ["31673": ["KT-01": result(3)], "31675": ["KT-01": result(1)]])
        let second = IndicatorSnapshot(results: ["31673": ["KT-01": result(4)], "31675": ["KT-01": result(1)], "31679": ["KT-01": result(2)]])
        let changes = second.changes(since: first)
        #expect(changes.map(\.unitID) == ["31673", "31679"])
        #expect(changes[0].before?.numerator == 3 && changes[0].after?.numerator == 4 && changes[0].after?.gap == 0)
        #expect(changes[1].before == nil && changes[1].after?.numerator == 2)
        #expect(second.changes(since: second).isEmpty)
    }
}
