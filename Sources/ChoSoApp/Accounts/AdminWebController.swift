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
        let user = try req.requireUser()
        let decision = AccessPolicy.decide(user.principal, .read, .administration)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let rows = try await UserModel.query(on: req.db).with(\.$scopes).sort(\.$username).all().map {
            UserRow(
                username: $0.username, displayName: $0.displayName,
                roleLabel: Role(rawValue: $0.role)?.label.text(in: req.language) ?? $0.role,
                scope: $0.scopes.map(\.scopeID).sorted().joined(separator: ", "), active: $0.isActive)
        }
        return try await req.renderPage("admin-users", title: .init(vi: "Người dùng", en: "Users"), UsersContent(users: rows))
    }
}
