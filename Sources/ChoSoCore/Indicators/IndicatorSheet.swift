/// The commune's official report of its digital-transformation indicators: the national header,
/// the issuing body, "…, ngày … tháng … năm …", the title and period, the table
/// STT | Tên chỉ tiêu | ĐVT | Chỉ tiêu | Thực hiện | Tỷ lệ (%) | n / N, and the signature block.
/// Numbers stay numbers and shares percentages in the workbook; the CSV is made from the same cells.
public enum IndicatorSheet {
    public struct Line: Sendable, Hashable {
        public var definition: IndicatorDefinition
        public var result: IndicatorResult

        public init(definition: IndicatorDefinition, result: IndicatorResult) {
            self.definition = definition
            self.result = result
        }
    }

    /// Where the table's header row is.
    public static let headerRow = 6

    public static func sheet(issuer: String, unitName: String, place: String, issued: Day, period: IndicatorPeriod, lines: [Line]) -> ReportSheet {
        var rows: [[ReportSheet.Cell]] = [
            [.text(issuer.uppercased()), .empty, .empty, .empty, .text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
            [.empty, .empty, .empty, .empty, .text("Độc lập - Tự do - Hạnh phúc")],
            [.empty, .empty, .empty, .empty, .text(issued.officialHeading(place: place))],
            [.text("BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ")],
            [.text("\(unitName) — \(period.vietnamese)")],
            [],
            ["STT", "Tên chỉ tiêu", "ĐVT", "Chỉ tiêu", "Thực hiện", "Tỷ lệ (%)", "Số liệu (n / N) và nguồn"].map { .text($0) },
        ]
        for (index, line) in lines.enumerated() {
            rows.append([.number(Int64(index + 1)), .text(line.definition.name.vi), .text(unitLabel(line.definition.unit))]
                        + figures(line) + [.text(note(line))])
        }
        let signatureRow = rows.count + 1
        rows.append([])
        rows.append([.empty, .text("Người lập biểu"), .empty, .empty, .text("CHỦ TỊCH")])
        rows.append([.empty, .text("(Ký, ghi rõ họ tên)"), .empty, .empty, .text("(Ký tên, đóng dấu)")])
        return ReportSheet(name: "Chi tieu \(period)", rows: rows, boldRows: [0, 3, headerRow, signatureRow])
    }

    public static func unitLabel(_ unit: IndicatorUnit) -> String {
        switch unit {
        case .percent: "%"
        case .count: "Số lượng"
        case .dong: "Đồng"
        }
    }

    /// Chỉ tiêu, Thực hiện and Tỷ lệ (what was done against the target).
    static func figures(_ line: Line) -> [ReportSheet.Cell] {
        let result = line.result
        if line.definition.unit == .percent {
            let target: ReportSheet.Cell = result.targetHundredths.map { .percent(numerator: $0, denominator: 10_000) } ?? .empty
            guard let big = result.denominator, big > 0 else { return [target, .empty, .empty] }
            let done = ReportSheet.Cell.percent(numerator: result.numerator, denominator: big)
            // (n / N) ÷ target, kept as whole numbers.
            let ratio: ReportSheet.Cell = result.targetHundredths.map { $0 > 0 ? .percent(numerator: result.numerator * 10_000, denominator: big * $0) : .empty } ?? .empty
            return [target, done, ratio]
        }
        let target: ReportSheet.Cell = result.targetHundredths.map { .number($0) } ?? .empty
        let ratio: ReportSheet.Cell = result.targetHundredths.map { $0 > 0 ? .percent(numerator: result.numerator, denominator: $0) : .empty } ?? .empty
        return [target, .number(result.numerator), ratio]
    }

    /// "888 / 1200 — Chi cục Thống kê, 01/04/2025", so a share is never read without its N.
    static func note(_ line: Line) -> String {
        guard line.definition.unit == .percent else { return "" }
        guard let big = line.result.denominator else { return "\(line.result.numerator) / chưa có số chính thức" }
        let source = line.result.denominatorSource.map { $0.hasPrefix("measure:") ? (IndicatorMeasure(rawValue: String($0.dropFirst(8)))?.label.vi ?? $0) : $0 } ?? ""
        return "\(line.result.numerator) / \(big)" + (source.isEmpty ? "" : " — \(source)")
    }
}
