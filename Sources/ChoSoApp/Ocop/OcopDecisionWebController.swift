import ChoSoCore
import Vapor

/// `POST /ocop/register/add`: one product and its recognition decision typed in by the officer —
/// a new product, or a re-recognition of one already in the register (from its page).
struct OcopDecisionWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("ocop", "register", "add", use: add)
    }

    struct AddForm: Content {
        var number: String?, date: String?, issuer: String?, level: String?, unit: String?
        var name: String?, producer: String?, address: String?, groupCode: String?, stars: String?
        /// Set by a product's page: errors are shown there.
        var from: String?
    }

    @Sendable func add(req: Request) async throws -> Response {
        let form = try req.content.decode(AddForm.self)
        let values = ["number": form.number ?? "", "date": form.date ?? "", "issuer": form.issuer ?? "", "level": form.level ?? "",
                      "unit": form.unit ?? "", "name": form.name ?? "", "producer": form.producer ?? "", "address": form.address ?? "",
                      "groupCode": form.groupCode ?? "", "stars": form.stars ?? ""]
        let decision = OcopImportService.Decision(number: values["number"]!, date: values["date"]!, issuer: values["issuer"]!,
                                                  level: values["level"]!, unitID: values["unit"]!)
        let entry = OcopImportService.Entry(name: values["name"]!, producer: values["producer"]!, address: values["address"]!,
                                            groupCode: values["groupCode"]!, stars: values["stars"]!)
        let report: OcopImportService.Report
        do {
            report = try await req.ocopImport.add(entry, decision: decision, renewing: form.from)
        } catch let error as AppError where !error.fieldErrors.isEmpty {
            let language = req.language
            let errors = Dictionary(error.fieldErrors.map { ($0.field, $0.message.text(in: language)) }, uniquingKeysWith: { a, _ in a })
            if let slug = form.from, !slug.isEmpty {
                return try await OcopRegisterWebController().renderManage(req, slug: slug, error: nil,
                                                                          decisionError: errors.values.sorted().joined(separator: " · "))
            }
            return try await OcopRegisterWebController().render(req, form: values, fieldErrors: errors, status: .unprocessableEntity, addFailed: true)
        }
        let slug = report.slugs.first ?? ""
        let message: LocalizedText = report.alreadyThere > 0
            ? LocalizedText(vi: "Quyết định \(decision.number) đã có trong sổ: không thêm gì", en: "Decision \(decision.number) is already in the register: nothing added")
            : report.renewed > 0
            ? LocalizedText(vi: "Đã thêm quyết định đánh giá lại \(decision.number)", en: "Re-recognition \(decision.number) added")
            : LocalizedText(vi: "Đã thêm \(entry.name) vào sổ OCOP", en: "\(entry.name) added to the OCOP register")
        req.flash(message)
        return req.redirectAfterPost(to: "/ocop/register/\(slug)")
    }
}
