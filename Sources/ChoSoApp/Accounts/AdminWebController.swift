import ChoSoCore
import Fluent
import Vapor

/// Administration pages: only administrators get past the policy.
struct AdminWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "users", use: users)
    }

    struct UserRow: Encodable, Sendable {
        var username: String, displayName: String, roleLabel: String, scope: String, active: Bool
    }
    struct UsersContent: Encodable, Sendable { var users: [UserRow] }

    @Sendable func users(req: Request) async throws -> Response {
        let rows = try await req.people.everyoneWithScopeNames().map { person, scopes in
            UserRow(
                username: person.username, displayName: person.displayName,
                roleLabel: Role(rawValue: person.role)?.label.text(in: req.language) ?? person.role,
                scope: scopes.joined(separator: "; "), active: person.isActive)
        }
        return try await req.renderPage("admin-users", title: .init(vi: "Người dùng", en: "Users"), UsersContent(users: rows))
    }
}
