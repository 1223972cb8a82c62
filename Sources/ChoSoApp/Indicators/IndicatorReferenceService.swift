import ChoSoCore
import Fluent
import Foundation
import Spreadsheet

/// The official baselines and the targets officers keep for their units: typed in one at a
/// time or, for baselines, imported from a sheet (all rows or none).
struct IndicatorReferenceService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone

    var today: Day { Day(Date(), in: timeZone) }

    /// The units whose numbers the caller keeps: their own, those below them and the former units
    /// their communes were made of; every unit for an administrator.
    func editableUnits(_ tree: UnitTree) -> [AdminUnit] {
        let figures = IndicatorService(database: database, user: user, timeZone: timeZone)
        return tree.units.values.filter { (try? figures.authorize($0.id, tree: tree, action: .update)) != nil }
            .sorted { ($0.validFrom ?? Day(year: 1, month: 1, day: 1), $0.name, $0.id) > ($1.validFrom ?? Day(year: 1, month: 1, day: 1), $1.name, $1.id) }
    }

    struct Lists: Sendable {
        var baselines: [IndicatorBaselineModel]
        var targets: [IndicatorTargetModel]
    }

    /// What is kept for the unit and the units below it, on either tree.
    func lists(under unitID: String, tree: UnitTree) async throws -> Lists {
        var subtree = tree.subtree(of: unitID)
        for former in tree.predecessors(of: unitID) { subtree.formUnion(tree.subtree(of: former.id)) }
        let units = Array(subtree)
        return Lists(
            baselines: try await IndicatorBaselineModel.query(on: database).filter(\.$unitID ~~ units).all()
                .sorted { ($0.unitID, $0.kind, $0.asOf) < ($1.unitID, $1.kind, $1.asOf) },
            targets: try await IndicatorTargetModel.query(on: database).filter(\.$unitID ~~ units).all()
                .sorted { ($0.unitID, $0.code, $0.period) < ($1.unitID, $1.code, $1.period) })
    }

    /// A number for a unit, kind and day; the same unit, kind and day again corrects it.
    func setBaseline(unitID: String, kind: String, date: String, value: String, source: String) async throws {
        let tree = try await UnitService(database: database).tree()
        let known = Set(editableUnits(tree).map(\.id))
        let entry = try IndicatorInputs.baseline(unitID: unitID, kind: kind, date: date, value: value, source: source, knownUnits: known, today: today)
            .valueOrInvalid()
        try await database.transaction { db in try await store(entry, on: db) }
    }

    struct ImportFailure: Error {
        var message: LocalizedText
        var rowErrors: [Statement.RowError]
    }

    /// A sheet of baselines: every row checked first, then all stored in one transaction.
    func importBaselines(_ bytes: [UInt8]) async throws -> Int {
        let table: [[String]]
        do { table = try XLSX.firstSheet(bytes, limits: .init(cells: 100_000, rows: 10_000, sharedStrings: 100_000)) } catch {
            throw ImportFailure(message: StatementImportService.describe(error), rowErrors: [])
        }
        let tree = try await UnitService(database: database).tree()
        switch IndicatorInputs.baselines(table, knownUnits: Set(editableUnits(tree).map(\.id)), today: today) {
        case .failure(.noHeader(let message)): throw ImportFailure(message: message, rowErrors: [])
        case .failure(.rows(let errors)):
            throw ImportFailure(message: LocalizedText(vi: "\(errors.count) dòng có lỗi: không nhập dòng nào", en: "\(errors.count) rows have errors: nothing was imported"),
                                rowErrors: errors)
        case .success(let entries):
            try await database.transaction { db in
                for entry in entries { try await store(entry, on: db) }
            }
            return entries.count
        }
    }

    private func store(_ entry: IndicatorBaselineEntry, on db: any Database) async throws {
        let row = try await IndicatorBaselineModel.query(on: db).filter(\.$unitID == entry.unitID).filter(\.$kind == entry.kind.rawValue)
            .filter(\.$asOf == entry.asOf.iso).first() ?? IndicatorBaselineModel()
        row.unitID = entry.unitID
        row.kind = entry.kind.rawValue
        row.asOf = entry.asOf.iso
        row.value = entry.value
        row.source = entry.source
        row.enteredBy = user.id
        row.enteredAt = Date()
        try await row.save(on: db)
    }

    /// A target for a unit, indicator and period; the same again replaces it.
    func setTarget(unitID: String, code: String, period: String, value: String, planNumber: String, planDate: String, issuer: String) async throws {
        let tree = try await UnitService(database: database).tree()
        let definition = try await IndicatorDefinitionModel.find(TextNormalization.clean(code), on: database)?.definition
        let entry = try IndicatorInputs.target(
            unitID: unitID, definition: definition, period: period, value: value, planNumber: planNumber, planDate: planDate, issuer: issuer,
            knownUnits: Set(editableUnits(tree).map(\.id)), today: today).valueOrInvalid()
        try await database.transaction { db in
            let row = try await IndicatorTargetModel.query(on: db).filter(\.$unitID == entry.unitID).filter(\.$code == entry.code)
                .filter(\.$period == entry.period.description).first() ?? IndicatorTargetModel()
            row.unitID = entry.unitID
            row.code = entry.code
            row.period = entry.period.description
            row.value = entry.value
            row.planNumber = entry.planNumber
            row.planDate = entry.planDate.iso
            row.issuer = entry.issuer
            row.isDemo = false
            try await row.save(on: db)
        }
    }
}
