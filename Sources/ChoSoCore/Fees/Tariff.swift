/// Where a stall stands in the market: the rent per m² depends on it.
public enum PositionClass: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    case frontRow = "front_row"
    case innerRow = "inner_row"
    case outdoor

    public var label: LocalizedText {
        switch self {
        case .frontRow: LocalizedText(vi: "Dãy mặt tiền", en: "Front row")
        case .innerRow: LocalizedText(vi: "Dãy trong", en: "Inner row")
        case .outdoor: LocalizedText(vi: "Ngoài trời", en: "Outdoor")
        }
    }
}

/// How a fee line is priced.
public enum FeeLineKind: Sendable, Hashable, Codable {
    /// Rent per m² per month, by position class (đồng per m²).
    case rentPerSquareMetre([PositionClass: Int64])
    /// The same amount every month for every stall.
    case flatMonthly(Int64)
    /// Cleaning, per stall per month.
    case cleaningMonthly(Int64)
    /// Electricity per kWh, from the stall's sub-meter readings.
    case electricityPerKWh(Int64)
    /// A day's ticket (vé chợ) for a seller without a fixed stall: sold one by one, never billed monthly.
    case dailyTicket(Int64)

    public var isBilledMonthly: Bool {
        if case .dailyTicket = self { return false }
        return true
    }
}

/// One line of a tariff: stall rent, electricity, cleaning, a daily ticket…
public struct FeeLine: Sendable, Hashable, Codable {
    /// Stable within a market across tariff versions (`rent`, `electricity`, `cleaning`, `ticket`):
    /// a bill is unique per stall, line code and period.
    public var code: String
    public var name: String
    public var kind: FeeLineKind

    public init(code: String, name: String, kind: FeeLineKind) {
        self.code = code
        self.name = name
        self.kind = kind
    }
}

/// The decision that sets a tariff (quyết định số …, ngày …, của …).
public struct FeeDecision: Sendable, Hashable, Codable {
    public var number: String
    public var date: Day
    public var issuer: String

    public init(number: String, date: Day, issuer: String) {
        self.number = number
        self.date = date
        self.issuer = issuer
    }
}

/// A version of a market's tariff: a new decision makes a new version; bills already issued keep
/// the amounts of the version they were made from.
public struct TariffVersion: Sendable, Hashable, Codable {
    public var decision: FeeDecision
    public var effectiveFrom: Day
    /// The last day it applies; nil while in force.
    public var effectiveTo: Day?
    public var lines: [FeeLine]

    public init(decision: FeeDecision, effectiveFrom: Day, effectiveTo: Day?, lines: [FeeLine]) {
        self.decision = decision
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.lines = lines
    }

    public func applies(on day: Day) -> Bool {
        effectiveFrom <= day && effectiveTo.map { day <= $0 } ?? true
    }

    /// The version in force for a billing month: the one in force on its first day (a decision
    /// taking effect mid-month applies from the next month's bills).
    public static func inForce(for period: FeePeriod, among versions: [TariffVersion]) -> TariffVersion? {
        versions.filter { $0.applies(on: period.firstDay) }.max { $0.effectiveFrom < $1.effectiveFrom }
    }
}
