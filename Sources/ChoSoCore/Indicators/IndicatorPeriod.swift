/// A reporting period: a month ("2026-10"), a quarter ("2026-Q3") or a year ("2026").
public enum IndicatorPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    case month(year: Int, month: Int)
    case quarter(year: Int, quarter: Int)
    case year(Int)

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, first.count == 4, let year = Int(first), (2000...2100).contains(year) else { return nil }
        switch parts.count {
        case 1: self = .year(year)
        case 2 where parts[1].count == 2 && parts[1].first == "Q":
            guard let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter) else { return nil }
            self = .quarter(year: year, quarter: quarter)
        case 2 where parts[1].count == 2:
            guard let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            self = .month(year: year, month: month)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .month(let year, let month): String(format: "%04d-%02d", year, month)
        case .quarter(let year, let quarter): "\(year)-Q\(quarter)"
        case .year(let year): String(year)
        }
    }

    public var firstDay: Day {
        switch self {
        case .month(let year, let month): Day(year: year, month: month, day: 1)
        case .quarter(let year, let quarter): Day(year: year, month: quarter * 3 - 2, day: 1)
        case .year(let year): Day(year: year, month: 1, day: 1)
        }
    }

    public var lastDay: Day {
        switch self {
        case .month(let year, let month): Day(year: year, month: month, day: Self.days(in: month, of: year))
        case .quarter(let year, let quarter): Day(year: year, month: quarter * 3, day: Self.days(in: quarter * 3, of: year))
        case .year(let year): Day(year: year, month: 12, day: 31)
        }
    }

    /// "Tháng 10/2026", "Quý III/2026", "Năm 2026".
    public var vietnamese: String {
        switch self {
        case .month(let year, let month): String(format: "Tháng %02d/%04d", month, year)
        case .quarter(let year, let quarter): "Quý \(["I", "II", "III", "IV"][quarter - 1])/\(year)"
        case .year(let year): "Năm \(year)"
        }
    }

    /// The day a period's figures are taken as of: its last day, or `today` while it runs.
    public func asOf(today: Day) -> Day { min(lastDay, today) }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
