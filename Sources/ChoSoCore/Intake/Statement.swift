import Foundation
import VietQR

/// A bank statement export read into transfers: the table (from CSV or XLSX), the header row
/// found among the bank's title lines, columns recognised by their header names, and every row
/// checked — all problems reported at once, with their row numbers, in both languages.
public enum Statement {
    /// Which columns hold what, recognised by header names (compared without case or diacritics).
    public struct Layout: Sendable, Equatable {
        public var name: String
        var date: [String]
        var amount: [String] = []
        var credit: [String] = []
        var debit: [String] = []
        var description: [String]
        var reference: [String] = []
        var counterName: [String] = []

        /// ChoSo's own CSV: `time,amount,description,reference,counterAccountName`, amounts signed.
        public static let generic = Layout(
            name: "generic", date: ["time", "date", "thoi gian", "ngay"], amount: ["amount", "so tien"],
            description: ["description", "noi dung", "mo ta"], reference: ["reference", "ma giao dich", "so tham chieu"],
            counterName: ["counteraccountname", "ten doi ung", "nguoi chuyen"])
        /// Vietcombank's statement export (VCB Digibank "Sao kê tài khoản" to Excel/CSV): a title
        /// block, then `STT | Ngày giao dịch | Số tham chiếu | Số tiền ghi nợ | Số tiền ghi có | Số dư | Mô tả`.
        public static let vietcombank = Layout(
            name: "vcb", date: ["ngay giao dich"], credit: ["so tien ghi co", "ghi co"], debit: ["so tien ghi no", "ghi no"],
            description: ["mo ta", "noi dung chi tiet"], reference: ["so tham chieu"])
        /// MB Bank's export: `Ngày giao dịch | Mã giao dịch | Tên tài khoản đối ứng | Phát sinh có | Phát sinh nợ | Nội dung`.
        public static let mbBank = Layout(
            name: "mb", date: ["ngay giao dich", "thoi gian giao dich"], credit: ["phat sinh co", "so tien ghi co"],
            debit: ["phat sinh no", "so tien ghi no"], description: ["noi dung", "dien giai"],
            reference: ["ma giao dich", "so but toan"], counterName: ["ten tai khoan doi ung", "ten doi ung"])

        // The banks' layouts first: the generic names ("ngày", "số tiền") also begin their headers.
        public static let all = [vietcombank, mbBank, generic]

        public static func named(_ name: String) -> Layout? { all.first { $0.name == name } }
    }

    public struct Row: Sendable, Equatable {
        /// 1-based line of the file, as a spreadsheet shows it.
        public var line: Int
        public var time: Date
        /// True when the file gave a time of day, not only the date.
        public var hasTimeOfDay: Bool
        public var amount: Int64
        public var direction: IncomingTransfer.Direction
        public var description: String
        public var reference: String?
        public var counterName: String?

        public init(
            line: Int, time: Date, hasTimeOfDay: Bool, amount: Int64, direction: IncomingTransfer.Direction, description: String,
            reference: String?, counterName: String?
        ) {
            self.line = line
            self.time = time
            self.hasTimeOfDay = hasTimeOfDay
            self.amount = amount
            self.direction = direction
            self.description = description
            self.reference = reference
            self.counterName = counterName
        }
    }

    public struct RowError: Error, Sendable, Equatable {
        public var line: Int
        public var message: LocalizedText

        public init(line: Int, message: LocalizedText) {
            self.line = line
            self.message = message
        }
    }

    public enum Failure: Error, Sendable, Equatable {
        /// No header row with a date and an amount column: not a statement ChoSo can read.
        case noHeader(LocalizedText)
        case rows([RowError])
    }

    static func key(_ text: String) -> String {
        TextNormalization.asciiFolded(text).lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }

    /// Where the header row is looked for: within the first 30 rows, in their first 64 columns,
    /// among cells of at most 100 bytes. No bank's header is wider or longer, and a table of
    /// millions of cells (a 16 MB upload of commas) must not be folded cell by cell: that took
    /// 80 s.
    static let headerRows = 30, headerColumns = 64, headerNameBytes = 100

    /// A cell as an error message quotes it: at most 40 characters.
    static func quoted(_ text: String) -> String {
        let head = text.prefix(41)
        return head.count <= 40 ? text : head.prefix(40) + "…"
    }

    /// The rows of a statement table. `layout` nil tries every known layout on the header.
    public static func read(_ table: [[String]], layout chosen: Layout?, timeZone: TimeZone) -> Result<[Row], Failure> {
        var reader = Reader(layout: chosen, timeZone: timeZone)
        for cells in table { reader.add(cells) }
        return reader.result()
    }

    /// A statement read a row at a time, as the file gives them: only the rows read are kept,
    /// so a large sheet is never also a table in memory.
    public struct Reader {
        let chosen: Layout?
        let timeZone: TimeZone
        /// The header row's columns, once found.
        var columns: [String: Int]?
        /// Rows given so far.
        var count = 0
        var rows: [Row] = []
        var errors: [RowError] = []

        public init(layout: Layout?, timeZone: TimeZone) {
            chosen = layout
            self.timeZone = timeZone
        }

        public mutating func add(_ cells: [String]) {
            count += 1
            if let columns {
                read(cells, line: count, columns: columns)
            } else if count <= headerRows {
                // The header is the first row, within the first 30, where a layout finds its columns.
                let names = cells.prefix(headerColumns).map { $0.utf8.count > headerNameBytes ? "" : key($0) }
                columns = (chosen.map { [$0] } ?? Layout.all).lazy.compactMap { Statement.columns(of: $0, in: names) }.first
            }
        }

        public func result() -> Result<[Row], Failure> {
            guard columns != nil else {
                return .failure(.noHeader(LocalizedText(
                    vi: "Không tìm thấy dòng tiêu đề có cột ngày và cột số tiền (mẫu: \(chosen?.name ?? Layout.all.map(\.name).joined(separator: ", ")))",
                    en: "No header row with a date column and an amount column (layouts: \(chosen?.name ?? Layout.all.map(\.name).joined(separator: ", ")))")))
            }
            return errors.isEmpty ? .success(rows) : .failure(.rows(errors))
        }

        mutating func read(_ cells: [String], line: Int, columns: [String: Int]) {
            func cell(_ field: String) -> String {
                guard let index = columns[field], index < cells.count else { return "" }
                return TextNormalization.trimmed(cells[index])
            }
            // Blank lines and the bank's closing totals ("Tổng cộng") carry no date: skipped.
            let dateText = cell("date")
            if dateText.isEmpty { return }
            var problems: [LocalizedText] = []
            let parsed = parseTime(dateText, timeZone: timeZone)
            if parsed == nil {
                problems.append(LocalizedText(
                    vi: "ngày \"\(quoted(dateText))\" không đọc được (dd/MM/yyyy HH:mm:ss)", en: "date \"\(quoted(dateText))\" cannot be read (dd/MM/yyyy HH:mm:ss)"))
            }
            var signed: Int64?
            if columns["amount"] != nil {
                signed = parseAmount(cell("amount"))
                if signed == nil || signed == 0 {
                    problems.append(LocalizedText(vi: "số tiền \"\(quoted(cell("amount")))\" không hợp lệ", en: "amount \"\(quoted(cell("amount")))\" is not valid"))
                }
            } else {
                let creditText = cell("credit"), debitText = cell("debit")
                let credit = creditText.isEmpty ? 0 : parseAmount(creditText)
                let debit = debitText.isEmpty ? 0 : parseAmount(debitText)
                switch (credit, debit) {
                case (let credit?, 0) where credit > 0: signed = credit
                case (0, let debit?) where debit > 0: signed = -debit
                default:
                    problems.append(LocalizedText(
                        vi: "cần đúng một trong hai cột ghi có / ghi nợ (\"\(quoted(creditText))\" / \"\(quoted(debitText))\")",
                        en: "exactly one of credit / debit is needed (\"\(quoted(creditText))\" / \"\(quoted(debitText))\")"))
                }
            }
            guard problems.isEmpty, let (time, hasTimeOfDay) = parsed, let signed else {
                errors.append(RowError(line: line, message: LocalizedText(
                    vi: "Dòng \(line): " + problems.map(\.vi).joined(separator: "; "), en: "Line \(line): " + problems.map(\.en).joined(separator: "; "))))
                return
            }
            let reference = cell("reference")
            let counter = cell("counterName")
            rows.append(Row(
                line: line, time: time, hasTimeOfDay: hasTimeOfDay, amount: abs(signed),
                direction: signed > 0 ? .incoming : .outgoing, description: TextNormalization.clean(cell("description")),
                reference: reference.isEmpty ? nil : reference, counterName: counter.isEmpty ? nil : TextNormalization.clean(counter)))
        }
    }

    static func columns(of layout: Layout, in names: [String]) -> [String: Int]? {
        func find(_ synonyms: [String]) -> Int? {
            // An exact name first, then a header that starts with one (e.g. "Số tiền ghi có (VND)").
            names.firstIndex { synonyms.contains($0) } ?? names.firstIndex { name in synonyms.contains { name.hasPrefix($0 + " ") } }
        }
        var columns: [String: Int] = [:]
        guard let date = find(layout.date) else { return nil }
        columns["date"] = date
        if !layout.amount.isEmpty, let amount = find(layout.amount) {
            columns["amount"] = amount
        } else if let credit = find(layout.credit), let debit = find(layout.debit) {
            columns["credit"] = credit
            columns["debit"] = debit
        } else {
            return nil
        }
        columns["description"] = find(layout.description)
        columns["reference"] = find(layout.reference)
        columns["counterName"] = find(layout.counterName)
        return columns
    }

    /// `25/11/2026 10:15:00`, `25/11/2026`, `2026-11-25 10:15:00`, or an Excel serial day number.
    static func parseTime(_ text: String, timeZone: TimeZone) -> (Date, Bool)? {
        if let date = BankTime.parseLocal(text, timeZone: timeZone) {
            return (date, text.contains(":"))
        }
        // Spreadsheets keep dates as days since 1899-12-30, the time as the fraction.
        if let serial = Double(text), serial > 20_000, serial < 80_000 {
            let seconds = Int((serial * 86_400).rounded()) - 25_569 * 86_400
            let wall = Date(timeIntervalSince1970: TimeInterval(seconds))
            return (wall.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: wall))), serial != serial.rounded(.down))
        }
        return nil
    }

    /// Whole đồng, signed: `1.250.000`, `1,250,000`, `+1250000`, `-50.000`, `1.250.000,00`,
    /// `1,250,000.00`, `1250000 VND`. A fraction of a đồng is refused.
    public static func parseAmount(_ raw: String) -> Int64? {
        // Plain digits, as spreadsheets keep numbers: no separators to weigh.
        if !raw.isEmpty, raw.utf8.count <= 18, raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let value = Int64(raw), value <= VietQRBuilder.maxAmount else { return nil }
            return value
        }
        var text = raw.replacingOccurrences(of: "VND", with: "", options: .caseInsensitive)
            .filter { !$0.isWhitespace && $0 != "đ" && $0 != "₫" }
        var sign: Int64 = 1
        if text.hasPrefix("+") { text.removeFirst() } else if text.hasPrefix("-") { sign = -1; text.removeFirst() }
        if text.hasPrefix("("), text.hasSuffix(")") { sign = -1; text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }), text.first!.isNumber else { return nil }
        // The decimal separator, if any, is the last separator followed by other than three digits.
        var whole = text
        if let last = text.lastIndex(where: { $0 == "." || $0 == "," }) {
            let after = text[text.index(after: last)...]
            let separators = Set(text.filter { $0 == "." || $0 == "," })
            if after.count != 3 || separators.count == 2 && text[last] != text.first(where: { $0 == "." || $0 == "," }) {
                guard after.allSatisfy({ $0 == "0" }) else { return nil }
                whole = String(text[..<last])
            }
        }
        let groups = whole.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," })
        guard groups.dropFirst().allSatisfy({ $0.count == 3 }), let first = groups.first, !first.isEmpty, first.count <= 3 || groups.count == 1,
              Set(whole.filter { $0 == "." || $0 == "," }).count <= 1,
              let value = Int64(groups.joined()), value <= VietQRBuilder.maxAmount
        else { return nil }
        return sign * value
    }
}
