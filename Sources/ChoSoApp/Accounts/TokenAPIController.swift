import ChoSoCore
import Vapor

/// `POST/GET /api/v1/auth/tokens`, `DELETE /api/v1/auth/tokens/{tokenId}`, `GET /api/v1/me`.
struct TokenAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let tokens = routes.grouped("auth", "tokens")
        tokens.rateLimited(.login).post(use: issue)
        tokens.get(use: list)
        tokens.delete(":tokenId", use: revoke)
        routes.get("me", use: me)
    }

    struct IssueBody: Content {
        var username: String
        var password: String
        var name: String?
    }

    struct TokenDTO: Content {
        var id: String
        var name: String
        /// Present only in the answer that issues the token.
        var token: String?
        var createdAt: Date?
        var lastUsedAt: Date?
        var revokedAt: Date?

        init(_ model: APITokenModel, token: String? = nil) throws {
            id = try model.requireID().uuidString
            name = model.name
            self.token = token
            createdAt = model.createdAt
            lastUsedAt = model.lastUsedAt
            revokedAt = model.revokedAt
        }
    }

    @Sendable func issue(req: Request) async throws -> Response {
        let body = try req.content.decode(IssueBody.self)
        let accounts = req.accounts
        let user = try await accounts.authenticate(
            username: body.username, password: body.password, clientAddress: req.clientAddress)
        let name = TextNormalization.clean(body.name ?? "")
        let (model, token) = try await accounts.issueToken(for: try user.requireID(), name: name.isEmpty ? "api" : String(name.prefix(60)))
        return try await TokenDTO(model, token: token).encodeResponse(status: .created, for: req).shownOnce()
    }

    @Sendable func list(req: Request) async throws -> [TokenDTO] {
        let user = try req.requireUser()
        return try await req.accounts.tokens(of: user.id).map { try TokenDTO($0) }
    }

    @Sendable func revoke(req: Request) async throws -> TokenDTO {
        let user = try req.requireUser()
        guard let id = req.parameters.get("tokenId").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        return try TokenDTO(try await req.accounts.revokeToken(id: id, by: user))
    }

    struct MeDTO: Content {
        var id: String
        var username: String
        var displayName: String
        var role: String
        var scope: [String]
    }

    @Sendable func me(req: Request) async throws -> MeDTO {
        let user = try req.requireUser()
        return MeDTO(id: user.id.uuidString, username: user.username, displayName: user.displayName, role: user.role.rawValue, scope: user.scope.sorted())
    }
}
