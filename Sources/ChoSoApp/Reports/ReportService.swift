import ChoSoCore
import Fluent
import FluentSQL
import Foundation
import Vapor

/// Figures for people, read from the rollups (never by scanning transfers).
struct ReportService {
    var database: any Database
    var user: CurrentUser
    var config: AppConfig

    /// The stall's figures of a business day (today when nil), by hour.
    func stallDay(stallID: String, day: Day?) async throws -> (day: String, byHour: [Int: RollupFigures]) {
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        let decision = try await RegistryService(database: database, user: user).salesDecision(.read, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let dayText = (day ?? Day(Date(), in: config.timeZone)).iso
        guard let sql = database as? any SQLDatabase else { return (dayText, [:]) }
        var byHour: [Int: RollupFigures] = [:]
        for row in try await sql.select().columns(["hour"] + RollupStore.counters).from(RollupStore.table)
            .where("stall_id", .equal, uuid).where("business_day", .equal, dayText).all() {
            byHour[try row.decode(column: "hour", as: Int.self)] = RollupStore.figures(try RollupStore.counters.map { try row.decode(column: $0, as: Int64.self) })
        }
        return (dayText, byHour)
    }
}

/// `GET /api/v1/stalls/{id}/summary?date=YYYY-MM-DD` (DESIGN.md §6).
struct StallSummaryDTO: Content {
    struct CountAmount: Content, Equatable {
        var count: Int64
        var amount: Int64
    }

    struct Hour: Content {
        var hour: Int
        var transfers: CountAmount
        var cash: CountAmount
        var owed: CountAmount
    }

    var date: String
    var transfers: CountAmount
    var cash: CountAmount
    var owed: CountAmount
    var underpaidCount: Int64
    var overpaidCount: Int64
    var refundDue: CountAmount
    /// Every hour of the day, 0–23, in Asia/Ho_Chi_Minh.
    var byHour: [Hour]

    init(day: String, byHour figures: [Int: RollupFigures]) {
        let total = figures.values.reduce(RollupFigures(), +)
        date = day
        transfers = CountAmount(count: total.transferCount, amount: total.transferAmount)
        cash = CountAmount(count: total.cashCount, amount: total.cashAmount)
        owed = CountAmount(count: total.debtCount, amount: total.debtAmount)
        underpaidCount = total.underpaidCount
        overpaidCount = total.overpaidCount
        refundDue = CountAmount(count: total.refundDueCount, amount: total.refundDueAmount)
        byHour = (0..<24).map { hour in
            let figures = figures[hour] ?? RollupFigures()
            return Hour(
                hour: hour, transfers: CountAmount(count: figures.transferCount, amount: figures.transferAmount),
                cash: CountAmount(count: figures.cashCount, amount: figures.cashAmount), owed: CountAmount(count: figures.debtCount, amount: figures.debtAmount))
        }
    }
}

struct ReportsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "summary", use: stallSummary)
    }

    @Sendable func stallSummary(req: Request) async throws -> StallSummaryDTO {
        let service = ReportService(database: req.db, user: try req.requireUser(), config: req.application.choSoConfig)
        let (day, byHour) = try await service.stallDay(stallID: req.parameters.get("stallId") ?? "", day: try req.dayQuery())
        return StallSummaryDTO(day: day, byHour: byHour)
    }
}
