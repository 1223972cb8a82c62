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
            byHour[try row.decode(column: "hour", as: Int.self)] = try RollupStore.figures(row)
        }
        return byHour
    }

    // MARK: The stall keeper's day close

    struct DayClose: Sendable {
        var stall: StallModel
        var day: Day
        var byHour: [Int: RollupFigures]
        var transfers: [TransferModel]
        var cash: [CashEntryModel]
        /// The requests the day's transfers paid, as they stand now (an under-payment may have
        /// been completed later).
        var requestStatus: [UUID: String]
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
        let daily = try await RollupStore.daily(stallID: uuid, from: from, to: day, on: database)
        let requestStatus = try await PaymentRequestModel.statuses(of: transfers, on: database)
        return DayClose(
            stall: stall, day: day, byHour: try await hours(stallID: uuid, day: day.iso), transfers: transfers, cash: cash,
            requestStatus: requestStatus,
            recentDays: Day.range(from, day).map { ($0, daily[$0] ?? RollupFigures()) })
    }

    // MARK: The market board's dashboard

    struct MarketFigures: Sendable {
        var market: MarketModel
        var report: MarketReport
    }

    /// The market's report for `from…to` (the last 30 days up to today when absent), from the
    /// daily rollups: the sums are made by the database, one row per stall and one per day.
    func market(_ marketID: String, from: Day?, to: Day?) async throws -> MarketFigures {
        try await marketReport(marketID, from: from, to: to, source: .rollups)
    }

    /// The same report computed the naive way, by `GROUP BY` over the raw transfers and cash
    /// entries (through their stall-and-day indexes, so not a strawman): what the rollups are
    /// measured against (`choso report market --compare`), and a check that they agree.
    func marketFromEntries(_ marketID: String, from: Day?, to: Day?) async throws -> MarketFigures {
        try await marketReport(marketID, from: from, to: to, source: .entries)
    }

    enum FigureSource { case rollups, entries }

    private func marketReport(_ marketID: String, from: Day?, to: Day?, source: FigureSource) async throws -> MarketFigures {
        let end = to ?? today
        let start = from ?? end.adding(days: -29)
        guard start <= end, start.daysThrough(end) <= MarketReport.maximumDays else { throw Self.badRange }
        let market = try await RegistryService(database: database, user: user).readableMarket(marketID)
        guard let sql else { throw AppError.notFound }
        let scope = MarketScope(marketID: try market.requireID(), from: start, to: end, countersAsArray: sql.dialect.name == "postgresql")
        // The stalls and the sums do not depend on each other: ask for all of them at once.
        async let stallRows = stallProfiles(scope, withLastTransferDay: source == .rollups, on: sql)
        let results = try await withThrowingTaskGroup(of: (MarketScope.Grouping, [any SQLRow]).self) { group in
            for query in source == .rollups ? scope.rollupQueries : scope.entryQueries {
                group.addTask { (query.grouping, try await sql.raw(query.sql).all()) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var byStall: [String: RollupFigures] = [:]
        var byDay: [Day: (figures: RollupFigures, stallsWithTransfers: Int)] = [:]
        for (grouping, rows) in results {
            for row in rows {
                let figures = try RollupStore.figures(row)
                if grouping != .day {
                    let stall = try row.decode(column: "stall_id", as: UUID.self).uuidString
                    byStall[stall] = (byStall[stall] ?? RollupFigures()) + figures
                }
                if grouping != .stall {
                    guard let day = Day(iso: try row.decode(column: "business_day", as: String.self)) else { continue }
                    let stalls = grouping == .stallDay ? (figures.transferCount > 0 ? 1 : 0)
                        : row.contains(column: "stalls_with_transfers") ? try row.decode(column: "stalls_with_transfers", as: Int.self) : 0
                    let known = byDay[day] ?? (RollupFigures(), 0)
                    byDay[day] = (known.figures + figures, known.stallsWithTransfers + stalls)
                }
            }
        }
        let (profiles, rollupLastDays) = try await stallRows
        var lastDays = rollupLastDays
        if source == .entries {
            for row in try await sql.raw(scope.lastTransferFromEntries).all() {
                lastDays[try row.decode(column: "stall_id", as: UUID.self).uuidString] = Day(iso: try row.decode(column: "last_day", as: String.self))
            }
        }
        return MarketFigures(
            market: market,
            report: MarketReport(from: start, to: end, stalls: profiles, byStall: byStall, byDay: byDay, lastTransferDays: lastDays))
    }

    /// The name of the unit a market belongs to today (its successor after a merger), for the
    /// place and date line of an exported report.
    func issuingPlace(of market: MarketModel) async throws -> String {
        let tree = try await UnitService(database: database).tree()
        return tree.current(market.unitID, on: today).first?.name ?? ""
    }

    /// Every stall of the market with its QR board's state, in one query: a board counts when it
    /// was printed for an account the stall still uses. With the rollups, also each stall's last
    /// day with a transfer in the 30 days up to the end: one backward step in the daily table's
    /// (stall, day) order per stall, instead of grouping 30 days of rows.
    private func stallProfiles(
        _ scope: MarketScope, withLastTransferDay: Bool, on sql: any SQLDatabase
    ) async throws -> (profiles: [StallProfile], lastTransferDays: [String: Day]) {
        let board = "SELECT 1 FROM board_prints p JOIN receiving_accounts a ON a.id = p.account_id WHERE p.stall_id = s.id AND a.active_kind IS NOT NULL"
        let lastDay: SQLQueryString = withLastTransferDay ? """
            , (SELECT d.business_day FROM \(ident: RollupStore.dailyTable) d WHERE d.stall_id = s.id AND d.business_day >= \(bind: scope.to.adding(days: -29).iso)
               AND d.business_day <= \(bind: scope.to.iso) AND d.transfer_count > 0 ORDER BY d.business_day DESC LIMIT 1) AS last_day
            """ : ""
        var lastDays: [String: Day] = [:]
        let profiles = try await sql.raw("""
            SELECT s.id, s.number, s.name, s.trade, s.is_active,
                   CASE WHEN EXISTS (\(unsafeRaw: board)) THEN 1 ELSE 0 END AS has_board,
                   CASE WHEN EXISTS (\(unsafeRaw: board) AND p.handed_over_at IS NOT NULL) THEN 1 ELSE 0 END AS handed_over
                   \(lastDay)
            FROM stalls s WHERE s.market_id = \(bind: scope.marketID)
            """).all().map { row in
            let id = try row.decode(column: "id", as: UUID.self).uuidString
            if withLastTransferDay, let day = try row.decode(column: "last_day", as: String?.self).flatMap(Day.init(iso:)) { lastDays[id] = day }
            return StallProfile(
                id: id, number: try row.decode(column: "number", as: String.self),
                name: try row.decode(column: "name", as: String.self), trade: try row.decode(column: "trade", as: String?.self),
                hasBoard: try row.decode(column: "has_board", as: Int.self) == 1, boardHandedOver: try row.decode(column: "handed_over", as: Int.self) == 1,
                isOpen: try row.decode(column: "is_active", as: Bool.self))
        }
        return (profiles, lastDays)
    }

    /// The market report's queries, over the rollups or over the raw entries.
    struct MarketScope {
        /// What a query's rows are per: a stall over the range, a day over the stalls, or — for a
        /// one-day report, where both are the same rows — a stall on a day.
        enum Grouping { case stall, day, stallDay }
        var marketID: UUID
        var from: Day
        var to: Day
        /// PostgreSQL returns the ten counters as one `bigint[]`: decoding a row's columns one by
        /// one costs more than the query itself there (a dynamic cast per value).
        var countersAsArray = false

        private var stalls: SQLQueryString { "stall_id IN (SELECT id FROM stalls WHERE market_id = \(bind: marketID))" }
        private var range: SQLQueryString { "business_day >= \(bind: from.iso) AND business_day <= \(bind: to.iso)" }
        private var month: SQLQueryString { "business_day >= \(bind: to.adding(days: -29).iso) AND business_day <= \(bind: to.iso)" }
        /// PostgreSQL sums BIGINT as NUMERIC: cast back.
        private static func sum(_ expression: String) -> String { "CAST(SUM(\(expression)) AS BIGINT)" }
        private static func sum(_ expression: String, as name: String) -> String { "\(sum(expression)) AS \(name)" }
        /// Money in for a stall, not set aside: `RollupFigures.countsAsTakings` in SQL.
        private static let counted = "status NOT IN ('outgoing', 'unmatched') AND (resolution IS NULL OR resolution <> 'dismissed')"
        /// What goes back to the customer: `Refund.amount` in SQL.
        private static let refund = """
            (CASE WHEN resolution IN ('refund_due', 'refunded') THEN \
            (CASE WHEN status = 'overpaid' AND difference > 0 AND difference < amount THEN difference ELSE amount END) ELSE 0 END)
            """
        private static let transferSums = [
            sum("CASE WHEN amount - \(refund) > 0 THEN 1 ELSE 0 END", as: "transfer_count"), sum("amount - \(refund)", as: "transfer_amount"),
            sum("CASE WHEN status = 'underpaid' THEN 1 ELSE 0 END", as: "underpaid_count"),
            sum("CASE WHEN status = 'overpaid' THEN 1 ELSE 0 END", as: "overpaid_count"),
            sum("CASE WHEN resolution = 'refund_due' THEN 1 ELSE 0 END", as: "refund_due_count"),
            sum("CASE WHEN resolution = 'refund_due' THEN \(refund) ELSE 0 END", as: "refund_due_amount"),
        ].joined(separator: ", ")
        private static let cashSums = [
            sum("CASE WHEN kind = 'debt' THEN 0 ELSE 1 END", as: "cash_count"), sum("CASE WHEN kind = 'debt' THEN 0 ELSE amount END", as: "cash_amount"),
            sum("CASE WHEN kind = 'debt' THEN 1 ELSE 0 END", as: "debt_count"), sum("CASE WHEN kind = 'debt' THEN amount ELSE 0 END", as: "debt_amount"),
        ].joined(separator: ", ")

        private var isOneDay: Bool { from == to }

        /// The counter columns, or their sums, as separate columns or as one array.
        private func counters(summed: Bool) -> String {
            let expressions = RollupStore.counters.map { summed ? Self.sum($0) : $0 }
            guard countersAsArray else { return zip(expressions, RollupStore.counters).map { "\($0) AS \($1)" }.joined(separator: ", ") }
            return "ARRAY[\(expressions.joined(separator: ", "))]::BIGINT[] AS \(RollupStore.countersArray)"
        }

        var rollupQueries: [(grouping: Grouping, sql: SQLQueryString)] {
            let sums = counters(summed: true)
            let table = SQLIdentifier(RollupStore.dailyTable)
            if isOneDay {
                return [(.stallDay, "SELECT stall_id, business_day, \(unsafeRaw: counters(summed: false)) FROM \(table) WHERE \(stalls) AND \(range)")]
            }
            return [
                (.stall, "SELECT stall_id, \(unsafeRaw: sums) FROM \(table) WHERE \(stalls) AND \(range) GROUP BY stall_id"),
                (.day, """
                    SELECT business_day, \(unsafeRaw: sums), \(unsafeRaw: Self.sum("CASE WHEN transfer_count > 0 THEN 1 ELSE 0 END", as: "stalls_with_transfers"))
                    FROM \(table) WHERE \(stalls) AND \(range) GROUP BY business_day
                    """),
            ]
        }

        var entryQueries: [(grouping: Grouping, sql: SQLQueryString)] {
            if isOneDay {
                return [
                    (.stallDay, "SELECT stall_id, business_day, \(unsafeRaw: Self.transferSums) FROM transfers WHERE \(stalls) AND \(range) AND \(unsafeRaw: Self.counted) GROUP BY stall_id, business_day"),
                    (.stallDay, "SELECT stall_id, business_day, \(unsafeRaw: Self.cashSums) FROM cash_entries WHERE voided_at IS NULL AND \(stalls) AND \(range) GROUP BY stall_id, business_day"),
                ]
            }
            return [
                (.stall, "SELECT stall_id, \(unsafeRaw: Self.transferSums) FROM transfers WHERE \(stalls) AND \(range) AND \(unsafeRaw: Self.counted) GROUP BY stall_id"),
                (.day, """
                    SELECT business_day, \(unsafeRaw: Self.transferSums), COUNT(DISTINCT stall_id) AS stalls_with_transfers
                    FROM transfers WHERE \(stalls) AND \(range) AND \(unsafeRaw: Self.counted) GROUP BY business_day
                    """),
                (.stall, "SELECT stall_id, \(unsafeRaw: Self.cashSums) FROM cash_entries WHERE voided_at IS NULL AND \(stalls) AND \(range) GROUP BY stall_id"),
                (.day, "SELECT business_day, \(unsafeRaw: Self.cashSums) FROM cash_entries WHERE voided_at IS NULL AND \(stalls) AND \(range) GROUP BY business_day"),
            ]
        }

        var lastTransferFromEntries: SQLQueryString {
            "SELECT stall_id, MAX(business_day) AS last_day FROM transfers WHERE \(stalls) AND \(month) AND \(unsafeRaw: Self.counted) GROUP BY stall_id"
        }
    }
}

/// `GET /api/v1/stalls/{id}/summary?date=YYYY-MM-DD` (DESIGN.md §6).
struct StallSummaryDTO: Content {
    struct CountAmount: Content, Equatable {
        var count: Int64
        var amount: Int64

        /// Transfers, cash sales and debts of the figures.
        static func money(_ figures: RollupFigures) -> (transfers: CountAmount, cash: CountAmount, owed: CountAmount) {
            (CountAmount(count: figures.transferCount, amount: figures.transferAmount),
             CountAmount(count: figures.cashCount, amount: figures.cashAmount),
             CountAmount(count: figures.debtCount, amount: figures.debtAmount))
        }
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
        (transfers, cash, owed) = CountAmount.money(total)
        underpaidCount = total.underpaidCount
        overpaidCount = total.overpaidCount
        refundDue = CountAmount(count: total.refundDueCount, amount: total.refundDueAmount)
        byHour = (0..<24).map { hour in
            let (transfers, cash, owed) = CountAmount.money(figures[hour] ?? RollupFigures())
            return Hour(hour: hour, transfers: transfers, cash: cash, owed: owed)
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
        @ExplicitNull var cashlessShare: Double?
        @ExplicitNull var lastTransferDate: String?
    }

    struct DayLine: Content {
        var date: String
        var stallsWithTransfers: Int
        var transfers: CountAmount
        var cash: CountAmount
        var owed: CountAmount
        @ExplicitNull var cashlessShare: Double?
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
    @ExplicitNull var cashlessShare: Double?
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
        (transfers, cash, owed) = CountAmount.money(report.totals)
        underpaidCount = report.totals.underpaidCount
        overpaidCount = report.totals.overpaidCount
        refundDue = CountAmount(count: report.totals.refundDueCount, amount: report.totals.refundDueAmount)
        cashlessShare = Self.rounded(report.share)
        topStallIds = report.top.map(\.profile.id)
        inactiveStallIds = report.inactive.map(\.profile.id)
        byStall = report.stalls.map { line in
            let (transfers, cash, owed) = CountAmount.money(line.figures)
            return StallLine(
                id: line.profile.id, number: line.profile.number, name: line.profile.name, hasQrBoard: line.profile.hasBoard,
                qrBoardHandedOver: line.profile.boardHandedOver, transfers: transfers, cash: cash, owed: owed,
                cashlessShare: Self.rounded(line.share), lastTransferDate: line.lastTransferDay?.iso)
        }
        byDay = report.days.map { line in
            let (transfers, cash, owed) = CountAmount.money(line.figures)
            return DayLine(
                date: line.day.iso, stallsWithTransfers: line.stallsWithTransfers, transfers: transfers, cash: cash, owed: owed,
                cashlessShare: Self.rounded(line.share))
        }
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
