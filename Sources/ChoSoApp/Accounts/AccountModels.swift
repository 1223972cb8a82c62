import ChoSoCore
import Fluent
import Foundation

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @Field(key: "is_active") var isActive: Bool
    @OptionalField(key: "language") var language: String?
    /// Raised to end every session begun before (disabled, password changed); nil is 0.
    @OptionalField(key: "credential_epoch") var credentialEpoch: Int?
    /// After a reset: the next sign-in must choose a new password.
    @OptionalField(key: "must_change_password") var mustChangePassword: Bool?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Children(for: \.$user) var scopes: [UserScopeModel]

    init() {}

    init(id: UUID? = nil, username: String, displayName: String, passwordHash: String, role: Role) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.isActive = true
    }
}

/// One id of a user's scope: a unit (officer), market (market manager), stall (merchant) or team.
final class UserScopeModel: Model, @unchecked Sendable {
    static let schema = "user_scopes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "scope_id") var scopeID: String

    init() {}

    init(userID: UUID, scopeID: String) {
        self.$user.id = userID
        self.scopeID = scopeID
    }
}

/// An API bearer token. Only the SHA-256 of the token is stored; the token is shown once.
final class APITokenModel: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(userID: UUID, name: String, tokenHash: String) {
        self.$user.id = userID
        self.name = name
        self.tokenHash = tokenHash
    }
}

/// A failed login, kept for rate limiting in the database so that every server process sees it.
final class LoginFailureModel: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "client_address") var clientAddress: String
    @Field(key: "failed_at") var failedAt: Date

    init() {}

    init(username: String, clientAddress: String, failedAt: Date) {
        self.username = username
        self.clientAddress = clientAddress
        self.failedAt = failedAt
    }
}
