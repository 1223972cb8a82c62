import Foundation

/// A table for export in the official form: the issuer, the place and date line ("Trần Đề, ngày 05
/// tháng 01 năm 2024"), the title and period, then a bold header row, the rows and a total row.
/// Written as CSV here and as XLSX by the app, from the same cells.
public struct ReportSheet: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A whole number: money in đồng, a count.
        case number(Int64)
        /// A share, numerator ÷ denominator (transfers ÷ sales): both stay whole numbers, the
        /// ratio is computed only to show it. "—" when the denominator is not above 0.
        case percent(numerator: Int64, denominator: Int64)
        /// A calendar day.
        case date(Day)
        case empty
    }

    public var name: String
    public var rows: [[Cell]]
    /// Rows to set in bold: the title block's title, the header and the total.
    public var boldRows: Set<Int>

    public init(name: String, rows: [[Cell]], boldRows: Set<Int>) {
        self.name = name
        self.rows = rows
        self.boldRows = boldRows
    }

    /// UTF-8 with a byte-order mark (so that spreadsheet programs read the diacritics), comma
    /// separated, CRLF, fields quoted when they need it; numbers without grouping, a share as
    /// Vietnamese writes it ("69,1 %"), a day as dd/MM/yyyy. A text that a spreadsheet program
    /// would take for a formula is written so that none evaluates it.
    public var csv: [UInt8] {
        var text = "\u{FEFF}"
        for row in rows {
            text += row.map { cell -> String in
                switch cell {
                case .text(let value): Self.csvText(value)
                case .number(let value): String(value)
                case .percent(let numerator, let denominator): Self.quoted(Self.percentText(numerator: numerator, denominator: denominator))
                case .date(let day): day.vietnamese
                case .empty: ""
                }
            }.joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    /// OWASP's rule against CSV injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return is a formula to Excel, LibreOffice and Google Sheets (a stall named
    /// `=HYPERLINK("http://evil.example","x")` became a live link). Such a text gets a leading
    /// single quote, which shows it as text, and is quoted. Only texts: a negative number is
    /// written by `.number` and stays a number.
    static func csvText(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return quoted(value) }
        return "\"'" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// "69,1 %": tenths of a percent, rounded half up, as `CashlessShare.text`; "—" when the
    /// denominator is not above 0.
    public static func percentText(numerator: Int64, denominator: Int64) -> String {
        guard denominator > 0 else { return "—" }
        let permille = Int((Double(numerator) / Double(denominator) * 1000).rounded())
        let sign = permille < 0 ? "-" : ""
        return "\(sign)\(abs(permille) / 10),\(abs(permille) % 10) %"
    }

    /// Where the title block ends and the table's header row is.
    public static let headerRow = 5

    static func titleBlock(issuer: String, place: String, issued: Day, title: String, from: Day, to: Day) -> [[Cell]] {
        let period = from == to ? "Ngày \(from.vietnamese)" : "Từ ngày \(from.vietnamese) đến ngày \(to.vietnamese)"
        return [[.text(issuer.uppercased())], [.text(issued.officialHeading(place: place))], [.text(title)], [.text(period)], []]
    }
}

extension MarketReport {
    /// Each stall with its figures over the period, and the market's total.
    public func stallSheet(issuer: String, place: String, issued: Day) -> ReportSheet {
        var rows = ReportSheet.titleBlock(
            issuer: issuer, place: place, issued: issued, title: "BÁO CÁO THANH TOÁN KHÔNG DÙNG TIỀN MẶT THEO QUẦY", from: from, to: to)
        rows.append([
            "STT", "Số quầy", "Tên quầy", "Ngành hàng", "Có bảng QR", "Đã bàn giao bảng QR", "Số giao dịch chuyển khoản",
            "Tiền chuyển khoản (đồng)", "Số lần bán tiền mặt", "Tiền mặt (đồng)", "Số lần ghi nợ", "Khách nợ (đồng)",
            "Tỷ lệ không dùng tiền mặt", "Ngày nhận chuyển khoản gần nhất",
        ].map { .text($0) })
        for (index, line) in stalls.enumerated() {
            rows.append([
                .number(Int64(index + 1)), .text(line.profile.number), .text(line.profile.name), .text(line.profile.trade ?? ""),
                .text(line.profile.hasBoard ? "Có" : "Chưa"), .text(line.profile.boardHandedOver ? "Có" : "Chưa"),
            ] + Self.moneyCells(line.figures) + [line.share.cell, line.lastTransferDay.map { .date($0) } ?? .empty])
        }
        rows.append([.empty, .text("Tổng cộng"), .text("\(stallCount) quầy"), .empty, .number(Int64(withBoard)), .number(Int64(boardHandedOver))]
            + Self.moneyCells(totals) + [share.cell, .empty])
        return ReportSheet(name: "Theo quầy", rows: rows, boldRows: [2, ReportSheet.headerRow, rows.count - 1])
    }

    /// The period day by day, and its total.
    public func daySheet(issuer: String, place: String, issued: Day) -> ReportSheet {
        var rows = ReportSheet.titleBlock(
            issuer: issuer, place: place, issued: issued, title: "BÁO CÁO THANH TOÁN KHÔNG DÙNG TIỀN MẶT THEO NGÀY", from: from, to: to)
        rows.append([
            "STT", "Ngày", "Số quầy nhận chuyển khoản", "Số giao dịch chuyển khoản", "Tiền chuyển khoản (đồng)",
            "Số lần bán tiền mặt", "Tiền mặt (đồng)", "Số lần ghi nợ", "Khách nợ (đồng)", "Tỷ lệ không dùng tiền mặt",
        ].map { .text($0) })
        for (index, line) in days.enumerated() {
            rows.append([.number(Int64(index + 1)), .date(line.day), .number(Int64(line.stallsWithTransfers))]
                + Self.moneyCells(line.figures) + [line.share.cell])
        }
        rows.append([.empty, .text("Tổng cộng"), .number(Int64(stalls.filter { $0.figures.transferCount > 0 }.count))]
            + Self.moneyCells(totals) + [share.cell])
        return ReportSheet(name: "Theo ngày", rows: rows, boldRows: [2, ReportSheet.headerRow, rows.count - 1])
    }

    static func moneyCells(_ figures: RollupFigures) -> [ReportSheet.Cell] {
        [figures.transferCount, figures.transferAmount, figures.cashCount, figures.cashAmount, figures.debtCount, figures.debtAmount].map { .number($0) }
    }
}
