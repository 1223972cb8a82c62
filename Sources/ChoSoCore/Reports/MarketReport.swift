import Foundation

/// What the market board reads about one stall besides its money: the QR board's state.
public struct StallProfile: Sendable, Hashable {
    public var id: String
    public var number: String
    public var name: String
    public var trade: String?
    /// A QR board was printed for the stall's current receiving account.
    public var hasBoard: Bool
    /// That board was handed over to the stall keeper: the QR on the counter is provably theirs.
    public var boardHandedOver: Bool
    /// False once the stall has closed: its past takings still count, the stall no longer does.
    public var isOpen: Bool

    public init(id: String, number: String, name: String, trade: String? = nil, hasBoard: Bool, boardHandedOver: Bool, isOpen: Bool = true) {
        self.id = id
        self.number = number
        self.name = name
        self.trade = trade
        self.hasBoard = hasBoard
        self.boardHandedOver = boardHandedOver
        self.isOpen = isOpen
    }
}

/// The share of recorded sales paid by transfer: transfers ÷ (transfers + cash sales). Debts are
/// left out: a debt is paid later by cash or transfer and would otherwise count twice.
public struct CashlessShare: Sendable, Hashable {
    public var transferAmount: Int64
    public var cashAmount: Int64

    public init(transferAmount: Int64, cashAmount: Int64) {
        self.transferAmount = transferAmount
        self.cashAmount = cashAmount
    }

    public init(_ figures: RollupFigures) {
        self.init(transferAmount: figures.transferAmount, cashAmount: figures.cashAmount)
    }

    /// 0…1, nil when nothing was sold.
    public var fraction: Double? {
        let sales = Double(transferAmount) + Double(cashAmount)
        return sales > 0 ? Double(transferAmount) / sales : nil
    }

    /// Tenths of a percent, rounded half up: 625 for 62,5 %.
    public var permille: Int? { fraction.map { Int(($0 * 1000).rounded()) } }

    /// "62,5 %" as Vietnamese writes it, "—" when nothing was sold.
    public var text: String {
        guard let permille else { return "—" }
        return "\(permille / 10),\(permille % 10) %"
    }

    /// The share as a spreadsheet cell: transfers ÷ sales, a percentage in the XLSX export and
    /// this same text in the CSV. (A sum beyond Int64 is held at its largest value, not trapped.)
    public var cell: ReportSheet.Cell {
        let (sales, overflow) = transferAmount.addingReportingOverflow(cashAmount)
        return .percent(numerator: transferAmount, denominator: overflow ? .max : sales)
    }
}

/// A market's (or a cashless street's) figures over a range of business days, built from daily
/// rollups: the dashboard, its API and its exports all read this one value.
public struct MarketReport: Sendable, Equatable {
    public struct StallLine: Sendable, Hashable {
        public var profile: StallProfile
        public var figures: RollupFigures
        /// The last business day up to the report's end with a transfer, looking back 30 days.
        public var lastTransferDay: Day?
        public var activeLast7Days: Bool
        public var activeLast30Days: Bool
        public var share: CashlessShare { CashlessShare(figures) }
    }

    public struct DayLine: Sendable, Hashable {
        public var day: Day
        public var figures: RollupFigures
        /// Stalls that received at least one transfer that day.
        public var stallsWithTransfers: Int
        public var share: CashlessShare { CashlessShare(figures) }
    }

    public static let maximumDays = 366
    public static let topCount = 5

    public var from: Day
    public var to: Day
    public var stalls: [StallLine]
    public var days: [DayLine]
    public var totals: RollupFigures

    /// The open stalls: what the counts are of.
    public var openStalls: [StallLine] { stalls.filter(\.profile.isOpen) }
    public var stallCount: Int { openStalls.count }
    public var withBoard: Int { openStalls.filter(\.profile.hasBoard).count }
    public var boardHandedOver: Int { openStalls.filter(\.profile.boardHandedOver).count }
    public var activeLast7Days: Int { openStalls.filter(\.activeLast7Days).count }
    public var activeLast30Days: Int { openStalls.filter(\.activeLast30Days).count }
    public var share: CashlessShare { CashlessShare(totals) }

    /// The stalls that took most by transfer in the range (only those that took something).
    public var top: [StallLine] {
        Array(stalls.filter { $0.figures.transferAmount > 0 }
            .sorted { ($0.figures.transferAmount, $1.profile.number) > ($1.figures.transferAmount, $0.profile.number) }
            .prefix(Self.topCount))
    }

    /// Open stalls with no transfer in the 30 days up to the report's end: the board's visits to make.
    public var inactive: [StallLine] { openStalls.filter { !$0.activeLast30Days } }

    /// - Parameters:
    ///   - byStall: each stall's figures summed over the range.
    ///   - byDay: the market's figures per day of the range, and how many stalls took a transfer.
    ///   - lastTransferDays: per stall, its last day with a transfer in the 30 days up to `to`.
    /// Closed stalls are listed only when they have figures in the range.
    public init(
        from: Day, to: Day, stalls profiles: [StallProfile], byStall: [String: RollupFigures],
        byDay: [Day: (figures: RollupFigures, stallsWithTransfers: Int)], lastTransferDays: [String: Day]
    ) {
        self.from = from
        self.to = to
        let weekStart = to.adding(days: -6), monthStart = to.adding(days: -29)
        stalls = profiles.compactMap { profile -> StallLine? in
            let figures = byStall[profile.id] ?? RollupFigures()
            guard profile.isOpen || !figures.isZero else { return nil }
            let last = lastTransferDays[profile.id].flatMap { $0 >= monthStart && $0 <= to ? $0 : nil }
            return StallLine(
                profile: profile, figures: figures, lastTransferDay: last,
                activeLast7Days: last.map { $0 >= weekStart } ?? false, activeLast30Days: last != nil)
        }.sorted { StallNumberOrder.precedes($0.profile.number, $1.profile.number) }
        days = Day.range(from, to).map { day in
            let (figures, stalls) = byDay[day] ?? (RollupFigures(), 0)
            return DayLine(day: day, figures: figures, stallsWithTransfers: stalls)
        }
        totals = days.reduce(RollupFigures()) { $0 + $1.figures }
    }
}

/// Stall numbers as people sort them: "2" before "10", "A3" before "A12", letters without regard
/// to case. Written out rather than Foundation's numeric `compare`, which costs microseconds per call
/// on Linux and a 500-stall report sorts several times.
public enum StallNumberOrder {
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        key(lhs).lexicographicallyPrecedes(key(rhs))
    }

    /// Runs of digits become one element ordered by value (leading zeros ignored, then by length);
    /// other characters compare by their lower-cased scalar.
    enum Part: Comparable {
        case number(digits: Int, value: String)
        case text(UInt32)

        static func < (lhs: Part, rhs: Part) -> Bool {
            switch (lhs, rhs) {
            case let (.number(a, x), .number(b, y)): (a, x) < (b, y)
            case (.number, .text): true
            case (.text, .number): false
            case let (.text(a), .text(b)): a < b
            }
        }
    }

    static func key(_ text: String) -> [Part] {
        var parts: [Part] = []
        var digits = ""
        func flush() {
            guard !digits.isEmpty else { return }
            let significant = String(digits.drop { $0 == "0" })
            parts.append(.number(digits: significant.count, value: significant))
            digits = ""
        }
        for scalar in text.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                digits.unicodeScalars.append(scalar)
            } else {
                flush()
                parts.append(.text(scalar.properties.lowercaseMapping.unicodeScalars.first?.value ?? scalar.value))
            }
        }
        flush()
        return parts
    }
}

extension Day {
    /// Days since 1970-01-01 (proleptic Gregorian), computed directly: reports step through days
    /// often enough that building a Calendar for each step shows.
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> Day {
        Day(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Every day from `from` to `to`, both included (empty when `to` is before `from`).
    public static func range(_ from: Day, _ to: Day) -> [Day] {
        let first = from.daysSinceEpoch, last = to.daysSinceEpoch
        return first <= last ? (first...last).map(Day.init(daysSinceEpoch:)) : []
    }

    /// Days from `self` to `other`, both included: 1 for the same day.
    public func daysThrough(_ other: Day) -> Int {
        other.daysSinceEpoch - daysSinceEpoch + 1
    }
}
