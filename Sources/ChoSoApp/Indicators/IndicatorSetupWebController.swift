import ChoSoCore
import Vapor

/// `/indicators/{unitId}/setup`: the official counts (typed in or imported from a sheet) and the
/// targets with the plan that set them, for the unit and the units below it.
struct IndicatorSetupWebController: RouteCollection {
    static let importBody = 4 << 20

    func boot(routes: any RoutesBuilder) throws {
        routes.get("indicators", ":unitId", "setup", use: page)
        routes.post("indicators", ":unitId", "baselines", use: addBaseline)
        routes.on(.POST, "indicators", ":unitId", "baselines", "import", body: .collect(maxSize: ByteCount(value: Self.importBody)), use: importBaselines)
        routes.post("indicators", ":unitId", "targets", use: addTarget)
    }

    struct Option: Encodable, Sendable { var value: String, label: String, selected: Bool }
    struct BaselineRow: Encodable, Sendable { var unit: String, kind: String, date: String, value: String, source: String }
    struct TargetRow: Encodable, Sendable { var unit: String, indicator: String, period: String, value: String, plan: String, isDemo: Bool }
    struct Content: Encodable, Sendable {
        var unitName: String
        var unitPath: String
        var units: [Option]
        var kinds: [Option]
        var indicators: [Option]
        var baselines: [BaselineRow]
        var hasBaselines: Bool
        var targets: [TargetRow]
        var hasTargets: Bool
        var baselineForm: FormState
        var targetForm: FormState
        var importErrors: [String]
        var importTitle: String?
    }

    private func unitID(_ req: Request) -> String { req.parameters.get("unitId") ?? "" }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req)
    }

    func render(_ req: Request, baselineForm: FormState = FormState(), targetForm: FormState = FormState(), importTitle: String? = nil,
                importErrors: [String] = [], status: HTTPResponseStatus = .ok) async throws -> Response {
        let service = try req.indicatorReferences()
        let tree = try await UnitService(database: req.db).tree()
        let unitID = unitID(req)
        guard let unit = tree.units[unitID] else { throw AppError.notFound }
        try IndicatorService(database: req.db, user: try req.requireUser(), timeZone: service.timeZone).authorize(unitID, tree: tree, action: .update)
        let language = req.language
        let lists = try await service.lists(under: unitID, tree: tree)
        let names = { (id: String) in tree.units[id].map { "\($0.name) (\($0.code))" } ?? id }
        let definitions = try await IndicatorService(database: req.db, user: try req.requireUser(), timeZone: service.timeZone).catalogue()
        let byCode = Dictionary(definitions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var editable = Set(tree.subtree(of: unitID))
        for former in tree.predecessors(of: unitID) { editable.formUnion(tree.subtree(of: former.id)) }
        let units = service.editableUnits(tree).filter { editable.contains($0.id) }.map { candidate in
            let when = candidate.validTo.map { LocalizedText(vi: " — đến \($0.vietnamese)", en: " — until \($0.iso)").text(in: language) } ?? ""
            let chosen = (baselineForm.values["unit"] ?? targetForm.values["unit"] ?? unitID) == candidate.id
            return Option(value: candidate.id, label: "\(candidate.name) (\(candidate.code))\(when)", selected: chosen)
        }
        let content = Content(
            unitName: unit.name, unitPath: IndicatorWebController.path(unitID), units: units,
            kinds: IndicatorBaselineKind.allCases.map { Option(value: $0.rawValue, label: $0.label.text(in: language), selected: baselineForm.values["kind"] == $0.rawValue) },
            indicators: definitions.map { Option(value: $0.code, label: "\($0.code) — \($0.name.text(in: language))", selected: targetForm.values["code"] == $0.code) },
            baselines: lists.baselines.map { row in
                BaselineRow(unit: names(row.unitID), kind: IndicatorBaselineKind(rawValue: row.kind)?.label.text(in: language) ?? row.kind,
                            date: Day(iso: row.asOf)?.vietnamese ?? row.asOf, value: Money.groupDigits(row.value), source: row.source)
            },
            hasBaselines: !lists.baselines.isEmpty,
            targets: lists.targets.map { row in
                let unit = byCode[row.code]?.unit ?? .count
                return TargetRow(unit: names(row.unitID), indicator: "\(row.code) \(byCode[row.code]?.name.text(in: language) ?? "")",
                                 period: IndicatorPeriod(row.period)?.vietnamese ?? row.period, value: IndicatorResult.text(row.value, unit: unit),
                                 plan: row.snapshot.plan, isDemo: row.isDemo)
            },
            hasTargets: !lists.targets.isEmpty, baselineForm: baselineForm, targetForm: targetForm, importErrors: importErrors, importTitle: importTitle)
        return try await req.renderPage(
            "indicator-setup", title: LocalizedText(vi: "Số chính thức và chỉ tiêu — \(unit.name)", en: "Official counts and targets — \(unit.name)"), content, status: status)
    }

    struct BaselineForm: Vapor.Content { var unit: String?, kind: String?, date: String?, value: String?, source: String? }

    @Sendable func addBaseline(req: Request) async throws -> Response {
        let form = try req.content.decode(BaselineForm.self)
        let values = ["unit": form.unit ?? "", "kind": form.kind ?? "", "date": form.date ?? "", "value": form.value ?? "", "source": form.source ?? ""]
        do {
            try await req.indicatorReferences().setBaseline(unitID: values["unit"]!, kind: values["kind"]!, date: values["date"]!, value: values["value"]!, source: values["source"]!)
        } catch let error as AppError where !error.fieldErrors.isEmpty {
            return try await render(req, baselineForm: FormState(values: values, error: error, language: req.language), status: .unprocessableEntity)
        }
        req.flash(LocalizedText(vi: "Đã lưu số chính thức", en: "Official count saved"))
        return req.redirectAfterPost(to: "/indicators/\(IndicatorWebController.path(unitID(req)))/setup")
    }

    struct ImportForm: Vapor.Content { var file: File? }

    @Sendable func importBaselines(req: Request) async throws -> Response {
        let form = try req.content.decode(ImportForm.self)
        let language = req.language
        guard let file = form.file, file.data.readableBytes > 0 else {
            return try await render(req, importTitle: LocalizedText(vi: "Hãy chọn tệp Excel (XLSX)", en: "Choose an Excel file (XLSX)").text(in: language),
                                    status: .unprocessableEntity)
        }
        do {
            let count = try await req.indicatorReferences().importBaselines(Array(file.data.readableBytesView))
            req.flash(LocalizedText(vi: "Đã nhập \(count) số chính thức từ \(file.filename)", en: "\(count) official counts imported from \(file.filename)"))
            return req.redirectAfterPost(to: "/indicators/\(IndicatorWebController.path(unitID(req)))/setup")
        } catch let failure as IndicatorReferenceService.ImportFailure {
            return try await render(req, importTitle: failure.message.text(in: language), importErrors: failure.rowErrors.prefix(200).map { $0.message.text(in: language) },
                                    status: .unprocessableEntity)
        }
    }

    struct TargetForm: Vapor.Content { var unit: String?, code: String?, period: String?, value: String?, planNumber: String?, planDate: String?, issuer: String? }

    @Sendable func addTarget(req: Request) async throws -> Response {
        let form = try req.content.decode(TargetForm.self)
        let values = ["unit": form.unit ?? "", "code": form.code ?? "", "period": form.period ?? "", "value": form.value ?? "",
                      "planNumber": form.planNumber ?? "", "planDate": form.planDate ?? "", "issuer": form.issuer ?? ""]
        do {
            try await req.indicatorReferences().setTarget(unitID: values["unit"]!, code: values["code"]!, period: values["period"]!, value: values["value"]!,
                                                          planNumber: values["planNumber"]!, planDate: values["planDate"]!, issuer: values["issuer"]!)
        } catch let error as AppError where !error.fieldErrors.isEmpty {
            return try await render(req, targetForm: FormState(values: values, error: error, language: req.language), status: .unprocessableEntity)
        }
        req.flash(LocalizedText(vi: "Đã lưu chỉ tiêu", en: "Target saved"))
        return req.redirectAfterPost(to: "/indicators/\(IndicatorWebController.path(unitID(req)))/setup")
    }
}

extension Request {
    func indicatorReferences() throws -> IndicatorReferenceService {
        IndicatorReferenceService(database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone)
    }
}
