import ChoSoCore
import Vapor

/// `/indicators/{unitId}`: the officer's dashboard for a unit, date, period and tree; freezing a
/// period; a frozen report with what arrived late, and its workbook and CSV.
struct IndicatorWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("indicators", use: start)
        routes.get("indicators", ":unitId", use: dashboard)
        routes.post("indicators", ":unitId", "freeze", use: freeze)
        routes.get("indicators", "reports", ":reportId", use: report)
        routes.get("indicators", "reports", ":reportId", "report.xlsx", use: xlsx)
        routes.get("indicators", "reports", ":reportId", "report.csv", use: csv)
    }

    struct Link: Encodable, Sendable { var label: String, href: String, current: Bool }
    struct ReportLink: Encodable, Sendable { var label: String, href: String }
    /// A table with its heading: the unit and the units below it, or the former units beside it.
    struct Section: Encodable, Sendable {
        var heading: String?
        var anchor: String
        var note: String?
        var table: IndicatorTableView
    }
    struct Dashboard: Encodable, Sendable {
        var unitPath: String
        var unitName: String
        var asOf: String
        /// The date typed in, if any (empty: the period's end, or today).
        var asOfGiven: String
        var period: String
        var periodLabel: String
        var tree: String
        var treeNote: String
        var trees: [Link]
        /// The unit with the units below it; then the former units (on the tree before 1/7/2025)
        /// it was made of, with their figures.
        var sections: [Section]
        var canFreeze: Bool
        var freezePeriod: String
        var freezeLabel: String
        var reports: [ReportLink]
        var hasReports: Bool
    }

    /// An officer starts at their first unit, an administrator at the top of today's tree.
    @Sendable func start(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let tree = try await UnitService(database: req.db).tree()
        let today = Day(Date(), in: req.application.choSoConfig.timeZone)
        let unit: String? = switch user.role {
        case .admin: tree.roots(on: today).first?.id
        case .officer: user.scope.sorted().first { tree.units[$0]?.isValid(on: today) == true } ?? user.scope.sorted().first
        default: nil
        }
        guard let unit else { throw AppError.notFound }
        return req.redirect(to: "/indicators/\(Self.path(unit))")
    }

    static func path(_ unitID: String) -> String { unitID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? unitID }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let unitID = req.parameters.get("unitId") ?? ""
        let query = try req.indicatorQuery(unitID: unitID)
        let service = try req.indicators()
        let table = try await service.table(query)
        let language = req.language
        let units = try await UnitService(database: req.db).tree()
        let today = Day(Date(), in: req.application.choSoConfig.timeZone)
        // The former communes beside the new one, when it was made of them and the caller may see them.
        var sections = [Section(heading: nil, anchor: "units", note: nil, table: IndicatorTableView(table, language: language))]
        if query.tree == .current, table.treeDay >= TranDeUnits.reorganisationDay {
            var formerTable = table
            formerTable.children = []
            formerTable.query.tree = .beforeReorganisation
            for predecessor in units.predecessors(of: unitID).sorted(by: { $0.name < $1.name }) {
                guard let old = try? await service.table(.init(unitID: predecessor.id, asOf: query.asOf, tree: .beforeReorganisation, period: query.period)) else { continue }
                formerTable.children.append(old.unit)
            }
            if !formerTable.children.isEmpty {
                sections.append(Section(
                    heading: LocalizedText(vi: "Theo các xã trước 01/7/2025", en: "By the communes before 1/7/2025").text(in: language), anchor: "former",
                    note: LocalizedText(vi: "Các xã, thị trấn trước ngày 01/7/2025 hợp thành \(table.unit.unit.name), cùng ngày và cùng kỳ: cộng lại bằng số của xã mới.",
                                        en: "The communes before 1/7/2025 that make up \(table.unit.unit.name), same date and period: they add up to the new commune's figures.").text(in: language),
                    table: IndicatorTableView(formerTable, language: language)))
            }
        }
        let base = "/indicators/\(Self.path(unitID))?period=\(query.period)" + (req.query[String.self, at: "asOf"].map { "&asOf=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? "")" } ?? "")
        let lastMonth = today.adding(days: -today.day)
        let freezePeriod = IndicatorPeriod.month(year: lastMonth.year, month: lastMonth.month)
        let reports = (try? await req.indicatorReports().list(unitID: unitID)) ?? []
        let content = Dashboard(
            unitPath: Self.path(unitID), unitName: table.unit.unit.name, asOf: query.asOf.vietnamese, asOfGiven: req.query[String.self, at: "asOf"].flatMap(Day.init(iso:))?.iso ?? "", period: query.period.description,
            periodLabel: query.period.vietnamese, tree: query.tree.rawValue,
            treeNote: query.tree == .current
                ? LocalizedText(vi: "Cây đơn vị ngày \(table.treeDay.vietnamese)", en: "Unit tree of \(table.treeDay.iso)").text(in: language)
                : LocalizedText(vi: "Cây đơn vị trước ngày 01/7/2025 (huyện, xã cũ)", en: "The unit tree before 1/7/2025 (former districts and communes)").text(in: language),
            // Only the trees the unit is on (a commune made on 1/7/2025 has no former-tree page;
            // its former communes are shown beside it instead).
            trees: IndicatorTree.allCases.filter { tree in
                units.units[unitID]?.isValid(on: IndicatorView(tree: units, asOf: query.asOf, version: tree).treeDay) == true
            }.map { tree in
                Link(label: (tree == .current ? LocalizedText(vi: "Cây hiện nay", en: "Current tree") : LocalizedText(vi: "Cây trước 01/7/2025", en: "Tree before 1/7/2025")).text(in: language),
                     href: base + "&tree=\(tree.rawValue)", current: query.tree == tree)
            },
            sections: sections,
            canFreeze: (try? service.authorize(unitID, tree: units, action: .update)) != nil,
            freezePeriod: freezePeriod.description, freezeLabel: freezePeriod.vietnamese,
            reports: reports.map { ReportLink(label: Self.reportLabel($0, language: language), href: "/indicators/reports/\($0.id?.uuidString.lowercased() ?? "")") },
            hasReports: !reports.isEmpty)
        return try await req.renderPage(
            "indicators", title: LocalizedText(vi: "Chỉ tiêu chuyển đổi số — \(table.unit.unit.name)", en: "Digital-transformation indicators — \(table.unit.unit.name)"), content)
    }

    static func reportLabel(_ report: IndicatorReportModel, language: Language) -> String {
        let period = IndicatorPeriod(report.period)?.vietnamese ?? report.period
        let tree = report.tree == IndicatorTree.current.rawValue ? "" : LocalizedText(vi: " (cây trước 01/7/2025)", en: " (tree before 1/7/2025)").text(in: language)
        return LocalizedText(vi: "\(period)\(tree) — bản \(report.version), chốt bởi \(report.frozenByName)",
                             en: "\(period)\(tree) — version \(report.version), frozen by \(report.frozenByName)").text(in: language)
    }

    struct FreezeForm: Vapor.Content { var period: String?, tree: String? }

    @Sendable func freeze(req: Request) async throws -> Response {
        let form = try req.content.decode(FreezeForm.self)
        let (period, tree) = try IndicatorAPIController.freezeChoice(period: form.period ?? "", tree: form.tree)
        let (report, created) = try await req.indicatorReports().freeze(unitID: req.parameters.get("unitId") ?? "", tree: tree, period: period)
        req.flash(created
            ? LocalizedText(vi: "Đã chốt số liệu \(period.vietnamese.lowercased()) (bản \(report.version))", en: "\(period) frozen (version \(report.version))")
            : LocalizedText(vi: "Số liệu không đổi từ bản \(report.version): không tạo bản mới", en: "Nothing changed since version \(report.version): no new version"))
        return req.redirectAfterPost(to: "/indicators/reports/\(report.id?.uuidString.lowercased() ?? "")")
    }

    struct ChangeRow: Encodable, Sendable { var unit: String, indicator: String, before: String, after: String }
    struct ReportPage: Encodable, Sendable {
        var id: String
        var title: String
        var frozen: String
        var late: Bool
        var lateChanges: [ChangeRow]
        var changes: [ChangeRow]
        var hasChanges: Bool
        var previous: String
        var sections: [Section]
        var period: String
        var tree: String
        var unitPath: String
        var unitHref: String
    }

    @Sendable func report(req: Request) async throws -> Response {
        let frozen = try await req.indicatorReports().report(req.parameters.get("reportId") ?? "")
        let language = req.language
        let names = Dictionary(([frozen.table.unit] + frozen.table.children).map { ($0.unit.id, $0.unit.name) }, uniquingKeysWith: { a, _ in a })
        let definitions = Dictionary(frozen.table.definitions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        func rows(_ changes: [IndicatorSnapshot.Change]) -> [ChangeRow] {
            changes.map { change in
                let unit = definitions[change.code]?.unit ?? .count
                func text(_ result: IndicatorResult?) -> String {
                    guard let result else { return "—" }
                    let fraction = definitions[change.code].flatMap { result.fraction(of: $0) }.map { "(\($0))" }
                    return [IndicatorResult.text(result.valueHundredths, unit: unit), fraction].compactMap { $0 }.joined(separator: " ")
                }
                return ChangeRow(unit: names[change.unitID] ?? change.unitID, indicator: "\(change.code) \(definitions[change.code]?.name.text(in: language) ?? "")",
                                 before: text(change.before), after: text(change.after))
            }
        }
        let model = frozen.model
        let frozenAt = Day(model.frozenAt, in: req.application.choSoConfig.timeZone)
        let time = model.frozenAt.formatted(Date.VerbatimFormatStyle(format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)", timeZone: req.application.choSoConfig.timeZone, calendar: Calendar(identifier: .gregorian)))
        let content = ReportPage(
            id: model.id?.uuidString.lowercased() ?? "", title: Self.reportLabel(model, language: language),
            frozen: LocalizedText(vi: "Chốt lúc \(time) ngày \(frozenAt.vietnamese) bởi \(model.frozenByName)", en: "Frozen at \(time) on \(frozenAt.iso) by \(model.frozenByName)").text(in: language),
            late: !frozen.lateChanges.isEmpty, lateChanges: rows(frozen.lateChanges), changes: rows(frozen.changesSincePrevious),
            hasChanges: !frozen.changesSincePrevious.isEmpty,
            previous: frozen.previousVersion.map { LocalizedText(vi: "So với bản \($0)", en: "Against version \($0)").text(in: language) } ?? "",
            sections: [Section(heading: nil, anchor: "units", note: nil, table: IndicatorTableView(frozen.table, language: language))],
            period: model.period, tree: model.tree, unitPath: Self.path(model.unitID),
            unitHref: "/indicators/\(Self.path(model.unitID))?period=\(model.period)&tree=\(model.tree)")
        return try await req.renderPage("indicator-report", title: LocalizedText(vi: "Báo cáo chỉ tiêu đã chốt", en: "Frozen indicator report"), content)
    }

    private func sheet(_ req: Request) async throws -> (ReportSheet, String) {
        let frozen = try await req.indicatorReports().report(req.parameters.get("reportId") ?? "")
        let table = frozen.table
        let unitName = table.unit.unit.name
        let place = ReportsWebController.withoutPrefix(unitName, ["Thành phố ", "Thị trấn ", "Huyện ", "Tỉnh ", "Phường ", "Xã ", "TP "])
        let lines = zip(table.definitions, table.unit.results).map { IndicatorSheet.Line(definition: $0, result: $1) }
        let sheet = IndicatorSheet.sheet(issuer: "UBND \(unitName)", unitName: unitName, place: place,
                                         issued: Day(frozen.model.frozenAt, in: req.application.choSoConfig.timeZone),
                                         period: table.query.period, lines: lines)
        let code = table.unit.unit.code
        return (sheet, "choso-chi-tieu-\(code)-\(table.query.period)-ban-\(frozen.model.version)")
    }

    @Sendable func xlsx(req: Request) async throws -> Response {
        let (sheet, name) = try await sheet(req)
        return ReportsWebController.download(ReportsWebController.xlsx(sheet), name: "\(name).xlsx",
                                             type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    @Sendable func csv(req: Request) async throws -> Response {
        let (sheet, name) = try await sheet(req)
        return ReportsWebController.download(sheet.csv, name: "\(name).csv", type: "text/csv; charset=utf-8")
    }
}
