import ChoSoCore
import Fluent
import Vapor

/// The people pages: a market's logins for its board (`/markets/{id}/people`), and everyone's own
/// password (`/password`).
struct PeopleWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", ":marketId", "people", use: page)
        routes.post("markets", ":marketId", "people", use: create)
        routes.post("users", ":userId", "reset-password", use: reset)
        routes.post("users", ":userId", "disable", use: disable)
        routes.post("users", ":userId", "enable", use: enable)
        routes.get("password", use: passwordPage)
        routes.post("password", use: changePassword)
    }

    struct PersonRow: Encodable, Sendable {
        var id: String, username: String, displayName: String, roleLabel: String, stalls: String?, active: Bool, pending: Bool
        /// Reset and disable are offered only where they are allowed (not one's own login, not a
        /// fellow board member's).
        var canChange: Bool
    }
    struct Option: Encodable, Sendable { var value: String, label: String }
    struct PeopleContent: Encodable, Sendable {
        var marketId: String
        var marketName: String
        var people: [PersonRow]
        var stalls: [Option]
        var form: FormState
        var canMakeBoardLogins: Bool
        /// A code just issued, shown once.
        var issued: Issued?
    }
    struct Issued: Encodable, Sendable { var username: String, code: String }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, marketID: req.parameters.get("marketId") ?? "")
    }

    func render(_ req: Request, marketID: String, form: FormState = FormState(), issued: Issued? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let service = try req.people
        let people = try await service.people(ofMarket: marketID)
        guard let uuid = UUID(uuidString: marketID), let market = try await MarketModel.find(uuid, on: req.db) else { throw AppError.notFound }
        let stalls = try await StallModel.query(on: req.db).filter(\.$market.$id == uuid).filter(\.$isActive == true).all()
            .sorted { StallNumberOrder.precedes($0.number, $1.number) }
        let stallNames = Dictionary(uniqueKeysWithValues: stalls.compactMap { stall in stall.id.map { ($0.uuidString, "\(stall.number) · \(stall.name)") } })
        let rows = people.map { person in
            PersonRow(
                id: person.model.id?.uuidString ?? "", username: person.model.username, displayName: person.model.displayName,
                roleLabel: person.role.label.text(in: req.language),
                stalls: person.role == .merchant ? person.scopes.compactMap { stallNames[$0] }.joined(separator: ", ") : nil,
                active: person.model.isActive, pending: person.model.mustChangePassword == true, canChange: service.canChange(person))
        }
        let content = PeopleContent(
            marketId: marketID, marketName: market.name, people: rows,
            stalls: stalls.compactMap { stall in stall.id.map { Option(value: $0.uuidString, label: "\(stall.number) · \(stall.name)") } },
            form: form, canMakeBoardLogins: service.canMakeBoardLogins, issued: issued)
        return try await req.renderPage("people", title: .init(vi: "Tài khoản — \(market.name)", en: "Logins — \(market.name)"), content, status: status)
    }

    struct CreateForm: Content { var username: String?, displayName: String?, role: String?, stall: String? }

    @Sendable func create(req: Request) async throws -> Response {
        let marketID = req.parameters.get("marketId") ?? ""
        let form = try req.content.decode(CreateForm.self)
        let role: Role = form.role == Role.marketManager.rawValue ? .marketManager : .merchant
        let scope = role == .marketManager ? [marketID] : [form.stall ?? ""]
        do {
            let issued = try await req.people.createLogin(
                username: form.username ?? "", displayName: form.displayName ?? "", role: role, scope: scope)
            return try await render(req, marketID: marketID, issued: Issued(username: issued.person.model.username, code: issued.oneTimeCode)).shownOnce()
        } catch let error as AppError where error.status == .unprocessableEntity {
            let values = ["username": form.username ?? "", "displayName": form.displayName ?? "", "role": role.rawValue, "stall": form.stall ?? ""]
            return try await render(req, marketID: marketID, form: FormState(values: values, error: error, language: req.language), status: error.status)
        }
    }

    struct BackForm: Content { var market: String? }

    @Sendable func reset(req: Request) async throws -> Response {
        let form = try req.content.decode(BackForm.self)
        let issued = try await req.people.resetPassword(req.parameters.get("userId") ?? "")
        return try await render(req, marketID: form.market ?? "", issued: Issued(username: issued.person.model.username, code: issued.oneTimeCode)).shownOnce()
    }

    @Sendable func disable(req: Request) async throws -> Response {
        try await setActive(req, false)
    }

    @Sendable func enable(req: Request) async throws -> Response {
        try await setActive(req, true)
    }

    private func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        let form = try req.content.decode(BackForm.self)
        let person = try await req.people.setActive(req.parameters.get("userId") ?? "", active: active)
        req.flash(active
            ? LocalizedText(vi: "Đã mở lại tài khoản \(person.model.username).", en: "\(person.model.username) can sign in again.")
            : LocalizedText(vi: "Đã khoá tài khoản \(person.model.username): mọi phiên đăng nhập đã kết thúc.", en: "\(person.model.username) is disabled; every session ended."))
        return req.redirectAfterPost(to: "/markets/\(UUID(uuidString: form.market ?? "")?.uuidString ?? "")/people")
    }

    struct PasswordContent: Encodable, Sendable { var mustChange: Bool, form: FormState }

    @Sendable func passwordPage(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return try await req.renderPage(
            "password", title: .init(vi: "Đổi mật khẩu", en: "Change password"), PasswordContent(mustChange: user.mustChangePassword, form: FormState()))
    }

    struct PasswordForm: Content { var currentPassword: String?, newPassword: String?, repeatPassword: String? }

    @Sendable func changePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(PasswordForm.self)
        do {
            guard form.newPassword == form.repeatPassword else {
                throw AppError.invalid(ValidationFailure(FieldError(
                    field: "repeatPassword", code: "passwords_differ",
                    message: LocalizedText(vi: "Hai lần nhập mật khẩu mới không giống nhau", en: "The two new passwords differ"))))
            }
            let changed = try await req.accounts.changePassword(userID: user.id, current: form.currentPassword, new: form.newPassword ?? "")
            // This session carries on in the new epoch; every other one has ended.
            req.session.data[AuthenticationMiddleware.sessionEpochKey] = String(changed.credentialEpoch ?? 0)
            req.flash(LocalizedText(vi: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.", en: "Password changed. Every other session ended."))
            return req.redirectAfterPost(to: "/")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await req.renderPage(
                "password", title: .init(vi: "Đổi mật khẩu", en: "Change password"),
                PasswordContent(mustChange: user.mustChangePassword, form: FormState(values: [:], error: error, language: req.language)),
                status: error.status)
        }
    }
}
