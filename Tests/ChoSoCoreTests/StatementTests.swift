import ChoSoCore
import Foundation
import Spreadsheet
import Testing

/// Statement files read into transfers: the Vietcombank-style XLSX and the MB-style CSV made by
/// `Fixtures/statements/make_statements.py`, amounts as people write them, and row errors.
@Suite struct StatementTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    static func fixture(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/statements/\(name)")
        return Array((try? Data(contentsOf: url)) ?? Data())
    }

    static func time(_ text: String) -> Date { BankTime.parseLocal(text, timeZone: vietnam)! }

    @Test func aVietcombankWorkbookIsRead() throws {
        let table = try XLSX.firstSheet(Self.fixture("vcb-statement.xlsx"))
        #expect(table[0] == ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"], "a rich-text shared string is whole again")
        #expect(table[4][6] == "Mô tả")
        let rows = try Statement.read(table, layout: nil, timeZone: Self.vietnam).get()
        #expect(rows.count == 3, "the title block, the empty row and the totals line are not transfers")
        #expect(rows[0] == Statement.Row(
            line: 6, time: Self.time("25/11/2026 08:15:02"), hasTimeOfDay: true, amount: 200_000, direction: .incoming,
            description: "MBVCB.5473187212.CS7K2M9Q4.CT tu 1023456789 NGUYEN VAN A", reference: "5473187212", counterName: nil))
        #expect(rows[1].time == Self.time("25/11/2026 12:00:00"), "an Excel serial date")
        #expect(rows[1].amount == 35_000)
        #expect(rows[1].description == "Trả tiền cá & rau")
        #expect(rows[2].direction == .outgoing)
        #expect(rows[2].amount == 50_000)
    }

    @Test func anMBBankCSVIsRead() throws {
        let table = CSVTable.parse(Self.fixture("mb-statement.csv"))
        let rows = try Statement.read(table, layout: Statement.Layout.named("mb"), timeZone: Self.vietnam).get()
        #expect(rows.map(\.amount) == [75_000, 1_250_000, 200_000])
        #expect(rows.map(\.direction) == [.incoming, .incoming, .outgoing])
        #expect(rows[1].description == "Tra tien gao ST25; lan 2", "a line break inside quotes, cleaned")
        #expect(rows[2].description == #"Chuyen tien "nha""#)
        #expect(rows[0].counterName == "NGUYEN VAN A")
        #expect(rows.map(\.reference) == ["FT001", "FT002", "FT003"])
        // The Vietcombank layout does not fit an MB file.
        guard case .failure(.noHeader) = Statement.read(table, layout: Statement.Layout.named("vcb"), timeZone: Self.vietnam) else {
            Issue.record("the VCB layout should find no header")
            return
        }
    }

    @Test(arguments: [
        ("1.250.000", 1_250_000 as Int64?), ("1,250,000", 1_250_000), ("+1250000", 1_250_000), ("-50.000", -50_000),
        ("1.250.000,00", 1_250_000), ("1,250,000.00", 1_250_000), ("1250000 VND", 1_250_000), ("200.000 đ", 200_000),
        ("(50,000)", -50_000), ("500", 500), ("1.000.000.000", 1_000_000_000),
        ("9.999.999.999.999", 9_999_999_999_999), ("10.000.000.000.000", nil), ("99999999999999999999", nil),
        ("1.250.000,50", nil), ("12.50", nil), ("1.25.000", nil), ("abc", nil), ("", nil), ("1.250,000.00", nil), ("--5", nil),
    ])
    func amountsAreReadAsPeopleWriteThem(text: String, expected: Int64?) {
        #expect(Statement.parseAmount(text) == expected)
    }

    @Test func everyBadRowIsReportedWithItsLine() {
        let csv = """
        time,amount,description,reference
        25/11/2026 10:00:00,200.000,ok,R1
        31/02/2026 10:00:00,200.000,bad date,R2
        25/11/2026 10:00:00,hai tram,bad amount,R3
        25/11/2026,0,zero,R4
        """
        guard case .failure(.rows(let errors)) = Statement.read(CSVTable.parse(Array(csv.utf8)), layout: nil, timeZone: Self.vietnam) else {
            Issue.record("bad rows must fail the whole file")
            return
        }
        #expect(errors.map(\.line) == [3, 4, 5])
        #expect(errors[0].message.vi.contains("Dòng 3"))
        #expect(errors[0].message.vi.contains("31/02/2026"))
        #expect(errors[1].message.en.contains("hai tram"))
    }

    @Test func anUploadOfMillionsOfCellsIsRefusedBeforeItIsAllRead() throws {
        // A 16 MB upload of commas was 16 million cells and 550 MB.
        #expect(throws: CSVTable.ReadError.tooLarge("more than 2000000 cells")) {
            _ = try CSVTable.read([UInt8](repeating: UInt8(ascii: ","), count: 2_000_000))
        }
        #expect(try CSVTable.read([UInt8](repeating: UInt8(ascii: ","), count: 1_999_999)).first?.count == 2_000_000)
        let small = Array("a,b\nc,d\n".utf8)
        #expect(try CSVTable.read(small, maxCells: 4) == [["a", "b"], ["c", "d"]])
        #expect(throws: CSVTable.ReadError.tooLarge("more than 3 cells")) { _ = try CSVTable.read(small, maxCells: 3) }
        #expect(throws: CSVTable.ReadError.tooLarge("more than 1 cells")) { _ = try CSVTable.read(Array("a,b,c".utf8), maxCells: 1) }
        // Blank lines make no rows and count no cells.
        #expect(try CSVTable.read([UInt8](repeating: 0x0A, count: 1_000_000) + small, maxCells: 4) == [["a", "b"], ["c", "d"]])
        #expect(CSVTable.parse(Array("\r\n\n\"\"\n,\n".utf8)) == [["", ""]])
    }

    @Test func theHeaderIsLookedForAmongShortCellsOfTheFirst64Columns() throws {
        let pad = [String](repeating: "", count: 62)
        let near = try Statement.read([pad + ["time", "amount"], pad + ["25/11/2026", "5.000"]], layout: nil, timeZone: Self.vietnam).get()
        #expect(near.map(\.amount) == [5_000])
        guard case .failure(.noHeader) = Statement.read([pad + ["", "time", "amount"]], layout: nil, timeZone: Self.vietnam) else {
            Issue.record("a header beyond column 64 is not looked for")
            return
        }
        // A cell of a megabyte is no column name: not folded, not matched.
        guard case .failure(.noHeader) = Statement.read(
            [[String(repeating: "time ", count: 200_000), "amount"]], layout: nil, timeZone: Self.vietnam) else {
            Issue.record("a long cell is no header")
            return
        }
    }

    @Test func errorsQuoteAtMost40CharactersOfACell() {
        let long = String(repeating: "9x", count: 100_000)
        guard case .failure(.rows(let errors)) = Statement.read(
            [["time", "amount"], [long, long]], layout: nil, timeZone: Self.vietnam) else {
            Issue.record("the row must be refused")
            return
        }
        #expect(errors.count == 1)
        #expect(errors[0].message.vi.count < 200)
        #expect(errors[0].message.en.contains("\"" + String(repeating: "9x", count: 20) + "…\""))
    }

    @Test func notASpreadsheetIsSaidSo() {
        #expect(throws: XLSX.ReadError.notAZip) { try XLSX.firstSheet(Array("time,amount\n".utf8)) }
        var broken = Self.fixture("vcb-statement.xlsx")
        broken[broken.count / 2] ^= 0xFF
        #expect(throws: XLSX.ReadError.self) { try XLSX.firstSheet(broken) }
    }
}

@Suite struct ReconciliationTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    static func at(_ text: String) -> Date { BankTime.parseLocal(text, timeZone: vietnam)! }
    static func row(_ line: Int, _ time: String, _ amount: Int64, _ reference: String?, out: Bool = false) -> Statement.Row {
        Statement.Row(line: line, time: at(time), hasTimeOfDay: time.contains(":"), amount: amount, direction: out ? .outgoing : .incoming,
                      description: "", reference: reference, counterName: nil)
    }

    @Test func rowsAreKnownNewOrConflicting() {
        let known = [
            Reconciliation.Known(id: "w1", amount: 200_000, direction: .incoming, time: Self.at("25/11/2026 08:15:00"), reference: "MBVCB.5473187212"),
            Reconciliation.Known(id: "w2", amount: 35_000, direction: .incoming, time: Self.at("25/11/2026 12:01:00"), reference: nil),
            Reconciliation.Known(id: "w3", amount: 35_000, direction: .incoming, time: Self.at("25/11/2026 12:30:00"), reference: nil),
            Reconciliation.Known(id: "w4", amount: 90_000, direction: .incoming, time: Self.at("25/11/2026 15:00:00"), reference: "FT777"),
            Reconciliation.Known(id: "w5", amount: 60_000, direction: .incoming, time: Self.at("25/11/2026 16:00:00"), reference: nil),
            // Short references that share their letters must not be taken for one another.
            Reconciliation.Known(id: "w6", amount: 1_000, direction: .incoming, time: Self.at("25/11/2026 17:00:00"), reference: "FTwh-1"),
            Reconciliation.Known(id: "w7", amount: 2_000, direction: .incoming, time: Self.at("25/11/2026 17:00:00"), reference: "FTwh-2"),
        ]
        let rows = [
            Self.row(6, "25/11/2026 08:15:02", 200_000, "5473187212"),      // same reference, decorated differently
            Self.row(7, "25/11/2026 12:00:00", 35_000, nil),                // closest of two same amounts
            Self.row(8, "25/11/2026 12:29:00", 35_000, nil),                // the other one
            Self.row(9, "25/11/2026 12:31:00", 35_000, nil),                // a third: both are taken → new
            Self.row(10, "25/11/2026 15:00:00", 95_000, "FT777"),           // same reference, other amount
            Self.row(11, "25/11/2026 09:00:00", 60_000, nil),               // 7 hours away: a different transfer
            Self.row(12, "25/11/2026", 60_000, nil),                        // only the date: same day is enough
            Self.row(13, "25/11/2026 08:15:00", 200_000, nil, out: true),   // money out is not money in
            Self.row(14, "25/11/2026 17:00:00", 2_000, "FTwh-2"),
            Self.row(15, "25/11/2026 17:00:00", 1_000, "FTWH1"),
        ]
        let verdicts = Reconciliation.reconcile(rows, against: known, timeZone: Self.vietnam)
        #expect(verdicts[0] == Reconciliation.Verdict.known(id: "w1"))
        #expect(verdicts[1] == Reconciliation.Verdict.known(id: "w2"))
        #expect(verdicts[2] == Reconciliation.Verdict.known(id: "w3"))
        #expect(verdicts[3] == Reconciliation.Verdict.new)
        guard case .conflicting(let id, let reason) = verdicts[4] else { Issue.record("expected a conflict"); return }
        #expect(id == "w4")
        #expect(reason.vi.contains("95.000 đ") && reason.vi.contains("90.000 đ"))
        #expect(verdicts[5] == Reconciliation.Verdict.new)
        #expect(verdicts[6] == Reconciliation.Verdict.known(id: "w5"))
        #expect(verdicts[7] == Reconciliation.Verdict.new)
        #expect(verdicts[8] == Reconciliation.Verdict.known(id: "w7"))
        #expect(verdicts[9] == Reconciliation.Verdict.known(id: "w6"))
    }
}

@Suite struct XLSXWriterTests {
    @Test func aWrittenWorkbookReadsBackAndPythonOpensIt() throws {
        let rows: [[XLSX.Cell]] = [
            [.text("Chợ Ngan Rô, ngày 05 tháng 01 năm 2024")],
            [.text("Quầy"), .text("Số giao dịch"), .text("Tiền chuyển khoản (đồng)")],
            [.text("12 — Trái cây Cô Ba"), .number(42), .number(8_350_000)],
            [.text("A&B <rau> \"sạch\""), .empty, .number(-50_000)],
        ]
        let bytes = XLSX.workbook(sheetName: "Báo cáo", rows: rows, boldRows: [1])
        let table = try XLSX.firstSheet(bytes)
        #expect(table == [
            ["Chợ Ngan Rô, ngày 05 tháng 01 năm 2024"], ["Quầy", "Số giao dịch", "Tiền chuyển khoản (đồng)"],
            ["12 — Trái cây Cô Ba", "42", "8350000"], ["A&B <rau> \"sạch\"", "", "-50000"],
        ])
        #expect(XLSX.workbook(sheetName: "Báo cáo", rows: rows) == XLSX.workbook(sheetName: "Báo cáo", rows: rows), "same input, same bytes")
        // An independent reader: Python's zipfile checks every entry's CRC.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("choso-\(UUID().uuidString).xlsx")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "6\n")
    }
}
