import ChoSoCore
import Foundation
@testable import Spreadsheet
import Testing

/// The XLSX reader is fed uploads: every input gives a table or a `ReadError`, never a trap, and
/// the work one file can cause is bounded.
@Suite struct XLSXReaderTests {
    /// A stored (uncompressed) workbook whose first sheet is `sheetData`, with shared strings.
    static func workbook(sheetData: String, sharedStrings: String? = nil) -> [UInt8] {
        let sheet = #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            + sheetData + "</sheetData></worksheet>"
        var files: [(name: String, data: [UInt8])] = [("xl/worksheets/sheet1.xml", Array(sheet.utf8))]
        if let sharedStrings {
            files.append(("xl/sharedStrings.xml", Array(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\#(sharedStrings)</sst>"#.utf8)))
        }
        return ZipArchive.stored(files)
    }

    static func fixture(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/statements/\(name)")
        return Array((try? Data(contentsOf: url)) ?? Data())
    }

    @Test func aColumnBeyondXFDIsRefusedNotATrap() throws {
        // 26^15 does not fit an Int: this reference used to overflow and stop the server.
        #expect(throws: XLSX.ReadError.corrupt("cell reference AAAAAAAAAAAAAAA1 is beyond column XFD")) {
            _ = try XLSX.firstSheet(Self.workbook(sheetData: #"<row r="1"><c r="AAAAAAAAAAAAAAA1"><v>1</v></c></row>"#))
        }
        // ZZZZZ is column 12 356 630: it used to pad the row to that many cells.
        #expect(throws: XLSX.ReadError.corrupt("cell reference ZZZZZ1 is beyond column XFD")) {
            _ = try XLSX.firstSheet(Self.workbook(sheetData: #"<row r="1"><c r="ZZZZZ1"><v>1</v></c></row>"#))
        }
        #expect(throws: XLSX.ReadError.corrupt("cell reference XFE1 is beyond column XFD")) {
            _ = try XLSX.firstSheet(Self.workbook(sheetData: #"<row r="1"><c r="XFE1"><v>1</v></c></row>"#))
        }
        #expect(throws: XLSX.ReadError.corrupt("cell reference 12 has no column")) {
            _ = try XLSX.firstSheet(Self.workbook(sheetData: #"<row r="1"><c r="12"><v>1</v></c></row>"#))
        }
        // The last column itself is read, padded; references in lower case too.
        let table = try XLSX.firstSheet(Self.workbook(sheetData: #"<row r="1"><c r="b1"><v>7</v></c><c r="XFD1"><v>9</v></c></row>"#))
        #expect(table.count == 1)
        #expect(table[0].count == 16_384)
        #expect(table[0][1] == "7")
        #expect(table[0][16_383] == "9")
        #expect(table[0].filter { !$0.isEmpty }.count == 2)
    }

    @Test func columnLetters() throws {
        #expect(try XLSX.column(of: "A1") == 0)
        #expect(try XLSX.column(of: "Z9") == 25)
        #expect(try XLSX.column(of: "AA10") == 26)
        #expect(try XLSX.column(of: "XFD1048576") == 16_383)
        #expect(throws: XLSX.ReadError.self) { try XLSX.column(of: "") }
        #expect(throws: XLSX.ReadError.self) { try XLSX.column(of: "ABCD1") }
    }

    @Test func paddingCountsAgainstTheCellBudget() {
        // 200 rows that each reach column XFD: 3.3 million cells, almost all padding.
        let rows = (1...200).map { #"<row r="\#($0)"><c r="XFD\#($0)"><v>1</v></c></row>"# }.joined()
        #expect(throws: XLSX.ReadError.tooLarge("more than 2000000 cells")) { _ = try XLSX.firstSheet(Self.workbook(sheetData: rows)) }
        // The same with a small budget, exactly at and just over it.
        let small = XLSX.Limits(cells: 10, rows: 100, sharedStrings: 100)
        let ten = #"<row><c r="J1"><v>1</v></c></row>"#
        #expect((try? XLSX.firstSheet(Self.workbook(sheetData: ten), limits: small))?.first?.count == 10)
        #expect(throws: XLSX.ReadError.tooLarge("more than 10 cells")) {
            _ = try XLSX.firstSheet(Self.workbook(sheetData: ten + #"<row><c><v>2</v></c></row>"#), limits: small)
        }
        // Cells written without a reference count one by one.
        let eleven = "<row>" + String(repeating: "<c><v>1</v></c>", count: 11) + "</row>"
        #expect(throws: XLSX.ReadError.tooLarge("more than 10 cells")) { _ = try XLSX.firstSheet(Self.workbook(sheetData: eleven), limits: small) }
    }

    @Test func cellsAfterAStrayRowEndDoNotCopyTheWideRowBeforeThem() throws {
        // Each `<c/></row>` used to copy the 16 384-cell row before it and keep the copy: 11 bytes
        // of input for 16 384 cells of output, far beyond the budget.
        let sheet = #"<row><c r="XFD1"/></row>"# + String(repeating: "<c/></row>", count: 1000)
        let limits = XLSX.Limits(cells: 20_000, rows: 2_000, sharedStrings: 10)
        let table = try XLSX.firstSheet(Self.workbook(sheetData: sheet), limits: limits)
        #expect(table.count == 1001)
        #expect(table[0].count == 16_384)
        #expect(table.dropFirst().allSatisfy { $0 == [""] })
    }

    @Test func rowsAndSharedStringsAreBounded() throws {
        let limits = XLSX.Limits(cells: 1000, rows: 3, sharedStrings: 2)
        #expect(try XLSX.firstSheet(Self.workbook(sheetData: "<row/><row></row><row/>"), limits: limits).count == 3)
        #expect(throws: XLSX.ReadError.tooLarge("more than 3 rows")) {
            _ = try XLSX.firstSheet(Self.workbook(sheetData: "<row/><row></row><row/><row/>"), limits: limits)
        }
        let strings = "<si><t>a</t></si><si><t>b</t></si>"
        let sheet = #"<row><c t="s"><v>1</v></c></row>"#
        #expect(try XLSX.firstSheet(Self.workbook(sheetData: sheet, sharedStrings: strings), limits: limits) == [["b"]])
        #expect(throws: XLSX.ReadError.tooLarge("more than 2 shared strings")) {
            _ = try XLSX.firstSheet(Self.workbook(sheetData: sheet, sharedStrings: strings + "<si><t>c</t></si>"), limits: limits)
        }
        // Excel's own row limit by default.
        #expect(XLSX.Limits.standard.rows == 1_048_576)
    }

    @Test func anEntryClaimingMoreThan64MBIsRefusedBeforeAnythingIsAllocated() {
        var bytes = Self.workbook(sheetData: "<row/>")
        // The central directory entry's uncompressed size (offset 24) set to 4 GB − 1.
        guard let directory = (0..<(bytes.count - 4)).last(where: { bytes[$0...].starts(with: [0x50, 0x4B, 0x01, 0x02]) }) else {
            Issue.record("no central directory")
            return
        }
        bytes.replaceSubrange((directory + 24)..<(directory + 28), with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: XLSX.ReadError.tooLarge("an entry of more than 64 MB")) { _ = try XLSX.firstSheet(bytes) }
    }

    @Test func offsetsPointingAnywhereAreRefused() {
        let good = Self.workbook(sheetData: #"<row><c><v>1</v></c></row>"#)
        guard let end = (0..<(good.count - 4)).last(where: { good[$0...].starts(with: [0x50, 0x4B, 0x05, 0x06]) }) else {
            Issue.record("no end record")
            return
        }
        for offset: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], [0xF0, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0]] {
            var bytes = good
            bytes.replaceSubrange((end + 16)..<(end + 20), with: offset)
            #expect(throws: XLSX.ReadError.self) { _ = try XLSX.firstSheet(bytes) }
        }
        // An entry count far beyond the entries there are.
        var bytes = good
        bytes.replaceSubrange((end + 10)..<(end + 12), with: [0xFF, 0xFF])
        #expect(throws: XLSX.ReadError.corrupt("central directory")) { _ = try XLSX.firstSheet(bytes) }
        // A local header offset beyond the file.
        var local = good
        if let directory = (0..<(local.count - 4)).first(where: { local[$0...].starts(with: [0x50, 0x4B, 0x01, 0x02]) }) {
            local.replaceSubrange((directory + 42)..<(directory + 46), with: [0xFF, 0xFF, 0xFF, 0xFF])
        }
        #expect(throws: XLSX.ReadError.corrupt("local header")) { _ = try XLSX.firstSheet(local) }
    }

    @Test func oddXMLIsReadOrRefusedNeverATrap() throws {
        let odd = [
            "<row><c", "<row><c r=", #"<row><c r=""#, #"<row><c r="A1"><v>&#xFFFFFFFF;&#99999999999;&#;&;&amp</v></c></row>"#,
            #"<row><c t="s"><v>-1</v></c></row>"#, #"<row><c t="s"><v>99999999999999999999</v></c></row>"#,
            "</c></row></row><row><c/>", "<<<<>>>>", "<row><c r=\u{0}A1\u{0}/></row>", #"<row><c r='B1'>x</c></row>"#,
        ]
        for sheet in odd {
            do { _ = try XLSX.firstSheet(Self.workbook(sheetData: sheet)) } catch {}
        }
        #expect(throws: XLSX.ReadError.corrupt("shared string -1")) {
            _ = try XLSX.firstSheet(Self.workbook(sheetData: #"<row><c t="s"><v>-1</v></c></row>"#))
        }
    }

    // MARK: Property: mutated workbooks and random bytes

    /// One random change: a byte set, bytes inserted or removed, a stretch repeated, or a piece
    /// of spreadsheet syntax dropped in.
    static func mutate(_ input: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = input
        let tokens = [
            #"<c r="XFD1"/>"#, #"<c r="AAAAAAAAAAAAAAA1"/>"#, #"r="ZZZZZ1""#, "<row/>", "<row>", "</row>", "<c>", "</c>", "<v>", "</v>",
            #"t="s""#, "<si><t>x</t></si>", "&#x10FFFF;", "&#xD800;", "&", "<", ">", "\"", "=", "\u{0}", "PK\u{1}\u{2}", "PK\u{5}\u{6}",
        ].map { Array($0.utf8) }
        let steps = 1 + random.next(below: 4)
        for _ in 0..<steps {
            let at = bytes.isEmpty ? 0 : random.next(below: bytes.count + 1)
            switch random.next(below: 6) {
            case 0 where at < bytes.count: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.insert(contentsOf: (0..<random.next(below: 8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
            case 2 where at < bytes.count: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.next(below: 16)))
            case 3 where at < bytes.count:
                let piece = bytes[at..<min(bytes.count, at + 1 + random.next(below: 64))]
                bytes.insert(contentsOf: Array(repeating: Array(piece), count: 1 + random.next(below: 8)).joined(), at: at)
            case 4: bytes.insert(contentsOf: tokens[random.next(below: tokens.count)], at: at)
            default: if at < bytes.count { bytes[at] ^= UInt8(1) << UInt8(random.next(below: 8)) }
            }
        }
        return bytes
    }

    enum Outcome { case read, refused, beyondLimits }

    /// Reads and checks that what comes back respects the limits.
    static func readChecked(_ bytes: [UInt8], limits: XLSX.Limits) -> Outcome {
        do {
            let table = try XLSX.firstSheet(bytes, limits: limits)
            return table.count <= limits.rows && table.reduce(0) { $0 + $1.count } <= limits.cells ? .read : .beyondLimits
        } catch {
            return .refused
        }
    }

    @Test func mutatedWorkbooksAreReadOrRefusedWithinTheLimits() {
        var random = SplitMix64(seed: 0x5EED_0001)
        let limits = XLSX.Limits(cells: 50_000, rows: 5_000, sharedStrings: 5_000)
        // The archive mutated as bytes: ZIP headers, offsets and deflate streams.
        let archives = [
            Self.fixture("vcb-statement.xlsx"),
            XLSX.workbook(sheetName: "Báo cáo", rows: [[.text("Quầy"), .number(42)], [.text("A&B"), .empty, .number(-5)]]),
        ]
        #expect(archives.allSatisfy { !$0.isEmpty })
        var failures: [String] = []
        var outcomes: [Outcome: Int] = [:]
        for round in 0..<1500 {
            let seed = archives[round % archives.count]
            let outcome = Self.readChecked(Self.mutate(seed, &random), limits: limits)
            outcomes[outcome, default: 0] += 1
            if outcome == .beyondLimits { failures.append("archive round \(round)") }
        }
        // The sheet and shared strings mutated as XML, then stored again: the scanner and the
        // cell placement see the damage.
        let sheet = Array(#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1"><v>12</v></c></row><row r="2"><c r="B2" t="inlineStr"><is><t>x &amp; y</t></is></c></row>"#.utf8)
        let strings = Array("<si><t>a</t></si><si><r><t>b</t></r><r><t>c</t></r></si>".utf8)
        for round in 0..<1500 {
            let mutatedSheet = Self.mutate(sheet, &random), mutatedStrings = Self.mutate(strings, &random)
            let bytes = Self.workbook(
                sheetData: String(decoding: mutatedSheet, as: UTF8.self), sharedStrings: String(decoding: mutatedStrings, as: UTF8.self))
            let outcome = Self.readChecked(bytes, limits: limits)
            outcomes[outcome, default: 0] += 1
            if outcome == .beyondLimits { failures.append("xml round \(round)") }
        }
        #expect(failures.isEmpty, "results beyond the limits: \(failures.prefix(5))")
        // Both ways out are exercised: the mutations reach the table, not only the ZIP checks.
        #expect(outcomes[.read, default: 0] > 500, "\(outcomes)")
        #expect(outcomes[.refused, default: 0] > 500, "\(outcomes)")
    }

    @Test func randomBytesAreRefused() {
        var random = SplitMix64(seed: 0x5EED_0002)
        for round in 0..<2000 {
            var bytes = (0..<random.next(below: 600)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            // Half of them look like a ZIP from the first two bytes, some end in an end record.
            if round % 2 == 0 { bytes = [0x50, 0x4B] + bytes }
            if round % 5 == 0 { bytes += [0x50, 0x4B, 5, 6] + (0..<18).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
            #expect(Self.readChecked(bytes, limits: .standard) != .beyondLimits)
        }
    }
}
