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
