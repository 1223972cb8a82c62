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

/// Stall numbers as people sort them: "2" before "10", "A3" before "A12".
public enum StallNumberOrder {
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.compare(rhs, options: [.numeric, .caseInsensitive]) == .orderedAscending
    }
}

extension Day {
    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return Day(calendar.date(byAdding: .day, value: days, to: start)!, in: calendar.timeZone)
    }

    /// Every day from `from` to `to`, both included (empty when `to` is before `from`).
    public static func range(_ from: Day, _ to: Day) -> [Day] {
        var days: [Day] = []
        var day = from
        while day <= to {
            days.append(day)
            day = day.adding(days: 1)
        }
        return days
    }

    /// Days from `self` to `other`, both included: 1 for the same day.
    public func daysThrough(_ other: Day) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        let end = calendar.date(from: DateComponents(year: other.year, month: other.month, day: other.day))!
        return (calendar.dateComponents([.day], from: start, to: end).day ?? 0) + 1
    }
}
