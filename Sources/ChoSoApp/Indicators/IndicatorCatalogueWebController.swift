import ChoSoCore
import Fluent
import Vapor

/// `/indicators/catalogue`: the indicators ChoSo computes; officers read it, the administrator
/// adds and edits them. A frozen report keeps the definitions it was made with.
struct IndicatorCatalogueWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("indicators", "catalogue", use: page)
        routes.post("indicators", "catalogue", use: save)
    }

    struct Option: Encodable, Sendable { var value: String, label: String, selected: Bool }
    struct Row: Encodable, Sendable { var code: String, name: String, pillar: String, unit: String, numerator: String, denominator: String, note: String }
    struct Content: Encodable, Sendable {
        var rows: [Row]
        var isAdmin: Bool
        var editing: Bool
        var form: FormState
        var pillars: [Option]
        var units: [Option]
        var numerators: [Option]
        var denominators: [Option]
    }

    private func requireReader(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        guard [.officer, .admin].contains(user.role) else { throw AppError.notFound }
        return user
    }

    @Sendable func page(req: Request) async throws -> Response {
        _ = try requireReader(req)
        var form = FormState()
        if let code = req.query[String.self, at: "edit"], let model = try await IndicatorDefinitionModel.find(code, on: req.db) {
            form.values = ["code": model.id ?? "", "nameVi": model.nameVI, "nameEn": model.nameEN, "pillar": model.pillar, "unit": model.unit,
                           "numerator": model.numerator, "denominator": model.denominator ?? ""]
        }
        return try await render(req, form: form, editing: form.values["code"] != nil)
    }

    func render(_ req: Request, form: FormState, editing: Bool, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try requireReader(req)
        let language = req.language
        let models = try await IndicatorDefinitionModel.query(on: req.db).sort(\.$position).all()
        func measure(_ code: String) -> String { IndicatorMeasure(rawValue: code)?.label.text(in: language) ?? code }
        func denominator(_ key: String?) -> String {
            guard let key else { return "—" }
            if key.hasPrefix("baseline:") { return IndicatorBaselineKind(rawValue: String(key.dropFirst(9)))?.label.text(in: language) ?? key }
            return measure(String(key.dropFirst(8)))
        }
        let rows = models.map { model in
            Row(code: model.id ?? "", name: language == .vi ? model.nameVI : model.nameEN,
                pillar: IndicatorPillar(rawValue: model.pillar)?.label.text(in: language) ?? model.pillar,
                unit: IndicatorUnit(rawValue: model.unit).map(IndicatorSheet.unitLabel) ?? model.unit,
                numerator: measure(model.numerator), denominator: denominator(model.denominator), note: model.sourceNote)
        }
        let chosen = form.values
        let content = Content(
            rows: rows, isAdmin: user.role == .admin, editing: editing, form: form,
            pillars: IndicatorPillar.allCases.map { Option(value: $0.rawValue, label: $0.label.text(in: language), selected: chosen["pillar"] == $0.rawValue) },
            units: IndicatorUnit.allCases.map { Option(value: $0.rawValue, label: IndicatorSheet.unitLabel($0), selected: chosen["unit"] == $0.rawValue) },
            numerators: IndicatorMeasure.allCases.map { Option(value: $0.rawValue, label: $0.label.text(in: language), selected: chosen["numerator"] == $0.rawValue) },
            denominators: [Option(value: "", label: "—", selected: (chosen["denominator"] ?? "").isEmpty)]
                + IndicatorBaselineKind.allCases.map { Option(value: "baseline:\($0.rawValue)", label: $0.label.text(in: language), selected: chosen["denominator"] == "baseline:\($0.rawValue)") }
                + IndicatorMeasure.allCases.map { Option(value: "measure:\($0.rawValue)", label: $0.label.text(in: language), selected: chosen["denominator"] == "measure:\($0.rawValue)") })
        return try await req.renderPage("indicator-catalogue", title: LocalizedText(vi: "Danh mục chỉ tiêu", en: "Indicator catalogue"), content, status: status)
    }

    struct Form: Vapor.Content { var code: String?, nameVi: String?, nameEn: String?, pillar: String?, unit: String?, numerator: String?, denominator: String?, editing: String? }

    @Sendable func save(req: Request) async throws -> Response {
        _ = try requireReader(req)
        let form = try req.content.decode(Form.self)
        let values = ["code": form.code ?? "", "nameVi": form.nameVi ?? "", "nameEn": form.nameEn ?? "", "pillar": form.pillar ?? "", "unit": form.unit ?? "",
                      "numerator": form.numerator ?? "", "denominator": form.denominator ?? ""]
        let editing = form.editing == "1"
        do {
            let definition = try await req.indicators().saveDefinition(values, editing: editing)
            req.flash(LocalizedText(vi: "Đã lưu chỉ tiêu \(definition.code)", en: "Indicator \(definition.code) saved"))
            return req.redirectAfterPost(to: "/indicators/catalogue")
        } catch let error as AppError where !error.fieldErrors.isEmpty {
            return try await render(req, form: FormState(values: values, error: error, language: req.language), editing: editing, status: .unprocessableEntity)
        }
    }
}
