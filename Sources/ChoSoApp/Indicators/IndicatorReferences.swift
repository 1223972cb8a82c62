import ChoSoCore
import Fluent
import Foundation

/// The official baselines and the targets that apply to some units for a date and period.
struct IndicatorReferences: Sendable {
    let view: IndicatorView
    let period: IndicatorPeriod
    /// Per unit and kind, the latest baseline on or before the date.
    let baselines: [String: [String: IndicatorBaseline]]
    let targets: [IndicatorTargetModel.Snapshot]
    let percentCodes: Set<String>

    static func load(units: [AdminUnit], tree view: IndicatorView, period: IndicatorPeriod, on database: any Database) async throws -> IndicatorReferences {
        var latest: [String: [String: (day: String, baseline: IndicatorBaseline)]] = [:]
        for row in try await IndicatorBaselineModel.query(on: database).filter(\.$asOf <= view.asOf.iso).all() {
            if let kept = latest[row.unitID]?[row.kind], kept.day >= row.asOf { continue }
            let source = "\(row.source), \(Day(iso: row.asOf)?.vietnamese ?? row.asOf)"
            latest[row.unitID, default: [:]][row.kind] = (row.asOf, IndicatorBaseline(value: row.value, source: source))
        }
        let percent = try await IndicatorDefinitionModel.query(on: database).filter(\.$unit == IndicatorUnit.percent.rawValue).all().compactMap(\.id)
        return IndicatorReferences(
            view: view, period: period, baselines: latest.mapValues { $0.mapValues(\.baseline) },
            targets: try await IndicatorTargetModel.query(on: database).all().map(\.snapshot), percentCodes: Set(percent))
    }

    /// The unit's own latest baseline; without one, the sum of the units below it when every one
    /// of them has it (a merged commune whose former communes were counted).
    func baseline(_ unitID: String, _ kind: String) -> IndicatorBaseline? {
        if let own = baselines[unitID]?[kind] { return own }
        let children = view.tree.children(of: unitID, on: view.treeDay)
        guard !children.isEmpty else { return nil }
        var total: Int64 = 0
        for child in children {
            guard let value = baseline(child.id, kind)?.value else { return nil }
            total += value
        }
        return IndicatorBaseline(value: total, source: "Cộng số chính thức của các đơn vị trực thuộc")
    }

    /// The target the unit reports against for the period: its own, else for a percentage the
    /// nearest unit above's (a province resolution binds its communes); of those, the one for the
    /// shortest period that ends on or after the period's end.
    func target(_ unitID: String, _ code: String) -> Int64? { targetRow(unitID, code)?.value }

    func targetRow(_ unitID: String, _ code: String) -> IndicatorTargetModel.Snapshot? {
        let units = percentCodes.contains(code) ? view.chain(from: unitID) : [unitID]
        for unit in units {
            let candidates = targets.filter { $0.unitID == unit && $0.code == code }.compactMap { row -> (IndicatorPeriod, IndicatorTargetModel.Snapshot)? in
                guard let period = IndicatorPeriod(row.period), period.lastDay >= self.period.lastDay else { return nil }
                return (period, row)
            }
            // The earliest end first; of two ending together (Q4 and the year), the shorter.
            if let best = candidates.min(by: { ($0.0.lastDay, $1.0.firstDay) < ($1.0.lastDay, $0.0.firstDay) }) { return best.1 }
        }
        return nil
    }
}

extension IndicatorTargetModel {
    struct Snapshot: Sendable, Hashable {
        var unitID: String
        var code: String
        var period: String
        var value: Int64
        var plan: String
        var isDemo: Bool
    }

    var snapshot: Snapshot {
        Snapshot(unitID: unitID, code: code, period: period, value: value,
                 plan: "\(planNumber) ngày \(Day(iso: planDate)?.vietnamese ?? planDate) của \(issuer)", isDemo: isDemo)
    }
}
