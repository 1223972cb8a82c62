import Foundation

/// A billing month (`YYYY-MM`): fees are billed once per stall, fee line and period (issue 15).
public struct FeePeriod: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init?(year: Int, month: Int) {
        guard (2000...2200).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// `2026-12`; nothing else (no day, no spaces, no `2026-1`).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ $0.offset == 4 || (0x30...0x39).contains($0.element) }),
              let year = Int(text.prefix(4)), let month = Int(text.suffix(2)) else { return nil }
        self.init(year: year, month: month)
    }

    public init(containing day: Day) {
        year = day.year
        month = day.month
    }

    public var iso: String { String(format: "%04d-%02d", year, month) }
    public var description: String { iso }
    /// "12/2026", as the fee slips write it.
    public var vietnamese: String { String(format: "%02d/%04d", month, year) }

    public var firstDay: Day { Day(year: year, month: month, day: 1) }
    public var lastDay: Day { next.firstDay.adding(days: -1) }
    public var next: FeePeriod { month == 12 ? FeePeriod(year: year + 1, month: 1)! : FeePeriod(year: year, month: month + 1)! }
    public var previous: FeePeriod { month == 1 ? FeePeriod(year: year - 1, month: 12)! : FeePeriod(year: year, month: month - 1)! }

    public func contains(_ day: Day) -> Bool { day.year == year && day.month == month }

    /// Every period from `from` to `to`, both included (empty when `to` is earlier).
    public static func range(_ from: FeePeriod, _ to: FeePeriod) -> [FeePeriod] {
        var periods: [FeePeriod] = []
        var period = from
        while period <= to && periods.count < 1_200 {
            periods.append(period)
            period = period.next
        }
        return periods
    }

    public static func < (lhs: FeePeriod, rhs: FeePeriod) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let period = FeePeriod(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a period is YYYY-MM"))
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
