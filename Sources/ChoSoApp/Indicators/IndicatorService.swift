import ChoSoCore
import Fluent
import Foundation

/// The indicators of a unit as of a date, on either tree, with the units one level below:
/// counts from the live aggregates rolled up the view's tree, divided by the measure or the
/// official baseline the catalogue names, against the target the plan set.
struct IndicatorService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone

    struct Query: Sendable, Codable, Hashable {
        var unitID: String
        var asOf: Day
        var tree: IndicatorTree
        var period: IndicatorPeriod
    }

    struct UnitFigures: Sendable, Codable, Hashable {
        var unit: AdminUnit
        var results: [IndicatorResult]
        /// Households registered in ChoSo against the official count (nil without one).
        var coverage: IndicatorResult?
    }

    /// The figures as shown, exported and frozen: one value serves the page, the API, the
    /// workbook and the stored report, so they cannot disagree.
    struct Table: Sendable, Codable, Hashable {
        var query: Query
        var treeDay: Day
        var definitions: [IndicatorDefinition]
        var unit: UnitFigures
        var children: [UnitFigures]

        /// Results per unit and code, to compare two versions of a report.
        var snapshot: IndicatorSnapshot {
            var results: [String: [String: IndicatorResult]] = [:]
            for figures in [unit] + children {
                results[figures.unit.id] = Dictionary(figures.results.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            }
            return IndicatorSnapshot(results: results)
        }
    }

    func catalogue() async throws -> [IndicatorDefinition] {
        try await IndicatorDefinitionModel.query(on: database).sort(\.$position).all().compactMap(\.definition)
    }

    /// The administrator adds an indicator, or edits one (`editing`); frozen reports keep the
    /// definitions they were made with.
    func saveDefinition(_ values: [String: String], editing: Bool) async throws -> IndicatorDefinition {
        guard user.role == .admin else { throw AppError.forbidden }
        let definition = try IndicatorInputs.definition(
            code: values["code"] ?? "", nameVI: values["nameVi"] ?? "", nameEN: values["nameEn"] ?? "", pillar: values["pillar"] ?? "",
            unit: values["unit"] ?? "", numerator: values["numerator"] ?? "", denominator: values["denominator"] ?? "").valueOrInvalid()
        try await database.transaction { db in
            let existing = try await IndicatorDefinitionModel.find(definition.code, on: db)
            if existing != nil && !editing {
                throw AppError.invalid(ValidationFailure(FieldError(field: "code", code: "code_taken", message: LocalizedText(
                    vi: "đã có chỉ tiêu mã \(definition.code)", en: "there is already an indicator \(definition.code)"))))
            }
            if let existing {
                let edited = IndicatorDefinitionModel(definition, position: existing.position)
                existing.nameVI = edited.nameVI
                existing.nameEN = edited.nameEN
                existing.pillar = edited.pillar
                existing.unit = edited.unit
                existing.numerator = edited.numerator
                existing.denominator = edited.denominator
                existing.sourceNote = edited.sourceNote
                try await existing.save(on: db)
            } else {
                let last = try await IndicatorDefinitionModel.query(on: db).max(\.$position) ?? -1
                try await IndicatorDefinitionModel(definition, position: last + 1).create(on: db)
            }
        }
        return definition
    }

    /// Where the households' and visits' counts come from: the live aggregates, or (to check them
    /// and to measure what they save) every record read again.
    enum CountSource: Sendable { case aggregates, records }

    func table(_ query: Query, from source: CountSource = .aggregates) async throws -> Table {
        let tree = try await UnitService(database: database).tree()
        let view = IndicatorView(tree: tree, asOf: query.asOf, version: query.tree)
        guard let unit = tree.units[query.unitID] else { throw AppError.notFound }
        try authorize(unit.id, tree: tree)
        guard unit.isValid(on: view.treeDay) else { throw Self.notOnTree(unit, day: view.treeDay) }
        let definitions = try await catalogue()
        var recorded = switch source {
        case .aggregates: try await aggregateCounts(view: view, unit: unit, query: query)
        case .records: try await IndicatorStore.countsFromRecords(asOf: query.asOf, flowsFrom: query.period.firstDay, timeZone: timeZone, on: database)
        }
        for (unit, counts) in try await IndicatorRegisterCounts.counts(asOf: query.asOf, flowsFrom: query.period.firstDay, timeZone: timeZone, on: database) {
            recorded[unit, default: MeasureCounts()].add(counts)
        }
        let counts = view.rollUp(recorded)
        // Two "Ấp 1" of a merged commune are told apart by the commune each came from.
        let children = tree.children(of: unit.id, on: view.treeDay).map { child in
            var named = child
            named.name = tree.distinctName(of: child.id, on: view.treeDay) { "trước đây \($0)" }
            return named
        }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
        let references = try await IndicatorReferences.load(units: [unit] + children, tree: view, period: query.period, on: database)
        func figures(_ unit: AdminUnit) -> UnitFigures {
            let counts = counts[unit.id] ?? MeasureCounts()
            let results = definitions.map { definition in
                let baseline = definition.denominator.flatMap { denominator -> IndicatorBaseline? in
                    guard case .baseline(let kind) = denominator else { return nil }
                    return references.baseline(unit.id, kind)
                }
                return IndicatorResult.evaluate(definition, counts: counts, baseline: baseline, target: references.target(unit.id, definition.code))
            }
            let coverage = references.baseline(unit.id, IndicatorBaselineKind.households.rawValue).map {
                IndicatorResult.evaluate(Self.coverage, counts: counts, baseline: $0, target: nil)
            }
            return UnitFigures(unit: unit, results: results, coverage: coverage)
        }
        return Table(query: query, treeDay: view.treeDay, definitions: definitions, unit: figures(unit), children: children.map(figures))
    }

    /// The live aggregates that land under `unit` in this view. A commune's table reads its own
    /// hamlets' rows; a province's reads the communes' rows (a hundred, not a thousand hamlets),
    /// except for a commune whose hamlets land in different units of the view — a merged commune
    /// on the former tree — whose hamlets' rows are read instead.
    func aggregateCounts(view: IndicatorView, unit: AdminUnit, query: Query) async throws -> [String: MeasureCounts] {
        let tree = view.tree
        let hamlets = tree.units.values.filter { $0.type == .hamlet }
        let landing = hamlets.filter { hamlet in view.placement(of: hamlet.id).map { view.chain(from: $0).contains(unit.id) } ?? false }
        let (from, asOf) = (query.period.firstDay, query.asOf)
        let childrenAreHamlets = unit.type == .hamlet || tree.children(of: unit.id, on: view.treeDay).contains { $0.type == .hamlet }
        if childrenAreHamlets || landing.count <= 200 {
            return try await IndicatorStore.counts(asOf: asOf, flowsFrom: from, level: 0, units: landing.map(\.id).sorted(), on: database)
        }
        let hamletsByParent = Dictionary(grouping: hamlets.filter { $0.parentID != nil }, by: { $0.parentID! })
        var whole: [String] = [], split: [String] = []
        for parent in Set(landing.compactMap(\.parentID)).sorted() {
            let above = view.placement(of: parent).map { view.chain(from: $0) } ?? []
            let agrees = (hamletsByParent[parent] ?? []).allSatisfy { hamlet in
                (view.placement(of: hamlet.id).map { view.chain(from: $0) } ?? []).filter { tree.units[$0]?.type != .hamlet } == above
            }
            if agrees { whole.append(parent) } else { split += (hamletsByParent[parent] ?? []).map(\.id) }
        }
        var counts = try await IndicatorStore.counts(asOf: asOf, flowsFrom: from, level: 1, units: whole, on: database)
        for (hamlet, values) in try await IndicatorStore.counts(asOf: asOf, flowsFrom: from, level: 0, units: split.sorted(), on: database) {
            counts[hamlet, default: MeasureCounts()].add(values)
        }
        return counts
    }

    /// Registered households over the official count: how much of the commune the figures cover.
    static let coverage = IndicatorDefinition(
        code: "coverage", name: LocalizedText(vi: "Độ phủ của sổ hộ", en: "Register coverage"), pillar: .society, unit: .percent,
        numerator: IndicatorMeasure.householdsRegistered.rawValue, denominator: .baseline(IndicatorBaselineKind.households.rawValue))

    /// Officers read the figures of their units, of the units below them, and of the former units
    /// their communes were made of; others see nothing (404, as for a unit that does not exist).
    func authorize(_ unitID: String, tree: UnitTree, action: Action = .read) throws {
        let today = Day(Date(), in: timeZone)
        var units = tree.lineage(of: unitID)
        for successor in tree.current(unitID, on: today) { units.formUnion(tree.lineage(of: successor.id)) }
        let decision = AccessPolicy.decide(user.principal, action, .indicators(units: units))
        guard decision.isAllowed else { throw AppError.denied(decision) }
    }

    static func notOnTree(_ unit: AdminUnit, day: Day) -> AppError {
        AppError(status: .notFound, code: "unit_not_on_tree", message: LocalizedText(
            vi: "\(unit.name) không có trên cây đơn vị ngày \(day.vietnamese); hãy chọn cây khác hoặc ngày khác",
            en: "\(unit.name) is not on the unit tree of \(day.iso); choose the other tree or another date"))
    }
}
