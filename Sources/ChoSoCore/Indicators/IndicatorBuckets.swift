/// How the live aggregates file a day's change: under its year, its month and the day itself, so
/// that a sum over any range of days reads whole years, then whole months, then single days.
public enum IndicatorGrain: Int, Sendable, Hashable, CaseIterable, Codable {
    case year = 0, month = 1, day = 2

    public func bucket(_ day: Day) -> String {
        // Written by hand: String(format:) was a tenth of rebuilding a province's aggregates.
        switch self {
        case .year: Self.digits(day.year, 4)
        case .month: Self.digits(day.year, 4) + "-" + Self.digits(day.month, 2)
        case .day: Self.digits(day.year, 4) + "-" + Self.digits(day.month, 2) + "-" + Self.digits(day.day, 2)
        }
    }

    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// A run of buckets of one grain, both ends included.
public struct IndicatorBucketRange: Sendable, Hashable {
    public var grain: IndicatorGrain
    public var first: String
    public var last: String

    public init(grain: IndicatorGrain, first: String, last: String) {
        self.grain = grain
        self.first = first
        self.last = last
    }

    /// The fewest runs of year, month and day buckets that cover the days `from` to `to` exactly
    /// (from the beginning of time when `from` is nil): days up to a month's end, months up to a
    /// year's end, whole years, then months and days again on the other side.
    public static func cover(from: Day?, to: Day) -> [IndicatorBucketRange] {
        let start = from ?? Day(year: 1, month: 1, day: 1)
        guard start <= to else { return [] }
        var ranges: [IndicatorBucketRange] = []
        func add(_ grain: IndicatorGrain, _ first: Day, _ last: Day) {
            ranges.append(IndicatorBucketRange(grain: grain, first: grain.bucket(first), last: grain.bucket(last)))
        }
        if start.year == to.year && start.month == to.month {
            if start.day == 1 && to.day == Self.lastDay(of: to) { add(.month, start, to) } else { add(.day, start, to) }
            return ranges
        }
        // The head: the rest of the first month, then the rest of the first year.
        var cursor = start
        if cursor.day != 1 {
            add(.day, cursor, Day(year: cursor.year, month: cursor.month, day: Self.lastDay(of: cursor)))
            cursor = Self.firstOfNextMonth(cursor)
        }
        if cursor.month != 1 && cursor.year < to.year {
            add(.month, cursor, Day(year: cursor.year, month: 12, day: 1))
            cursor = Day(year: cursor.year + 1, month: 1, day: 1)
        }
        // Whole years, then whole months of the last year, then its last days.
        if cursor.year < to.year {
            add(.year, cursor, Day(year: to.year - 1, month: 1, day: 1))
            cursor = Day(year: to.year, month: 1, day: 1)
        }
        let lastWholeMonth = to.day == Self.lastDay(of: to) ? to.month : to.month - 1
        if cursor.month <= lastWholeMonth {
            add(.month, cursor, Day(year: to.year, month: lastWholeMonth, day: 1))
            cursor = lastWholeMonth == 12 ? Day(year: to.year + 1, month: 1, day: 1) : Day(year: to.year, month: lastWholeMonth + 1, day: 1)
        }
        if cursor <= to { add(.day, cursor, to) }
        return ranges
    }

    static func lastDay(of day: Day) -> Int { IndicatorPeriod.days(in: day.month, of: day.year) }

    static func firstOfNextMonth(_ day: Day) -> Day {
        day.month == 12 ? Day(year: day.year + 1, month: 1, day: 1) : Day(year: day.year, month: day.month + 1, day: 1)
    }
}
