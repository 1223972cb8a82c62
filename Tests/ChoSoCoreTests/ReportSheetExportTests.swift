import ChoSoCore
import Foundation
import Spreadsheet
import Testing

/// The report exports: CSV cells no spreadsheet program evaluates, and XLSX cells typed as
/// numbers, percentages and days with their number formats.
@Suite struct ReportSheetExportTests {
    static let evil = #"=HYPERLINK("http://evil.example","x")"#

    static func report(stallName: String, day: Day) -> MarketReport {
        var figures = RollupFigures()
        figures.transferCount = 3
        figures.transferAmount = 345_200
        figures.cashCount = 1
        figures.cashAmount = 154_600
        return MarketReport(
            from: day, to: day, stalls: [StallProfile(id: "a", number: "1", name: stallName, hasBoard: true, boardHandedOver: false)],
            byStall: ["a": figures], byDay: [day: (figures, 1)], lastTransferDays: ["a": day])
    }

    @Test func aStallNamedLikeAFormulaIsWrittenAsText() throws {
        let day = try #require(Day(iso: "2024-01-05"))
        let sheet = Self.report(stallName: Self.evil, day: day).stallSheet(issuer: "Ban quản lý chợ Ngan Rô", place: "Trần Đề", issued: day)
        let csv = String(decoding: sheet.csv, as: UTF8.self)
        #expect(csv.contains(#",1,"'=HYPERLINK(""http://evil.example"",""x"")","#), "quoted, with the leading single quote")
        #expect(!csv.contains(#",=HYPERLINK"#) && !csv.contains(#","=HYPERLINK"#))
        // Read back, the cell is the name behind the quote that keeps it text.
        let row = try #require(CSVTable.parse(sheet.csv).first { $0.count > 2 && $0[1] == "1" })
        #expect(row[2] == "'" + Self.evil)
    }

    @Test(arguments: [
        ("=1+1", #""'=1+1""#), ("+84912345678", #""'+84912345678""#), ("-50.000 đ", #""'-50.000 đ""#), ("@SUM(A1)", #""'@SUM(A1)""#),
        ("\tx", "\"'\tx\""), ("\rx", "\"'\rx\""), ("=a\"b", #""'=a""b""#),
        // Not at the start, or not one of the six: as before.
        ("a=1", "a=1"), ("Cô Ba", "Cô Ba"), ("—", "—"), (" =1", " =1"), ("a,b", #""a,b""#), ("'=1", "'=1"),
    ])
    func formulaStartsAreEscaped(text: String, written: String) {
        let csv = String(decoding: ReportSheet(name: "t", rows: [[.text(text)]], boldRows: []).csv, as: UTF8.self)
        #expect(csv == "\u{FEFF}" + written + "\r\n")
    }

    @Test func negativeNumbersStayNumbers() {
        let sheet = ReportSheet(name: "t", rows: [[.number(-50_000), .number(1_250_000), .empty, .text("-")]], boldRows: [])
        #expect(String(decoding: sheet.csv, as: UTF8.self) == "\u{FEFF}-50000,1250000,,\"'-\"\r\n")
    }

    /// LibreOffice, when installed, opens the CSV without evaluating the formula-like name (it
    /// made a live HYPERLINK of it before).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice")))
    func libreOfficeMakesNoFormulaOfTheName() throws {
        let day = try #require(Day(iso: "2024-01-05"))
        let sheet = Self.report(stallName: Self.evil, day: day).stallSheet(issuer: "Ban quản lý", place: "Trần Đề", issued: day)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choso-lo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(sheet.csv).write(to: folder.appendingPathComponent("c.csv"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/soffice")
        process.arguments = ["-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--convert-to", "xlsx", "--outdir", folder.path + "/out", folder.path + "/c.csv"]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        let converted = Array(try Data(contentsOf: folder.appendingPathComponent("out/c.xlsx")))
        #expect(try XLSX.firstSheet(converted).contains { $0.count > 2 && $0[2].contains("HYPERLINK") }, "the name is there as text")
        let sheetXML = try Self.unzip(converted, entry: "xl/worksheets/sheet1.xml")
        #expect(!sheetXML.contains("<f>") && !sheetXML.contains("<f "), "LibreOffice made no formula of it")
    }

    @Test func typedCellsKeepTheirTextInTheCSV() throws {
        let day = try #require(Day(iso: "2024-01-05"))
        let sheet = ReportSheet(name: "t", rows: [[
            .number(-50_000), .number(1_250_000), .percent(numerator: 345_200, denominator: 499_800), .percent(numerator: 1, denominator: 0),
            .date(day), .empty, .text("-"),
        ]], boldRows: [])
        #expect(String(decoding: sheet.csv, as: UTF8.self) == "\u{FEFF}-50000,1250000,\"69,1 %\",—,05/01/2024,,\"'-\"\r\n")
    }

    @Test func theReportsShareAndDaysAreTyped() throws {
        let day = try #require(Day(iso: "2024-01-05"))
        let report = Self.report(stallName: "Cô Ba", day: day)
        let stalls = report.stallSheet(issuer: "X", place: "Trần Đề", issued: day)
        let line = try #require(stalls.rows.first { $0.count > 2 && $0[1] == .text("1") })
        #expect(line[12] == .percent(numerator: 345_200, denominator: 499_800))
        #expect(line[13] == .date(day))
        #expect(stalls.rows.last?[12] == report.share.cell)
        let days = report.daySheet(issuer: "X", place: "Trần Đề", issued: day)
        #expect(days.rows[ReportSheet.headerRow + 1][1] == .date(day))
        #expect(days.rows[ReportSheet.headerRow + 1][9] == .percent(numerator: 345_200, denominator: 499_800))
        // The CSV says what it said before the cells were typed.
        let csv = String(decoding: stalls.csv, as: UTF8.self)
        #expect(csv.contains(#"1,1,Cô Ba,,Có,Chưa,3,345200,1,154600,0,0,"69,1 %",05/01/2024"#))
    }

    @Test func theShareTextIsTheSameWhereverItIsWritten() {
        var random = SplitMix64(seed: 0x5AE_0001)
        for _ in 0..<5000 {
            let transfers = Int64(random.next() % 10_000_000_000_000), cash = Int64(random.next() % 10_000_000_000_000)
            let share = CashlessShare(transferAmount: random.next(below: 10) == 0 ? 0 : transfers, cashAmount: random.next(below: 10) == 0 ? 0 : cash)
            guard case .percent(let numerator, let denominator) = share.cell else { Issue.record("not a percentage"); return }
            #expect(ReportSheet.percentText(numerator: numerator, denominator: denominator) == share.text)
        }
        #expect(CashlessShare(transferAmount: .max, cashAmount: .max).cell == .percent(numerator: .max, denominator: .max), "no overflow")
    }

    // MARK: XLSX

    static func xlsx(_ rows: [[XLSX.Cell]], bold: Set<Int> = []) -> [UInt8] { XLSX.workbook(sheetName: "Báo cáo", rows: rows, boldRows: bold) }

    @Test func serialDays() {
        #expect(XLSX.serialDay(year: 1899, month: 12, day: 30) == 0)
        #expect(XLSX.serialDay(year: 1900, month: 3, day: 1) == 61)
        #expect(XLSX.serialDay(year: 1970, month: 1, day: 1) == 25_569)
        #expect(XLSX.serialDay(year: 2024, month: 1, day: 5) == 45_296)
        #expect(XLSX.serialDay(year: 2026, month: 11, day: 25) == 46_351)
    }

    @Test func typedCellsCarryTheirNumberFormats() throws {
        let bytes = Self.xlsx([
            [.text("Quầy"), .text("Tiền"), .text("Tỷ lệ"), .text("Ngày")],
            [.text("Cô Ba"), .number(1_250_000), .percent(numerator: 345_200, denominator: 499_800), .date(year: 2024, month: 1, day: 5)],
            [.text("Tổng"), .number(-50_000), .percent(numerator: 0, denominator: 0), .empty],
        ], bold: [2])
        let sheet = try Self.unzip(bytes, entry: "xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<c r="B2" s="2"><v>1250000</v></c>"#))
        #expect(sheet.contains(#"<c r="C2" s="4"><v>0.6906762705082032</v></c>"#))
        #expect(sheet.contains(#"<c r="D2" s="6"><v>45296</v></c>"#))
        #expect(sheet.contains(#"<c r="B3" s="3"><v>-50000</v></c>"#), "bold and a number")
        #expect(sheet.contains(#"<c r="C3" t="inlineStr" s="1"><is><t xml:space="preserve">—</t></is></c>"#), "no sales: a dash")
        #expect(sheet.contains(#"<c r="A1" t="inlineStr"><is>"#), "plain text has the default style")
        let styles = try Self.unzip(bytes, entry: "xl/styles.xml")
        #expect(styles.contains(#"<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>"#))
        #expect(styles.contains(#"<numFmt numFmtId="165" formatCode="0.0%"/>"#))
        #expect(styles.contains(#"<cellXfs count="8">"#))
        // Read back by ChoSo's own reader: the values as stored.
        #expect(try XLSX.firstSheet(bytes)[1] == ["Cô Ba", "1250000", "0.6906762705082032", "45296"])
    }

    /// LibreOffice, when installed, opens the workbook and shows the cells with their formats.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice")))
    func libreOfficeShowsTheFormats() throws {
        let day = try #require(Day(iso: "2024-01-05"))
        let report = Self.report(stallName: Self.evil, day: day)
        let sheet = report.stallSheet(issuer: "Ban quản lý", place: "Trần Đề", issued: day)
        let rows = sheet.rows.map { row in
            row.map { cell -> XLSX.Cell in
                switch cell {
                case .text(let text): .text(text)
                case .number(let value): .number(value)
                case .percent(let numerator, let denominator): .percent(numerator: numerator, denominator: denominator)
                case .date(let day): .date(year: day.year, month: day.month, day: day.day)
                case .empty: .empty
                }
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choso-lo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(XLSX.workbook(sheetName: sheet.name, rows: rows, boldRows: sheet.boldRows)).write(to: folder.appendingPathComponent("r.xlsx"))
        func convert(_ file: String, to target: String) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/soffice")
            process.arguments = ["-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--convert-to", target, "--outdir", folder.path + "/out", folder.path + "/" + file]
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            process.waitUntilExit()
        }
        // The XLSX as LibreOffice shows it (formatted text, UTF-8, comma separated).
        try convert("r.xlsx", to: "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true")
        let shown = CSVTable.parse(Array(try Data(contentsOf: folder.appendingPathComponent("out/r.csv"))))
        let line = try #require(shown.first { $0.count > 13 && $0[1] == "1" })
        #expect(line[7] == "345,200" || line[7] == "345.200", "money grouped by thousands: \(line[7])")
        #expect(line[12] == "69.1%" || line[12] == "69,1%", "a percentage with one decimal: \(line[12])")
        #expect(line[13] == "05/01/2024", "the day as dd/mm/yyyy: \(line[13])")
        #expect(line[2] == Self.evil, "a text cell, never a formula")
    }

    /// An entry of a (deflated) ZIP, by Python's zipfile.
    static func unzip(_ bytes: [UInt8], entry: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("choso-\(UUID().uuidString).zip")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())", file.path, entry]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
