/// A frozen period report ("chốt số liệu"): every unit's results as they were when an officer
/// froze them. Never edited: data that arrives later makes a new version, and the officer sees
/// what changed from the one before.
public struct IndicatorSnapshot: Sendable, Hashable, Codable {
    /// Results per unit id, then per indicator code.
    public var results: [String: [String: IndicatorResult]]

    public init(results: [String: [String: IndicatorResult]]) { self.results = results }

    public struct Change: Sendable, Hashable, Codable {
        public var unitID: String
        public var code: String
        public var before: IndicatorResult?
        public var after: IndicatorResult?
    }

    /// What differs from `earlier`, by unit and indicator code: n, N or the target (a reworded
    /// source is not a change); a result on one side only is a change too. `codes`, when given,
    /// limits it to those indicators (a report's own, not ones added to the catalogue since).
    public func changes(since earlier: IndicatorSnapshot, codes: Set<String>? = nil) -> [Change] {
        func figures(_ result: IndicatorResult?) -> [Int64?]? {
            result.map { [$0.numerator, $0.denominator, $0.targetHundredths] }
        }
        var changes: [Change] = []
        for unitID in Set(results.keys).union(earlier.results.keys).sorted() {
            let now = results[unitID] ?? [:], then = earlier.results[unitID] ?? [:]
            for code in Set(now.keys).union(then.keys).sorted() where figures(now[code]) != figures(then[code]) && codes?.contains(code) != false {
                changes.append(Change(unitID: unitID, code: code, before: then[code], after: now[code]))
            }
        }
        return changes
    }
}
