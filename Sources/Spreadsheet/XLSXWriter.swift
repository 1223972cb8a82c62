import CZlib
import Foundation

extension XLSX {
    /// A cell to write: text, or a typed value that spreadsheet programs compute with.
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A whole number (money in đồng, counts), shown with thousands grouped (`#,##0`).
        case number(Int64)
        /// numerator ÷ denominator as a percentage (`0.0%`); "—" as text when the denominator
        /// is not above 0. Both stay whole numbers: the ratio is only what the cell holds.
        case percent(numerator: Int64, denominator: Int64)
        /// A calendar day, as the day's serial number with a `dd/mm/yyyy` format.
        case date(year: Int, month: Int, day: Int)
        case empty
    }

    /// The styles of `styles.xml`'s cellXfs, each followed by its bold twin.
    enum Style: Int {
        case text = 0, number = 2, percent = 4, date = 6

        func index(bold: Bool) -> Int { rawValue + (bold ? 1 : 0) }
    }

    /// Days since 1899-12-30, the way spreadsheet programs number days (1900 date system):
    /// 2024-01-05 → 45296.
    public static func serialDay(year: Int, month: Int, day: Int) -> Int {
        // Days since 1970-01-01 (H. Hinnant's algorithm), then the 25 569 days from 1899-12-30.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468 + 25_569
    }

    /// A one-sheet workbook that spreadsheet programs open: text as inline strings (never a
    /// formula, whatever it starts with), numbers, percentages and days as typed cells with their
    /// number formats, the rows in `boldRows` bold. Stored (uncompressed) ZIP entries.
    public static func workbook(sheetName: String, rows: [[Cell]], boldRows: Set<Int> = []) -> [UInt8] {
        var sheet = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        sheet += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (rowIndex, row) in rows.enumerated() {
            sheet += #"<row r="\#(rowIndex + 1)">"#
            let bold = boldRows.contains(rowIndex)
            func style(_ style: Style) -> String {
                let index = style.index(bold: bold)
                return index == 0 ? "" : #" s="\#(index)""#
            }
            for (columnIndex, cell) in row.enumerated() {
                let reference = columnName(columnIndex) + String(rowIndex + 1)
                func text(_ text: String) -> String {
                    #"<c r="\#(reference)" t="inlineStr"\#(style(.text))><is><t xml:space="preserve">\#(escape(text))</t></is></c>"#
                }
                switch cell {
                case .text(let value):
                    sheet += text(value)
                case .number(let value):
                    sheet += #"<c r="\#(reference)"\#(style(.number))><v>\#(value)</v></c>"#
                case .percent(let numerator, let denominator):
                    guard denominator > 0 else { sheet += text("—"); continue }
                    sheet += #"<c r="\#(reference)"\#(style(.percent))><v>\#(Double(numerator) / Double(denominator))</v></c>"#
                case .date(let year, let month, let day):
                    sheet += #"<c r="\#(reference)"\#(style(.date))><v>\#(serialDay(year: year, month: month, day: day))</v></c>"#
                case .empty:
                    continue
                }
            }
            sheet += "</row>"
        }
        sheet += "</sheetData></worksheet>"
        let name = escape(String(sheetName.prefix(31)))
        let files: [(String, String)] = [
            ("[Content_Types].xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#),
            ("_rels/.rels", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="\#(name)" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#),
            ("xl/styles.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="0.0%"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="3" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/></cellXfs></styleSheet>"#),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        return ZipArchive.stored(files.map { ($0.0, Array($0.1.utf8)) })
    }

    /// `0` → `A`, `27` → `AB`.
    static func columnName(_ index: Int) -> String {
        var name = ""
        var value = index + 1
        while value > 0 {
            let remainder = (value - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            value = (value - 1) / 26
        }
        return name
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            // Control characters are not allowed in XML 1.0 (tab and line breaks are).
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": continue
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

extension ZipArchive {
    /// A ZIP archive of stored (uncompressed) entries with their CRC-32.
    static func stored(_ files: [(name: String, data: [UInt8])]) -> [UInt8] {
        var archive: [UInt8] = []
        var directory: [UInt8] = []
        func le16(_ value: Int, into bytes: inout [UInt8]) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func le32(_ value: Int, into bytes: inout [UInt8]) { le16(value & 0xFFFF, into: &bytes); le16(value >> 16 & 0xFFFF, into: &bytes) }
        for file in files {
            let name = Array(file.name.utf8)
            let crc = file.data.withUnsafeBufferPointer { Int(crc32(0, $0.baseAddress, UInt32($0.count))) }
            let offset = archive.count
            // 1980-01-01 00:00: a fixed time, so the same workbook is the same bytes.
            var header: [UInt8] = []
            le32(0x0403_4B50, into: &header); le16(20, into: &header); le16(0x0800, into: &header); le16(0, into: &header)
            le16(0, into: &header); le16(0x21, into: &header)
            le32(crc, into: &header); le32(file.data.count, into: &header); le32(file.data.count, into: &header)
            le16(name.count, into: &header); le16(0, into: &header)
            archive += header + name + file.data
            var entry: [UInt8] = []
            le32(0x0201_4B50, into: &entry); le16(20, into: &entry); le16(20, into: &entry); le16(0x0800, into: &entry); le16(0, into: &entry)
            le16(0, into: &entry); le16(0x21, into: &entry)
            le32(crc, into: &entry); le32(file.data.count, into: &entry); le32(file.data.count, into: &entry)
            le16(name.count, into: &entry); le16(0, into: &entry); le16(0, into: &entry); le16(0, into: &entry); le16(0, into: &entry)
            le32(0, into: &entry); le32(offset, into: &entry)
            directory += entry + name
        }
        let directoryOffset = archive.count
        archive += directory
        var end: [UInt8] = []
        le32(0x0605_4B50, into: &end); le16(0, into: &end); le16(0, into: &end)
        le16(files.count, into: &end); le16(files.count, into: &end)
        le32(directory.count, into: &end); le32(directoryOffset, into: &end); le16(0, into: &end)
        return archive + end
    }
}
