/// One cell of the live aggregates: what records attached to `unit` add to `measure` on `day`.
/// A stock (households with a smartphone) is the sum of its changes up to a date; a flow (visits)
/// the sum of the days of a period.
public struct IndicatorCountKey: Hashable, Sendable, Comparable, Codable {
    public var unit: String
    public var measure: String
    public var day: Day

    public init(unit: String, measure: String, day: Day) {
        self.unit = unit
        self.measure = measure
        self.day = day
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.unit, lhs.measure, lhs.day.iso) < (rhs.unit, rhs.measure, rhs.day.iso)
    }
}

/// What one source (a household with its versions and visits) adds to the aggregates. The
/// aggregates are kept by replacing a source's old contribution with its new one in the same
/// transaction as the record, so they equal the sum over all sources at every commit.
public struct IndicatorContribution: Sendable, Hashable, Codable {
    public var counts: [IndicatorCountKey: Int64]

    public init(_ counts: [IndicatorCountKey: Int64] = [:]) { self.counts = counts.filter { $0.value != 0 } }

    /// What to add to the aggregates to go from `old` to `self`.
    public func difference(from old: IndicatorContribution) -> [IndicatorCountKey: Int64] {
        var change = counts
        for (key, value) in old.counts { change[key, default: 0] -= value }
        return change.filter { $0.value != 0 }
    }

    /// A household's contribution: each stored version counts from the day it was recorded
    /// until the next one (the checklist as the newest version then says); its counted visits
    /// (not replaced by a correction) on the visit's own date; "visited" from the first of them.
    /// A household settled as the duplicate of another counts nowhere.
    public static func household(versions: [(day: Day, content: HouseholdRecord.Content)], visits: [HouseholdVisitFact], isDuplicate: Bool) -> IndicatorContribution {
        guard !isDuplicate else { return IndicatorContribution() }
        var counts: [IndicatorCountKey: Int64] = [:]
        var previous: (hamlet: String, state: [IndicatorMeasure: Int64])?
        for version in versions {
            let state = householdState(version.content)
            if let previous {
                for (measure, value) in previous.state { counts[IndicatorCountKey(unit: previous.hamlet, measure: measure.rawValue, day: version.day), default: 0] -= value }
            }
            for (measure, value) in state { counts[IndicatorCountKey(unit: version.content.hamlet, measure: measure.rawValue, day: version.day), default: 0] += value }
            previous = (version.content.hamlet, state)
        }
        let replaced = Set(visits.compactMap(\.corrects))
        let counted = visits.filter { !replaced.contains($0.id) }
        for visit in counted {
            counts[IndicatorCountKey(unit: visit.hamlet, measure: IndicatorMeasure.visits.rawValue, day: visit.date), default: 0] += 1
        }
        if let first = counted.min(by: { $0.date < $1.date }) {
            counts[IndicatorCountKey(unit: first.hamlet, measure: IndicatorMeasure.householdsVisited.rawValue, day: first.date), default: 0] += 1
        }
        return IndicatorContribution(counts)
    }

    /// The measures one version of a household holds: the household itself, yes/no per item,
    /// and the adults counted per item.
    static func householdState(_ content: HouseholdRecord.Content) -> [IndicatorMeasure: Int64] {
        var state: [IndicatorMeasure: Int64] = [.householdsRegistered: 1]
        let items: [(ChecklistItem, IndicatorMeasure, IndicatorMeasure?)] = [
            (.smartphone, .householdsSmartphone, .adultsSmartphone),
            (.paymentAccount, .householdsPaymentAccount, .adultsPaymentAccount),
            (.vneidLevel2, .householdsVneidLevel2, .adultsVneidLevel2),
            (.dvcAccount, .householdsPublicServiceAccount, .adultsPublicServiceAccount),
            (.broadband, .householdsBroadband, nil),
        ]
        for (item, households, adults) in items {
            let count = Int64(max(0, content.answer(item)?.count ?? 0))
            guard count > 0 else { continue }
            state[households] = 1
            if let adults { state[adults] = min(count, Int64(max(0, content.adults))) }
        }
        return state
    }
}

/// What the aggregates need of a visit.
public struct HouseholdVisitFact: Sendable, Hashable {
    public var id: String
    public var hamlet: String
    public var date: Day
    /// The visit this one replaces, if it is a correction.
    public var corrects: String?

    public init(id: String, hamlet: String, date: Day, corrects: String?) {
        self.id = id
        self.hamlet = hamlet
        self.date = date
        self.corrects = corrects
    }
}

extension IndicatorMeasure {
    /// A flow is summed over the days of a period (visits, transfers, đồng); a stock is what
    /// stands on a date (households with a smartphone, valid products).
    public var isFlow: Bool {
        switch self {
        case .visits, .transfers, .transfersDong, .marketSalesDong, .feesBilledDong, .feesCollectedCashlessDong: true
        default: false
        }
    }
}

/// The rules for the registers the indicators read directly (markets, stalls, OCOP, teams): what
/// stands on a date.
public enum IndicatorRegisters {
    /// The stars of the decision in force on `day` — the latest made by then — while it is valid;
    /// nil when none is.
    public static func ocopStars(decisions: [(date: Day, validUntil: Day, stars: Int)], on day: Day) -> Int? {
        guard let inForce = decisions.filter({ $0.date <= day }).max(by: { $0.date < $1.date }), inForce.validUntil >= day else { return nil }
        return inForce.stars
    }

    /// The measure counting valid products of these stars.
    public static func ocopMeasure(stars: Int) -> IndicatorMeasure? {
        switch stars {
        case 3: .ocopValid3
        case 4: .ocopValid4
        case 5: .ocopValid5
        default: nil
        }
    }

    /// Whether a member serves on `day`: from their first day (if known) to their last (if any).
    public static func serves(activeFrom: String?, activeTo: String?, on day: Day) -> Bool {
        if let from = activeFrom.flatMap(Day.init(iso:)), from > day { return false }
        if let to = activeTo.flatMap(Day.init(iso:)), to < day { return false }
        return true
    }
}
