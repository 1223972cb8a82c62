import ChoSoCore
import Vapor

/// A login as the API shows it (never its password hash).
struct PersonDTO: Content {
    var id: String
    var username: String
    var displayName: String
    var role: String
    var scope: [String]
    var active: Bool
    var mustChangePassword: Bool

    init(_ person: PeopleService.Person) {
        id = person.model.id?.uuidString ?? ""
        username = person.model.username
        displayName = person.model.displayName
        role = person.role.rawValue
        scope = person.scopes
        active = person.model.isActive
        mustChangePassword = person.model.mustChangePassword == true
    }
}

struct IssuedLoginDTO: Content {
    var user: PersonDTO
    /// Shown once: the user signs in with it and then chooses their own password.
    var oneTimeCode: String
}

/// `GET /markets/{id}/people`, `POST /users`, `POST /users/{id}/reset-password|disable|enable`,
/// `POST /me/password`.
struct PeopleAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", ":marketId", "people", use: people)
        routes.post("users", use: create)
        routes.post("users", ":userId", "reset-password", use: reset)
        routes.post("users", ":userId", "disable", use: disable)
        routes.post("users", ":userId", "enable", use: enable)
        routes.post("me", "password", use: changePassword)
    }

    struct CreateBody: Content {
        var username: String?
        var displayName: String?
        var role: String?
        var scope: [String]?
    }

    struct PasswordBody: Content {
        var currentPassword: String?
        var newPassword: String?
    }

    @Sendable func people(req: Request) async throws -> [PersonDTO] {
        try await req.people.people(ofMarket: req.parameters.get("marketId") ?? "").map(PersonDTO.init)
    }

    @Sendable func create(req: Request) async throws -> Response {
        let body = try req.content.decode(CreateBody.self)
        guard let role = body.role.flatMap(Role.init(rawValue:)) else {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: "role", code: "bad_role",
                message: LocalizedText(
                    vi: "Vai trò là một trong: \(Role.allCases.map(\.rawValue).joined(separator: ", "))",
                    en: "The role is one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))))
        }
        let issued = try await req.people.createLogin(
            username: body.username ?? "", displayName: body.displayName ?? "", role: role, scope: body.scope ?? [])
        return try await IssuedLoginDTO(user: PersonDTO(issued.person), oneTimeCode: issued.oneTimeCode).encodeResponse(status: .created, for: req).shownOnce()
    }

    @Sendable func reset(req: Request) async throws -> Response {
        let issued = try await req.people.resetPassword(req.parameters.get("userId") ?? "")
        return try await IssuedLoginDTO(user: PersonDTO(issued.person), oneTimeCode: issued.oneTimeCode).encodeResponse(for: req).shownOnce()
    }

    @Sendable func disable(req: Request) async throws -> PersonDTO {
        PersonDTO(try await req.people.setActive(req.parameters.get("userId") ?? "", active: false))
    }

    @Sendable func enable(req: Request) async throws -> PersonDTO {
        PersonDTO(try await req.people.setActive(req.parameters.get("userId") ?? "", active: true))
    }

    @Sendable func changePassword(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        let body = try req.content.decode(PasswordBody.self)
        _ = try await req.accounts.changePassword(userID: user.id, current: body.currentPassword, new: body.newPassword ?? "")
        return .noContent
    }
}
