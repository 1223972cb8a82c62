import ChoSoCore
import Vapor

/// `GET /api/v1/indicators` (the catalogue) and `GET /api/v1/units/{id}/indicators?asOf&tree&period`
/// (a unit's figures and the units one level below).
struct IndicatorAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("indicators", use: catalogue)
        routes.get("units", ":unitId", "indicators", use: unitIndicators)
        routes.get("units", ":unitId", "indicator-reports", use: reports)
        routes.post("units", ":unitId", "indicator-reports", use: freeze)
        routes.get("indicator-reports", ":reportId", use: report)
    }

    struct FreezeBody: Content {
        var period: String
        var tree: String?
    }

    @Sendable func catalogue(req: Request) async throws -> [IndicatorDefinitionDTO] {
        try await req.indicators().catalogue().map(IndicatorDefinitionDTO.init)
    }

    @Sendable func unitIndicators(req: Request) async throws -> IndicatorTableDTO {
        let query = try req.indicatorQuery(unitID: req.parameters.get("unitId") ?? "")
        return IndicatorTableDTO(try await req.indicators().table(query), language: req.language)
    }

    @Sendable func reports(req: Request) async throws -> [IndicatorReportSummaryDTO] {
        try await req.indicatorReports().list(unitID: req.parameters.get("unitId") ?? "").map(IndicatorReportSummaryDTO.init)
    }

    /// 201 with a new version; 200 with the last one when nothing changed since it.
    @Sendable func freeze(req: Request) async throws -> Response {
        let body = try req.content.decode(FreezeBody.self)
        let (period, tree) = try IndicatorAPIController.freezeChoice(period: body.period, tree: body.tree)
        let (report, created) = try await req.indicatorReports().freeze(unitID: req.parameters.get("unitId") ?? "", tree: tree, period: period)
        return try await IndicatorReportSummaryDTO(report).encodeResponse(status: created ? .created : .ok, for: req)
    }

    @Sendable func report(req: Request) async throws -> IndicatorReportDTO {
        IndicatorReportDTO(try await req.indicatorReports().report(req.parameters.get("reportId") ?? ""), language: req.language)
    }

    static func freezeChoice(period text: String, tree treeText: String?) throws -> (IndicatorPeriod, IndicatorTree) {
        guard let period = IndicatorPeriod(text) else { throw Request.badPeriod }
        guard let tree = IndicatorTree(rawValue: treeText ?? IndicatorTree.current.rawValue) else { throw Request.badTree }
        return (period, tree)
    }
}

extension Request {
    static let badTree = AppError(status: .badRequest, code: "bad_tree", message: LocalizedText(
        vi: "tree phải là current hoặc before-2025-07-01", en: "tree must be current or before-2025-07-01"))
    static let badPeriod = AppError(status: .badRequest, code: "bad_period", message: LocalizedText(
        vi: "Kỳ phải có dạng 2026-10 (tháng), 2026-Q3 (quý) hoặc 2026 (năm), trong các năm 2000–2100",
        en: "The period must be 2026-10 (month), 2026-Q3 (quarter) or 2026 (year), in the years 2000–2100"))

    func indicatorReports() throws -> IndicatorReportService {
        IndicatorReportService(database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone)
    }

    func indicators() throws -> IndicatorService {
        IndicatorService(database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone)
    }

    /// `asOf` (default today, or the period's last day once it is over), `tree` (`current` or
    /// `before-2025-07-01`) and `period` (`2026-10`, `2026-Q3`, `2026`; default the month of
    /// `asOf`); a date outside the period is refused rather than quietly moved.
    func indicatorQuery(unitID: String) throws -> IndicatorService.Query {
        let today = Day(Date(), in: application.choSoConfig.timeZone)
        let tree: IndicatorTree
        if let text = query[String.self, at: "tree"] {
            guard let parsed = IndicatorTree(rawValue: text) else { throw Self.badTree }
            tree = parsed
        } else {
            tree = .current
        }
        var period: IndicatorPeriod?
        if let text = query[String.self, at: "period"], !text.isEmpty {
            guard let parsed = IndicatorPeriod(text) else { throw Self.badPeriod }
            period = parsed
        }
        // A form sends an empty date when none is chosen.
        let given = (query[String.self, at: "asOf"] ?? "").isEmpty ? nil : try dayQuery("asOf")
        if let given, !(2000...2100).contains(given.year) {
            throw AppError(status: .badRequest, code: "bad_date", message: LocalizedText(
                vi: "Ngày phải trong các năm 2000–2100", en: "The date must fall in the years 2000–2100"))
        }
        let asOf = given ?? period?.asOf(today: today) ?? today
        let chosen = period ?? .month(year: asOf.year, month: asOf.month)
        if given == nil, period != nil, chosen.firstDay > today {
            throw AppError(status: .badRequest, code: "period_not_begun", message: LocalizedText(
                vi: "\(chosen.vietnamese) chưa bắt đầu", en: "\(chosen) has not begun"))
        }
        guard chosen.firstDay <= asOf, asOf <= chosen.lastDay else {
            throw AppError(status: .badRequest, code: "date_outside_period", message: LocalizedText(
                vi: "Ngày \(asOf.vietnamese) không thuộc kỳ \(chosen.vietnamese): hãy để trống ô ngày hoặc chọn một ngày trong kỳ",
                en: "\(asOf.iso) is not within the period \(chosen): leave the date empty or choose a day within it"))
        }
        return IndicatorService.Query(unitID: unitID, asOf: asOf, tree: tree, period: chosen)
    }
}
