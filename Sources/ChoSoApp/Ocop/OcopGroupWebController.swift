import ChoSoCore
import Fluent
import Vapor

/// `/ocop/register/groups`: the classification table (QĐ 148/QĐ-TTg's annex as shipped). Officers
/// and producers read it; an administrator corrects a name or adds a code.
struct OcopGroupWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("ocop", "register", "groups", use: page)
        routes.post("ocop", "register", "groups", use: save)
    }

    struct Row: Encodable, Sendable { var code: String, name: String, depth: Int, products: Int }
    struct GroupsContent: Encodable, Sendable { var rows: [Row], canEdit: Bool, form: FormState }
    struct Form: Content { var code: String?, name: String? }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, form: FormState())
    }

    @Sendable func save(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let values = ["code": form.code ?? "", "name": form.name ?? ""]
        let group: OcopGroup
        do { group = try await req.ocopGroups.save(code: values["code"]!, name: values["name"]!) } catch let error as AppError where !error.fieldErrors.isEmpty {
            return try await render(req, form: FormState(values: values, error: error, language: req.language))
        }
        req.flash(.init(vi: "Đã lưu phân nhóm \(group.code)", en: "Classification \(group.code) saved"))
        return req.redirectAfterPost(to: "/ocop/register/groups")
    }

    func render(_ req: Request, form: FormState) async throws -> Response {
        let service = try req.ocopGroups
        let content = GroupsContent(rows: try await service.rows(), canEdit: service.canEdit, form: form)
        return try await req.renderPage("ocop-groups", title: .init(vi: "Bảng phân nhóm OCOP", en: "OCOP classification"), content,
                                        status: form.hasErrors ? .unprocessableEntity : .ok)
    }
}

/// The classification table: read by whoever keeps products, changed by administrators (audited).
struct OcopGroupService {
    var database: any Database
    var user: CurrentUser

    var canEdit: Bool { AccessPolicy.permits(user.principal, .update, .administration) }

    func rows() async throws -> [OcopGroupWebController.Row] {
        guard [.admin, .officer, .producer].contains(user.role) else { throw AppError.notFound }
        let counts = Dictionary(grouping: try await OcopProductModel.query(on: database).field(\.$groupCode).all().map(\.groupCode), by: { $0 })
            .mapValues(\.count)
        return try await OcopCatalog(database: database).groups().map {
            OcopGroupWebController.Row(code: $0.code, name: $0.name, depth: $0.code.split(separator: ".").count, products: counts[$0.code] ?? 0)
        }
    }

    /// Adds a code or renames one.
    func save(code: String, name: String) async throws -> OcopGroup {
        let decision = AccessPolicy.decide(user.principal, .update, .administration)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let existing = Set(try await OcopCatalog(database: database).groups().map(\.code))
        let group = try OcopGroup.validate(code: code, name: name, existing: existing).valueOrInvalid()
        // Two saves of a new code at once: the second finds it made and renames it.
        for attempt in 1...2 {
            do {
                try await write(group, on: database)
                break
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt == 1 {}
        }
        return group
    }

    private func write(_ group: OcopGroup, on database: any Database) async throws {
        try await database.transaction { db in
            let model = try await OcopGroupModel.find(group.code, on: db) ?? OcopGroupModel()
            let isNew = model.id == nil
            model.id = group.code
            model.name = group.name
            if isNew { try await model.create(on: db) } else { try await model.update(on: db) }
            try await AuditEntryModel.record(on: db, actor: user.id, action: "ocop.group.save", subjectType: "ocop_group", subjectID: nil,
                                             detail: "\(group.code) \(group.name)")
        }
    }
}

extension Request {
    var ocopGroups: OcopGroupService {
        get throws { OcopGroupService(database: db, user: try requireUser()) }
    }
}
