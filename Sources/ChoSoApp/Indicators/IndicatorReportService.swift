import ChoSoCore
import Fluent
import Foundation

/// Freezing a period ("chốt số liệu") and reading frozen reports: each version is stored once and
/// never changed; a report whose figures differ from today's computation of the same period has
/// late data, and a new version can be made, showing what changed from the one before.
struct IndicatorReportService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone

    var figures: IndicatorService { IndicatorService(database: database, user: user, timeZone: timeZone) }

    struct Frozen: Sendable {
        var model: IndicatorReportModel
        var table: IndicatorService.Table
        /// Against the version before (empty for the first).
        var changesSincePrevious: [IndicatorSnapshot.Change]
        /// What differs now, computed again from the records: data that arrived after the freeze.
        var lateChanges: [IndicatorSnapshot.Change]
        var previousVersion: Int?
    }

    /// Freezes a finished period for a unit on a tree. Freezing again with nothing changed (a
    /// double tap, a resend) gives back the last version instead of a copy.
    func freeze(unitID: String, tree: IndicatorTree, period: IndicatorPeriod) async throws -> (report: IndicatorReportModel, created: Bool) {
        let today = Day(Date(), in: timeZone)
        guard period.lastDay < today else {
            throw AppError(status: .unprocessableEntity, code: "period_not_over", message: LocalizedText(
                vi: "\(period.vietnamese) chưa kết thúc: chỉ chốt số liệu được sau ngày \(period.lastDay.vietnamese)",
                en: "\(period) is not over: it can be frozen after \(period.lastDay.iso)"))
        }
        try figures.authorize(unitID, tree: try await UnitService(database: database).tree(), action: .update)
        let table = try await figures.table(.init(unitID: unitID, asOf: period.lastDay, tree: tree, period: period))
        for _ in 0..<3 {
            let latest = try await latestVersion(unitID: unitID, tree: tree, period: period)
            if let latest, let frozen = latest.table, table.snapshot.changes(since: frozen.snapshot).isEmpty,
               frozen.definitions == table.definitions { return (latest, false) }
            let row = IndicatorReportModel()
            row.unitID = unitID
            row.tree = tree.rawValue
            row.period = period.description
            row.version = (latest?.version ?? 0) + 1
            row.content = CommunityJSON.encode(table)
            row.frozenBy = user.id
            row.frozenByName = user.displayName
            row.frozenAt = Date()
            do {
                try await row.create(on: database)
                return (row, true)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Another officer froze the same period at the same moment: read theirs and decide again.
                continue
            }
        }
        throw AppError(status: .conflict, code: "freeze_busy", message: LocalizedText(
            vi: "Đang có người khác chốt cùng kỳ; hãy thử lại", en: "Someone else is freezing the same period; try again"))
    }

    func latestVersion(unitID: String, tree: IndicatorTree, period: IndicatorPeriod) async throws -> IndicatorReportModel? {
        try await IndicatorReportModel.query(on: database).filter(\.$unitID == unitID).filter(\.$tree == tree.rawValue)
            .filter(\.$period == period.description).sort(\.$version, .descending).first()
    }

    /// The unit's frozen reports, newest period first, each period's versions newest first.
    func list(unitID: String) async throws -> [IndicatorReportModel] {
        let tree = try await UnitService(database: database).tree()
        guard tree.units[unitID] != nil else { throw AppError.notFound }
        try figures.authorize(unitID, tree: tree)
        return try await IndicatorReportModel.query(on: database).filter(\.$unitID == unitID).all()
            .sorted { ($0.period, $0.tree, $0.version) > ($1.period, $1.tree, $1.version) }
    }

    func report(_ idText: String) async throws -> Frozen {
        guard let id = UUID(uuidString: idText), let model = try await IndicatorReportModel.find(id, on: database), let table = model.table else {
            throw AppError.notFound
        }
        try figures.authorize(model.unitID, tree: try await UnitService(database: database).tree())
        let previous = try await IndicatorReportModel.query(on: database).filter(\.$unitID == model.unitID).filter(\.$tree == model.tree)
            .filter(\.$period == model.period).filter(\.$version < model.version).sort(\.$version, .descending).first()
        let now = try await figures.table(table.query)
        return Frozen(
            model: model, table: table, changesSincePrevious: previous?.table.map { table.snapshot.changes(since: $0.snapshot) } ?? [],
            lateChanges: now.snapshot.changes(since: table.snapshot, codes: Set(table.definitions.map(\.code))), previousVersion: previous?.version)
    }
}
