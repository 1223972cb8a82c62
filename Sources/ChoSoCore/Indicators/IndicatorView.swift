/// Which version of the unit tree a figure is rolled up on.
public enum IndicatorTree: String, Sendable, Hashable, CaseIterable, Codable {
    /// The tree valid on the date asked for.
    case current
    /// The tree as it was on 30/6/2025 (former districts and communes), for any date: the old
    /// totals beside the new ones.
    case beforeReorganisation = "before-2025-07-01"
}

/// Rolls records up a unit tree as of a date. A record attaches to the unit valid on its own date
/// (a household to its hamlet, a market to its commune); asked about another date or tree, it
/// follows the succession edges to the unit in force there, then up that tree's parents. Every
/// record lands on at most one unit of the view, so the totals of one level add up to the level
/// above, on either tree.
public struct IndicatorView: Sendable {
    public let tree: UnitTree
    public let asOf: Day
    public let version: IndicatorTree
    /// The day whose tree the figures are placed on.
    public let treeDay: Day

    public init(tree: UnitTree, asOf: Day, version: IndicatorTree) {
        self.tree = tree
        self.asOf = asOf
        self.version = version
        treeDay = version == .current ? asOf : min(asOf, TranDeUnits.lastDayBefore)
    }

    /// The unit of the view a record attached to `unitID` counts under, or nil when none: a
    /// unit that did not exist yet and has no predecessor then. Going forward, succession edges
    /// lead to the successor; going back (a record made after the merger, shown on the former
    /// tree), to the predecessor — the one with the same code when a merged unit had several.
    public func placement(of unitID: String) -> String? {
        guard let unit = tree.units[unitID] else { return nil }
        if unit.isValid(on: treeDay) { return unitID }
        if let validFrom = unit.validFrom, treeDay < validFrom {
            var cursor = unit
            var seen: Set<String> = [unit.id]
            while !cursor.isValid(on: treeDay) {
                let before = tree.predecessors(of: cursor.id)
                guard let next = before.first(where: { $0.code == cursor.code }) ?? before.first, seen.insert(next.id).inserted else { return nil }
                cursor = next
            }
            return cursor.id
        }
        // A split leads to several units: the first by code takes the record, so it is counted once.
        return tree.current(unitID, on: treeDay).first?.id
    }

    /// The units of the view above and including `placed`, nearest first.
    public func chain(from placed: String) -> [String] {
        var chain: [String] = []
        var cursor = tree.units[placed]
        while let unit = cursor, unit.isValid(on: treeDay), !chain.contains(unit.id) {
            chain.append(unit.id)
            cursor = unit.parentID.flatMap { tree.units[$0] }
        }
        return chain
    }

    /// Totals per unit of the view: each record's counts (by the unit it is attached to) added to
    /// its placement and every unit above it.
    public func rollUp(_ counts: [String: MeasureCounts]) -> [String: MeasureCounts] {
        var totals: [String: MeasureCounts] = [:]
        for (unitID, values) in counts {
            guard let placed = placement(of: unitID) else { continue }
            for unit in chain(from: placed) { totals[unit, default: MeasureCounts()].add(values) }
        }
        return totals
    }
}

/// Counts of measures (households with a smartphone, stalls, đồng collected…) for one unit.
public struct MeasureCounts: Sendable, Hashable, Codable {
    public var values: [String: Int64]

    public init(_ values: [String: Int64] = [:]) { self.values = values }

    public subscript(_ measure: String) -> Int64 { values[measure] ?? 0 }

    public mutating func add(_ other: MeasureCounts) {
        for (measure, value) in other.values { values[measure, default: 0] += value }
    }
}
