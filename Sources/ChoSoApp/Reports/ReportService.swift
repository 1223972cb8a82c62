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

    static let badRange = AppError(
        status: .badRequest, code: "bad_range",
        message: LocalizedText(
            vi: "Khoảng ngày không hợp lệ: ngày bắt đầu phải trước ngày kết thúc và dài tối đa \(MarketReport.maximumDays) ngày",
            en: "The date range is not valid: it must start before it ends and span at most \(MarketReport.maximumDays) days"))

    private var today: Day { Day(Date(), in: config.timeZone) }
    private var sql: (any SQLDatabase)? { database as? any SQLDatabase }

    private func readableStall(_ stallID: String) async throws -> StallModel {
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        let decision = try await RegistryService(database: database, user: user).salesDecision(.read, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        return stall
    }

    /// The stall's figures of a business day (today when nil), by hour.
    func stallDay(stallID: String, day: Day?) async throws -> (day: String, byHour: [Int: RollupFigures]) {
        let stall = try await readableStall(stallID)
        let dayText = (day ?? today).iso
        return (dayText, try await hours(stallID: try stall.requireID(), day: dayText))
    }

    private func hours(stallID: UUID, day: String) async throws -> [Int: RollupFigures] {
        guard let sql else { return [:] }
        var byHour: [Int: RollupFigures] = [:]
        for row in try await sql.select().columns(["hour"] + RollupStore.counters).from(RollupStore.table)
            .where("stall_id", .equal, stallID).where("business_day", .equal, day).all() {
            byHour[try row.decode(column: "hour", as: Int.self)] = try Self.figures(row)
        }
        return byHour
    }

    static func figures(_ row: any SQLRow) throws -> RollupFigures {
        RollupStore.figures(try RollupStore.counters.map { try row.decode(column: $0, as: Int64.self) })
    }

    // MARK: The stall keeper's day close

    struct DayClose: Sendable {
        var stall: StallModel
        var day: Day
        var byHour: [Int: RollupFigures]
        var transfers: [TransferModel]
        var cash: [CashEntryModel]
        /// The 30 days up to `day`, oldest first.
        var recentDays: [(day: Day, figures: RollupFigures)]
    }

    func dayClose(stallID: String, day: Day?) async throws -> DayClose {
        let stall = try await readableStall(stallID)
        let uuid = try stall.requireID()
        let day = day ?? today
        let transfers = try await TransferModel.query(on: database).filter(\.$stallID == uuid).filter(\.$businessDay == day.iso)
            .sort(\.$receivedAt).all()
        let cash = try await CashEntryModel.query(on: database).filter(\.$stall.$id == uuid).filter(\.$businessDay == day.iso)
            .sort(\.$createdAt).all()
        let from = day.adding(days: -29)
        let daily = try await dailyFigures(stalls: .one(uuid), from: from, to: day)[uuid.uuidString] ?? [:]
        return DayClose(
            stall: stall, day: day, byHour: try await hours(stallID: uuid, day: day.iso), transfers: transfers, cash: cash,
            recentDays: Day.range(from, day).map { ($0, daily[$0] ?? RollupFigures()) })
    }

    // MARK: The market board's dashboard

    struct MarketFigures: Sendable {
        var market: MarketModel
        var report: MarketReport
    }

    /// The market's report for `from…to` (the last 30 days up to today when absent).
    func market(_ marketID: String, from: Day?, to: Day?) async throws -> MarketFigures {
        let (summary, profiles, range) = try await marketScope(marketID, from: from, to: to)
        let marketUUID = try summary.market.requireID()
        let daily = try await dailyFigures(stalls: .market(marketUUID), from: range.from, to: range.to)
        let lastDays = try await lastTransferDays(marketID: marketUUID, to: range.to)
        return MarketFigures(
            market: summary.market,
            report: MarketReport(from: range.from, to: range.to, stalls: profiles, daily: daily, lastTransferDays: lastDays))
    }

    /// The same report computed the naive way, from the raw transfers and cash entries with
    /// `GROUP BY`: what the rollups are measured against (`choso report market --compare`), and a
    /// check that they agree.
    func marketFromEntries(_ marketID: String, from: Day?, to: Day?) async throws -> MarketFigures {
        let (summary, profiles, range) = try await marketScope(marketID, from: from, to: to)
        let marketUUID = try summary.market.requireID()
        guard let sql else { throw AppError.notFound }
        var daily: [String: [Day: RollupFigures]] = [:]
        var lastDays: [String: Day] = [:]
        // Grouped the way `RollupFigures.transfer` counts: money in for a stall, not set aside.
        // (PostgreSQL sums BIGINT as NUMERIC: cast back.)
        let counted = "status NOT IN ('outgoing', 'unmatched') AND (resolution IS NULL OR resolution <> 'dismissed')"
        let monthStart = range.to.adding(days: -29)
        let first = min(range.from, monthStart)
        for row in try await sql.raw("""
            SELECT stall_id, business_day, COUNT(*) AS transfer_count, CAST(SUM(amount) AS BIGINT) AS transfer_amount,
                   SUM(CASE WHEN status = 'underpaid' THEN 1 ELSE 0 END) AS underpaid_count,
                   SUM(CASE WHEN status = 'overpaid' THEN 1 ELSE 0 END) AS overpaid_count,
                   SUM(CASE WHEN resolution = 'refund_due' THEN 1 ELSE 0 END) AS refund_due_count,
                   CAST(SUM(CASE WHEN resolution = 'refund_due' THEN amount ELSE 0 END) AS BIGINT) AS refund_due_amount
            FROM transfers
            WHERE market_id = \(bind: marketUUID) AND stall_id IS NOT NULL AND business_day >= \(bind: first.iso)
              AND business_day <= \(bind: range.to.iso) AND \(unsafeRaw: counted)
            GROUP BY stall_id, business_day
            """).all() {
            let stall = try row.decode(column: "stall_id", as: UUID.self).uuidString
            guard let day = Day(iso: try row.decode(column: "business_day", as: String.self)) else { continue }
            if day >= monthStart, lastDays[stall].map({ $0 < day }) ?? true { lastDays[stall] = day }
            guard day >= range.from else { continue }
            var figures = RollupFigures()
            figures.transferCount = try row.decode(column: "transfer_count", as: Int64.self)
            figures.transferAmount = try row.decode(column: "transfer_amount", as: Int64.self)
            figures.underpaidCount = try row.decode(column: "underpaid_count", as: Int64.self)
            figures.overpaidCount = try row.decode(column: "overpaid_count", as: Int64.self)
            figures.refundDueCount = try row.decode(column: "refund_due_count", as: Int64.self)
            figures.refundDueAmount = try row.decode(column: "refund_due_amount", as: Int64.self)
            daily[stall, default: [:]][day, default: RollupFigures()] = daily[stall, default: [:]][day, default: RollupFigures()] + figures
        }
        for row in try await sql.raw("""
            SELECT c.stall_id, c.business_day, c.kind, COUNT(*) AS entries, CAST(SUM(c.amount) AS BIGINT) AS amount
            FROM cash_entries c JOIN stalls s ON s.id = c.stall_id
            WHERE s.market_id = \(bind: marketUUID) AND c.business_day >= \(bind: range.from.iso) AND c.business_day <= \(bind: range.to.iso)
            GROUP BY c.stall_id, c.business_day, c.kind
            """).all() {
            let stall = try row.decode(column: "stall_id", as: UUID.self).uuidString
            guard let day = Day(iso: try row.decode(column: "business_day", as: String.self)) else { continue }
            var figures = RollupFigures()
            let count = try row.decode(column: "entries", as: Int64.self), amount = try row.decode(column: "amount", as: Int64.self)
            if try row.decode(column: "kind", as: String.self) == "debt" {
                (figures.debtCount, figures.debtAmount) = (count, amount)
            } else {
                (figures.cashCount, figures.cashAmount) = (count, amount)
            }
            daily[stall, default: [:]][day, default: RollupFigures()] = daily[stall, default: [:]][day, default: RollupFigures()] + figures
        }
        return MarketFigures(
            market: summary.market,
            report: MarketReport(from: range.from, to: range.to, stalls: profiles, daily: daily, lastTransferDays: lastDays))
    }

    /// The name of the unit a market belongs to today (its successor after a merger), for the
    /// place and date line of an exported report.
    func issuingPlace(of market: MarketModel) async throws -> String {
        let tree = try await UnitService(database: database).tree()
        return tree.current(market.unitID, on: today).first?.name ?? ""
    }

    /// Checks access and the range, and describes each active stall's QR board.
    private func marketScope(_ marketID: String, from: Day?, to: Day?) async throws
        -> (RegistryService.MarketSummary, [StallProfile], (from: Day, to: Day)) {
        let end = to ?? today
        let start = from ?? end.adding(days: -29)
        guard start <= end, start.daysThrough(end) <= MarketReport.maximumDays else { throw Self.badRange }
        let registry = RegistryService(database: database, user: user)
        let summary = try await registry.market(marketID)
        let records = try await registry.stalls(ofMarket: marketID)
        let stallIDs = try records.map { try $0.stall.requireID() }
        let prints = try await BoardPrintModel.query(on: database).filter(\.$stall.$id ~~ stallIDs).all()
        let profiles = try records.map { record -> StallProfile in
            // A board counts when it was printed for an account the stall still uses.
            let accounts = Set(try record.accounts.map { try $0.requireID() })
            let current = prints.filter { $0.$stall.id == record.stall.id && accounts.contains($0.accountID) }
            return StallProfile(
                id: try record.stall.requireID().uuidString, number: record.stall.number, name: record.stall.name, trade: record.stall.trade,
                hasBoard: !current.isEmpty, boardHandedOver: current.contains { $0.handedOverAt != nil })
        }
        return (summary, profiles, (start, end))
    }

    enum StallSet {
        case one(UUID)
        case market(UUID)
    }

    /// Daily rollup rows of one stall or a market's stalls over a range.
    private func dailyFigures(stalls: StallSet, from: Day, to: Day) async throws -> [String: [Day: RollupFigures]] {
        guard let sql else { return [:] }
        let columns = SQLRaw(RollupStore.counters.joined(separator: ", "))
        let filter: SQLQueryString = switch stalls {
        case .one(let stall): "stall_id = \(bind: stall)"
        case .market(let market): "stall_id IN (SELECT id FROM stalls WHERE market_id = \(bind: market))"
        }
        var daily: [String: [Day: RollupFigures]] = [:]
        for row in try await sql.raw("""
            SELECT stall_id, business_day, \(columns) FROM \(ident: RollupStore.dailyTable)
            WHERE \(filter) AND business_day >= \(bind: from.iso) AND business_day <= \(bind: to.iso)
            """).all() {
            guard let day = Day(iso: try row.decode(column: "business_day", as: String.self)) else { continue }
            daily[try row.decode(column: "stall_id", as: UUID.self).uuidString, default: [:]][day] = try Self.figures(row)
        }
        return daily
    }

    /// Per stall of the market, its last day with a transfer in the 30 days up to `to`.
    private func lastTransferDays(marketID: UUID, to: Day) async throws -> [String: Day] {
        guard let sql else { return [:] }
        var result: [String: Day] = [:]
        for row in try await sql.raw("""
            SELECT stall_id, MAX(business_day) AS last_day FROM \(ident: RollupStore.dailyTable)
            WHERE stall_id IN (SELECT id FROM stalls WHERE market_id = \(bind: marketID))
              AND business_day >= \(bind: to.adding(days: -29).iso) AND business_day <= \(bind: to.iso) AND transfer_count > 0
            GROUP BY stall_id
            """).all() {
            result[try row.decode(column: "stall_id", as: UUID.self).uuidString] = Day(iso: try row.decode(column: "last_day", as: String.self))
        }
        return result
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

/// `GET /api/v1/markets/{id}/summary?from=&to=`: the dashboard's figures.
struct MarketSummaryDTO: Content {
    typealias CountAmount = StallSummaryDTO.CountAmount

    struct Stalls: Content {
        var total: Int
        var withQrBoard: Int
        var qrBoardHandedOver: Int
        var activeLast7Days: Int
        var activeLast30Days: Int
    }

    struct StallLine: Content {
        var id: String
        var number: String
        var name: String
        var hasQrBoard: Bool
        var qrBoardHandedOver: Bool
        var transfers: CountAmount
        var cash: CountAmount
        var owed: CountAmount
        var cashlessShare: Double?
        var lastTransferDate: String?
    }

    struct DayLine: Content {
        var date: String
        var stallsWithTransfers: Int
        var transfers: CountAmount
        var cash: CountAmount
        var owed: CountAmount
        var cashlessShare: Double?
    }

    var marketId: String
    var marketName: String
    var kind: String
    var from: String
    var to: String
    var stalls: Stalls
    var transfers: CountAmount
    var cash: CountAmount
    var owed: CountAmount
    var underpaidCount: Int64
    var overpaidCount: Int64
    var refundDue: CountAmount
    /// Transfers ÷ (transfers + cash sales), 0–1 with four decimals; null when nothing was sold.
    var cashlessShare: Double?
    var topStallIds: [String]
    var inactiveStallIds: [String]
    var byStall: [StallLine]
    var byDay: [DayLine]

    init(_ figures: ReportService.MarketFigures) {
        let report = figures.report
        marketId = figures.market.id?.uuidString ?? ""
        marketName = figures.market.name
        kind = figures.market.kind
        from = report.from.iso
        to = report.to.iso
        stalls = Stalls(
            total: report.stallCount, withQrBoard: report.withBoard, qrBoardHandedOver: report.boardHandedOver,
            activeLast7Days: report.activeLast7Days, activeLast30Days: report.activeLast30Days)
        (transfers, cash, owed) = Self.money(report.totals)
        underpaidCount = report.totals.underpaidCount
        overpaidCount = report.totals.overpaidCount
        refundDue = CountAmount(count: report.totals.refundDueCount, amount: report.totals.refundDueAmount)
        cashlessShare = Self.rounded(report.share)
        topStallIds = report.top.map(\.profile.id)
        inactiveStallIds = report.inactive.map(\.profile.id)
        byStall = report.stalls.map { line in
            let (transfers, cash, owed) = Self.money(line.figures)
            return StallLine(
                id: line.profile.id, number: line.profile.number, name: line.profile.name, hasQrBoard: line.profile.hasBoard,
                qrBoardHandedOver: line.profile.boardHandedOver, transfers: transfers, cash: cash, owed: owed,
                cashlessShare: Self.rounded(line.share), lastTransferDate: line.lastTransferDay?.iso)
        }
        byDay = report.days.map { line in
            let (transfers, cash, owed) = Self.money(line.figures)
            return DayLine(
                date: line.day.iso, stallsWithTransfers: line.stallsWithTransfers, transfers: transfers, cash: cash, owed: owed,
                cashlessShare: Self.rounded(line.share))
        }
    }

    static func money(_ figures: RollupFigures) -> (CountAmount, CountAmount, CountAmount) {
        (CountAmount(count: figures.transferCount, amount: figures.transferAmount),
         CountAmount(count: figures.cashCount, amount: figures.cashAmount),
         CountAmount(count: figures.debtCount, amount: figures.debtAmount))
    }

    static func rounded(_ share: CashlessShare) -> Double? {
        share.fraction.map { ($0 * 10_000).rounded() / 10_000 }
    }
}

struct ReportsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "summary", use: stallSummary)
        routes.get("markets", ":marketId", "summary", use: marketSummary)
    }

    @Sendable func stallSummary(req: Request) async throws -> StallSummaryDTO {
        let (day, byHour) = try await req.reports.stallDay(stallID: req.parameters.get("stallId") ?? "", day: try req.dayQuery())
        return StallSummaryDTO(day: day, byHour: byHour)
    }

    @Sendable func marketSummary(req: Request) async throws -> MarketSummaryDTO {
        MarketSummaryDTO(try await req.reports.market(req.parameters.get("marketId") ?? "", from: try req.dayQuery("from"), to: try req.dayQuery("to")))
    }
}

extension Request {
    var reports: ReportService {
        get throws { ReportService(database: db, user: try requireUser(), config: application.choSoConfig) }
    }
}
