import ChoSoCore
import Spreadsheet
import Vapor

/// The stall keeper's day close ("Chốt sổ") and the market board's dashboard with its exports.
struct ReportsWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "close", use: dayClose)
        routes.get("markets", ":marketId", "dashboard", use: dashboard)
        routes.get("markets", ":marketId", "report.csv", use: exportCSV)
        routes.get("markets", ":marketId", "report.xlsx", use: exportXLSX)
    }

    struct Tile: Encodable, Sendable {
        var label: String
        var value: String
        var detail: String?
    }

    struct Row: Encodable, Sendable {
        var time: String
        var kind: String
        var kindClass: String
        var amount: String
        var who: String
        var status: String
        var reason: String?
    }

    struct DayRow: Encodable, Sendable {
        var date: String
        var link: String?
        var transfers: String
        var cash: String
        var owed: String
        var share: String
    }

    struct DayCloseContent: Encodable, Sendable {
        var stallId: String
        var stallNumber: String
        var stallName: String
        var marketName: String
        var date: String
        var dateISO: String
        var previousDay: String
        var nextDay: String?
        var tiles: [Tile]
        var hourChart: String
        var doubtful: [Row]
        var hasDoubtful: Bool
        var entries: [Row]
        var hasEntries: Bool
        var last7: [DayRow]
        var monthChart: String
        var monthTotal: [Tile]
    }

    @Sendable func dayClose(req: Request) async throws -> Response {
        let close = try await req.reports.dayClose(stallID: req.parameters.get("stallId") ?? "", day: try req.dayQuery())
        let language = req.language
        let timeZone = req.application.choSoConfig.timeZone
        let clock = CashierWebController.clock(timeZone)
        let day = close.byHour.values.reduce(RollupFigures(), +)
        let stallID = try close.stall.requireID().uuidString
        let tiles = Self.moneyTiles(day, language) + [
            Tile(label: LocalizedText(vi: "Tổng thu", en: "Total taken").text(in: language), value: Money(dong: day.transferAmount + day.cashAmount).formatted),
            Tile(label: LocalizedText(vi: "Không dùng tiền mặt", en: "Cashless").text(in: language), value: CashlessShare(day).text),
        ] + (day.refundDueAmount > 0 ? [
            // Shown apart: owed back to customers, not part of the takings above.
            Tile(label: LocalizedText(vi: "Cần hoàn lại khách (không tính vào thu)", en: "Refunds due (not takings)").text(in: language),
                 value: Money(dong: day.refundDueAmount).formatted),
        ] : [])
        let hourChart = BarChart(
            title: LocalizedText(vi: "Tiền thu theo giờ (chuyển khoản và tiền mặt)", en: "Takings by hour (transfers and cash)").text(in: language),
            bars: (5...21).map { hour in
                let figures = close.byHour[hour] ?? RollupFigures()
                let total = figures.transferAmount + figures.cashAmount
                return BarChart.Bar(label: "\(hour)h", value: total, title: "\(hour):00 — \(Money(dong: total).formatted)", valueLabel: BarChart.compactDong(total))
            }, width: 400, height: 220,
            valueAxis: LocalizedText(vi: "đồng (k = nghìn, tr = triệu)", en: "đồng (k = thousand, tr = million)").text(in: language),
            categoryAxis: LocalizedText(vi: "giờ trong ngày", en: "hour of the day").text(in: language)).svg
        let settled = { (transfer: TransferModel) -> Bool in
            RequestSettlement.isSettled(transferStatus: transfer.status, requestStatus: transfer.paymentRequestID.flatMap { close.requestStatus[$0] })
        }
        let transferRow = { (transfer: TransferModel, kind: String) -> Row in
            let counted = RollupFigures.countsAsTakings(status: TransferStatus(rawValue: transfer.status), resolution: transfer.resolution)
            let status = Self.transferStatus(transfer).text(in: language)
            return Row(
                time: clock.string(from: transfer.effectiveTime), kind: kind,
                kindClass: !counted ? "dismissed" : settled(transfer) ? "paid" : transfer.status,
                amount: Money(dong: transfer.amount).formatted, who: transfer.counterAccountName ?? "",
                status: settled(transfer) ? status + " — " + RequestSettlement.settledNote.text(in: language) : status,
                reason: transfer.reason.text(in: language))
        }
        let transferKind = LocalizedText(vi: "Chuyển khoản", en: "Transfer").text(in: language)
        var entries: [(Date, Row)] = close.transfers.map { ($0.effectiveTime, transferRow($0, transferKind)) }
        entries += close.cash.map { entry in
            let debt = entry.kind == "debt"
            // A voided entry stays on the list, struck through, with why; it counts nowhere.
            let voided = entry.voidReason.map { LocalizedText(vi: "Đã huỷ: \($0)", en: "Void: \($0)").text(in: language) }
            return (entry.createdAt, Row(
                time: clock.string(from: entry.createdAt),
                kind: (debt ? LocalizedText(vi: "Khách nợ", en: "Owed") : LocalizedText(vi: "Tiền mặt", en: "Cash")).text(in: language),
                kindClass: entry.isVoided ? "voided" : debt ? "debt" : "cash", amount: Money(dong: entry.amount).formatted,
                who: [entry.customerName, entry.note].compactMap { $0 }.joined(separator: " · "), status: entry.isVoided ? (voided ?? "") : "", reason: nil))
        }
        let doubtfulStatuses: Set<String> = ["underpaid", "overpaid", "late", "duplicate_payment"]
        let doubtful = close.transfers.filter { (doubtfulStatuses.contains($0.status) && !settled($0)) || $0.resolution == "refund_due" }
            .map { transferRow($0, "") }
        let month = close.recentDays.reduce(RollupFigures()) { $0 + $1.figures }
        let content = DayCloseContent(
            stallId: stallID, stallNumber: close.stall.number, stallName: close.stall.name, marketName: close.stall.market.name,
            date: close.day.vietnamese, dateISO: close.day.iso, previousDay: close.day.adding(days: -1).iso,
            nextDay: close.day < Day(Date(), in: timeZone) ? close.day.adding(days: 1).iso : nil,
            tiles: tiles, hourChart: hourChart, doubtful: doubtful, hasDoubtful: !doubtful.isEmpty,
            entries: entries.sorted { $0.0 < $1.0 }.map(\.1), hasEntries: !entries.isEmpty,
            last7: close.recentDays.suffix(7).reversed().map { Self.dayRow($0.day, $0.figures, link: "/stalls/\(stallID)/close?date=\($0.day.iso)") },
            monthChart: Self.trendChart(close.recentDays.map { ($0.day, $0.figures.transferAmount + $0.figures.cashAmount) },
                                        title: LocalizedText(vi: "Tiền thu 30 ngày qua", en: "Takings over the last 30 days").text(in: language), language: language),
            monthTotal: Self.moneyTiles(month, language))
        return try await req.renderPage(
            "close", title: .init(vi: "Chốt sổ quầy \(close.stall.number) — \(close.day.vietnamese)", en: "Day close, stall \(close.stall.number) — \(close.day.vietnamese)"),
            content)
    }

    static func transferStatus(_ transfer: TransferModel) -> LocalizedText {
        switch transfer.resolution {
        case "refund_due": LocalizedText(vi: "Cần hoàn lại khách", en: "Refund due")
        case "refunded": LocalizedText(vi: "Đã hoàn lại khách", en: "Refunded")
        case "dismissed": LocalizedText(vi: "Đã gạt ra", en: "Set aside")
        default: IntakeWebController.statusLabel(transfer.status)
        }
    }

    static func moneyTiles(_ figures: RollupFigures, _ language: Language) -> [Tile] {
        [
            Tile(label: LocalizedText(vi: "Chuyển khoản", en: "Transfers").text(in: language), value: Money(dong: figures.transferAmount).formatted,
                 detail: countText(figures.transferCount, language)),
            Tile(label: LocalizedText(vi: "Tiền mặt", en: "Cash").text(in: language), value: Money(dong: figures.cashAmount).formatted,
                 detail: countText(figures.cashCount, language)),
            Tile(label: LocalizedText(vi: "Khách nợ", en: "Owed").text(in: language), value: Money(dong: figures.debtAmount).formatted,
                 detail: countText(figures.debtCount, language)),
        ]
    }

    static func countText(_ count: Int64, _ language: Language) -> String {
        "\(count) " + LocalizedText(vi: "lần", en: count == 1 ? "entry" : "entries").text(in: language)
    }

    static func dayRow(_ day: Day, _ figures: RollupFigures, link: String?) -> DayRow {
        DayRow(
            date: day.vietnamese, link: link, transfers: Money(dong: figures.transferAmount).formatted, cash: Money(dong: figures.cashAmount).formatted,
            owed: Money(dong: figures.debtAmount).formatted, share: CashlessShare(figures).text)
    }

    static func trendChart(_ values: [(Day, Int64)], title: String, language: Language) -> String {
        BarChart(title: title, bars: values.map { day, value in
            BarChart.Bar(label: String(day.vietnamese.prefix(5)), value: value, title: "\(day.vietnamese) — \(Money(dong: value).formatted)",
                         valueLabel: BarChart.compactDong(value))
        }, width: 480, height: 240,
        valueAxis: LocalizedText(vi: "đồng (k = nghìn, tr = triệu)", en: "đồng (k = thousand, tr = million)").text(in: language),
        categoryAxis: LocalizedText(vi: "ngày", en: "day").text(in: language)).svg
    }

    // MARK: The market board's dashboard

    struct StallRow: Encodable, Sendable {
        var id: String
        var number: String
        var name: String
        var board: String
        var transfers: String
        var transferCount: Int64
        var cash: String
        var share: String
        var lastTransfer: String
    }

    struct DashboardContent: Encodable, Sendable {
        var marketId: String
        var marketName: String
        var isStreet: Bool
        var from: String
        var to: String
        var fromISO: String
        var toISO: String
        var period: String
        var share: String
        var shareWidth: Int
        var stallTiles: [Tile]
        var moneyTiles: [Tile]
        var trendChart: String
        var funnelChart: String
        var topChart: String
        var top: [StallRow]
        var hasTop: Bool
        var inactive: [StallRow]
        var hasInactive: Bool
        var stalls: [StallRow]
        var days: [DayRow]
        var quickRanges: [QuickRange]
        var exportQuery: String
    }

    struct QuickRange: Encodable, Sendable {
        var label: String
        var query: String
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let figures = try await req.reports.market(req.parameters.get("marketId") ?? "", from: try req.dayQuery("from"), to: try req.dayQuery("to"))
        let report = figures.report
        let language = req.language
        let marketID = try figures.market.requireID().uuidString
        let today = Day(Date(), in: req.application.choSoConfig.timeZone)
        let stallRow = { (line: MarketReport.StallLine) -> StallRow in
            StallRow(
                id: line.profile.id, number: line.profile.number, name: line.profile.name,
                board: (line.profile.boardHandedOver ? LocalizedText(vi: "Đã bàn giao", en: "Handed over")
                    : line.profile.hasBoard ? LocalizedText(vi: "Đã in", en: "Printed") : LocalizedText(vi: "Chưa có", en: "None")).text(in: language),
                transfers: Money(dong: line.figures.transferAmount).formatted, transferCount: line.figures.transferCount,
                cash: Money(dong: line.figures.cashAmount).formatted, share: line.share.text,
                lastTransfer: line.lastTransferDay?.vietnamese ?? LocalizedText(vi: "không có trong 30 ngày", en: "none in 30 days").text(in: language))
        }
        let ofTotal = { (value: Int) in report.stallCount > 0 ? "\(value * 100 / report.stallCount) %" : "—" }
        // Each stall figure: its tile's label, the chart's short label, the number.
        let stallFigures: [(label: LocalizedText, short: LocalizedText, value: Int)] = [
            (LocalizedText(vi: "Số quầy", en: "Stalls"), LocalizedText(vi: "Tổng", en: "All"), report.stallCount),
            (LocalizedText(vi: "Có bảng QR", en: "With a QR board"), LocalizedText(vi: "QR", en: "QR"), report.withBoard),
            (LocalizedText(vi: "Đã bàn giao bảng QR", en: "QR board handed over"), LocalizedText(vi: "Bàn giao", en: "Handed"), report.boardHandedOver),
            (LocalizedText(vi: "Có chuyển khoản trong 7 ngày", en: "Transfer in the last 7 days"), LocalizedText(vi: "7 ngày", en: "7 days"), report.activeLast7Days),
            (LocalizedText(vi: "Có chuyển khoản trong 30 ngày", en: "Transfer in the last 30 days"), LocalizedText(vi: "30 ngày", en: "30 days"), report.activeLast30Days),
        ]
        let stallTiles = stallFigures.enumerated().map { index, figure in
            Tile(label: figure.label.text(in: language), value: String(figure.value), detail: index == 0 ? nil : ofTotal(figure.value))
        }
        let stallsLabel = LocalizedText(vi: "quầy", en: "stalls").text(in: language)
        let funnel = BarChart(
            title: LocalizedText(vi: "Quầy: có QR, đã bàn giao, có chuyển khoản", en: "Stalls: with QR, handed over, receiving transfers").text(in: language),
            bars: stallFigures.map { figure in
                BarChart.Bar(label: figure.short.text(in: language), value: Int64(figure.value), title: "\(figure.label.text(in: language)): \(figure.value) \(stallsLabel)")
            }, width: 400, height: 240, valueAxis: LocalizedText(vi: "số quầy", en: "number of stalls").text(in: language)).svg
        let top = report.top
        let topChart = BarChart(
            title: LocalizedText(vi: "Quầy nhận chuyển khoản nhiều nhất", en: "Stalls taking most by transfer").text(in: language),
            bars: top.map { BarChart.Bar(label: $0.profile.number, value: $0.figures.transferAmount, title: "\($0.profile.number) \($0.profile.name) — \(Money(dong: $0.figures.transferAmount).formatted)", valueLabel: BarChart.compactDong($0.figures.transferAmount)) },
            width: 400, height: 240,
            valueAxis: LocalizedText(vi: "đồng chuyển khoản (k = nghìn, tr = triệu)", en: "đồng by transfer (k = thousand, tr = million)").text(in: language),
            categoryAxis: LocalizedText(vi: "số quầy", en: "stall number").text(in: language)).svg
        let period = report.from == report.to ? report.from.vietnamese : "\(report.from.vietnamese) – \(report.to.vietnamese)"
        let range = "from=\(report.from.iso)&to=\(report.to.iso)"
        let content = DashboardContent(
            marketId: marketID, marketName: figures.market.name, isStreet: figures.market.kind == MarketKind.street.rawValue,
            from: report.from.vietnamese, to: report.to.vietnamese, fromISO: report.from.iso, toISO: report.to.iso, period: period,
            share: report.share.text, shareWidth: (report.share.permille ?? 0) / 10,
            stallTiles: stallTiles,
            moneyTiles: Self.moneyTiles(report.totals, language),
            trendChart: Self.trendChart(report.days.map { ($0.day, $0.figures.transferAmount) },
                                        title: LocalizedText(vi: "Tiền chuyển khoản theo ngày", en: "Transfers by day").text(in: language), language: language),
            funnelChart: funnel, topChart: topChart, top: top.map(stallRow), hasTop: !top.isEmpty,
            inactive: report.inactive.map(stallRow), hasInactive: !report.inactive.isEmpty,
            stalls: report.stalls.map(stallRow),
            days: report.days.reversed().map { Self.dayRow($0.day, $0.figures, link: nil) },
            quickRanges: [
                QuickRange(label: LocalizedText(vi: "Hôm nay", en: "Today").text(in: language), query: "from=\(today.iso)&to=\(today.iso)"),
                QuickRange(label: LocalizedText(vi: "7 ngày", en: "7 days").text(in: language), query: "from=\(today.adding(days: -6).iso)&to=\(today.iso)"),
                QuickRange(label: LocalizedText(vi: "30 ngày", en: "30 days").text(in: language), query: "from=\(today.adding(days: -29).iso)&to=\(today.iso)"),
            ],
            exportQuery: range)
        return try await req.renderPage(
            "dashboard", title: .init(vi: "Số liệu — \(figures.market.name)", en: "Figures — \(figures.market.name)"), content)
    }

    // MARK: Exports

    static let badTable = AppError(
        status: .badRequest, code: "bad_table",
        message: LocalizedText(vi: "Bảng xuất phải là stalls (theo quầy) hoặc days (theo ngày)", en: "The table to export must be stalls or days"))

    private func sheet(_ req: Request) async throws -> (ReportSheet, String) {
        let table = req.query[String.self, at: "table"] ?? "stalls"
        guard table == "stalls" || table == "days" else { throw Self.badTable }
        let reports = try req.reports
        let figures = try await reports.market(req.parameters.get("marketId") ?? "", from: try req.dayQuery("from"), to: try req.dayQuery("to"))
        let issued = Day(Date(), in: req.application.choSoConfig.timeZone)
        let issuer = "Ban quản lý \(figures.market.kind == MarketKind.street.rawValue ? "" : "chợ ")\(Self.withoutPrefix(figures.market.name, ["Chợ "]))"
        let place = Self.withoutPrefix(try await reports.issuingPlace(of: figures.market), ["Thành phố ", "Thị trấn ", "Huyện ", "Tỉnh ", "Phường ", "Xã ", "TP "])
        let sheet = table == "stalls"
            ? figures.report.stallSheet(issuer: issuer, place: place, issued: issued)
            : figures.report.daySheet(issuer: issuer, place: place, issued: issued)
        let slug = figures.market.name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d")
            .components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }.joined(separator: "-")
        return (sheet, "choso-\(slug)-\(table == "stalls" ? "theo-quay" : "theo-ngay")-\(figures.report.from.iso)-\(figures.report.to.iso)")
    }

    static func withoutPrefix(_ name: String, _ prefixes: [String]) -> String {
        for prefix in prefixes where name.hasPrefix(prefix) { return String(name.dropFirst(prefix.count)) }
        return name
    }

    @Sendable func exportCSV(req: Request) async throws -> Response {
        let (sheet, name) = try await sheet(req)
        return Self.download(sheet.csv, name: "\(name).csv", type: "text/csv; charset=utf-8")
    }

    @Sendable func exportXLSX(req: Request) async throws -> Response {
        let (sheet, name) = try await sheet(req)
        return Self.download(
            Self.xlsx(sheet), name: "\(name).xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    /// An official sheet as an XLSX workbook: numbers stay numbers, shares percentages, days dates.
    static func xlsx(_ sheet: ReportSheet) -> [UInt8] {
        let rows = sheet.rows.map { row in
            row.map { cell -> XLSX.Cell in
                switch cell {
                case .text(let text): .text(text)
                case .number(let value): .number(value)
                case .percent(let numerator, let denominator): .percent(numerator: numerator, denominator: denominator)
                case .date(let day): .date(year: day.year, month: day.month, day: day.day)
                case .empty: .empty
                }
            }
        }
        return XLSX.workbook(sheetName: sheet.name, rows: rows, boldRows: sheet.boldRows)
    }

    static func download(_ bytes: [UInt8], name: String, type: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: Data(bytes)))
    }
}
