import ChoSoCore
import Fluent
import Vapor

/// Users, logins, tokens. The one place that hashes and checks passwords and tokens.
struct AccountService {
    var database: any Database
    var hasher: AsyncPasswordHasher
    var config: AppConfig

    static let minPasswordLength = 8

    // MARK: Users

    struct NewUser {
        var username: String
        var displayName: String
        var password: String
        var role: Role
        var scope: [String]
        /// A login made by someone else with a one-time code: its owner chooses a password first.
        var mustChangePassword = false
    }

    @discardableResult
    func createUser(_ input: NewUser, actor: UUID? = nil) async throws -> UserModel {
        var errors: [FieldError] = []
        let username = input.username.trimmingCharacters(in: .whitespaces).lowercased()
        if !Self.isValidUsername(username) {
            errors.append(FieldError(
                field: "username", code: "bad_username",
                message: LocalizedText(
                    vi: "Tên đăng nhập gồm 3–32 chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới",
                    en: "A user name has 3–32 lower-case letters, digits, dots, hyphens or underscores")))
        } else if try await UserModel.query(on: database).filter(\.$username == username).first() != nil {
            errors.append(FieldError(
                field: "username", code: "username_taken",
                message: LocalizedText(vi: "Tên đăng nhập \(username) đã có người dùng", en: "The user name \(username) is taken")))
        }
        if input.password.count < Self.minPasswordLength {
            errors.append(FieldError(
                field: "password", code: "weak_password",
                message: LocalizedText(
                    vi: "Mật khẩu cần ít nhất \(Self.minPasswordLength) ký tự",
                    en: "The password needs at least \(Self.minPasswordLength) characters")))
        }
        if input.role == .admin && !input.scope.isEmpty {
            errors.append(FieldError(
                field: "scope", code: "admin_has_no_scope",
                message: LocalizedText(vi: "Quản trị hệ thống không cần phạm vi", en: "An administrator has no scope")))
        } else if input.role != .admin {
            if input.scope.isEmpty {
                errors.append(FieldError(
                    field: "scope", code: "scope_required",
                    message: LocalizedText(
                        vi: "Vai trò \(input.role.label.vi) cần ít nhất một phạm vi (--scope)",
                        en: "The role \(input.role.label.en) needs at least one scope (--scope)")))
            }
            for scopeID in input.scope where try await !scopeExists(scopeID, kind: input.role.scopeKind) {
                errors.append(FieldError(
                    field: "scope", code: "unknown_scope",
                    message: LocalizedText(vi: "Không có mục nào mang mã \(scopeID) cho vai trò này", en: "Nothing with id \(scopeID) exists for this role")))
            }
        }
        guard errors.isEmpty else { throw AppError.invalid(ValidationFailure(errors: errors)) }

        let hash = try await hasher.hash(input.password).get()
        let user = UserModel(
            username: username, displayName: TextNormalization.clean(input.displayName.isEmpty ? username : input.displayName),
            passwordHash: hash, role: input.role)
        user.mustChangePassword = input.mustChangePassword ? true : nil
        try await database.transaction { db in
            try await user.create(on: db)
            for scopeID in Set(input.scope) {
                try await UserScopeModel(userID: try user.requireID(), scopeID: scopeID).create(on: db)
            }
            try await AuditEntryModel.record(
                on: db, actor: actor, action: "user.create", subjectType: "user", subjectID: user.id,
                detail: "\(username) \(input.role.rawValue) \(input.scope.sorted().joined(separator: ","))")
        }
        return user
    }

    static func isValidUsername(_ text: String) -> Bool {
        (3...32).contains(text.count)
            && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
    }

    private func scopeExists(_ id: String, kind: ScopeKind?) async throws -> Bool {
        switch kind {
        case .unit: return try await AdminUnitModel.find(id, on: database) != nil
        case .market: return try await UUID(uuidString: id).asyncFlatMap { try await MarketModel.find($0, on: database) } != nil
        case .stall: return try await UUID(uuidString: id).asyncFlatMap { try await StallModel.find($0, on: database) } != nil
        case .team: return try await UUID(uuidString: id).asyncFlatMap { try await TeamModel.find($0, on: database) } != nil
        case .producer: return try await UUID(uuidString: id).asyncFlatMap { try await OcopProducerModel.find($0, on: database) } != nil
        case nil: return false
        }
    }

    /// The active user behind a proof; for a session, only if it began in the user's current
    /// credential epoch (`sessionEpoch`), so that disabling or a new password ends older sessions.
    func currentUser(id: UUID, proof: CurrentUser.Proof, sessionEpoch: Int? = nil, tokenID: UUID? = nil) async throws -> CurrentUser? {
        guard let user = try await UserModel.query(on: database).filter(\.$id == id).with(\.$scopes).first(),
              user.isActive, let role = Role(rawValue: user.role)
        else { return nil }
        let epoch = user.credentialEpoch ?? 0
        if proof == .session, (sessionEpoch ?? 0) != epoch { return nil }
        let scope = Set(user.scopes.map(\.scopeID))
        return CurrentUser(
            id: id, username: user.username, displayName: user.displayName, role: role,
            scope: scope, proof: proof, credentialEpoch: epoch, tokenID: tokenID,
            mustChangePassword: user.mustChangePassword == true,
            receivingStalls: role == .producer ? try await receivingStalls(ofProducers: scope) : [])
    }

    /// The shop stalls of these producers: a producer watches and rings up their own.
    private func receivingStalls(ofProducers ids: Set<String>) async throws -> Set<String> {
        let producerIDs = ids.compactMap(UUID.init(uuidString:))
        guard !producerIDs.isEmpty else { return [] }
        return Set(try await OcopProducerModel.query(on: database).filter(\.$id ~~ producerIDs).all().compactMap { $0.stallID?.uuidString })
    }

    /// Whether what proved `user` still does: asked by open event streams every few seconds, so a
    /// revoked token, a disabled user or a changed password closes them on every server process.
    func stillValid(_ user: CurrentUser) async throws -> Bool {
        guard let model = try await UserModel.find(user.id, on: database), model.isActive,
              (model.credentialEpoch ?? 0) == user.credentialEpoch
        else { return false }
        if let tokenID = user.tokenID {
            guard let token = try await APITokenModel.find(tokenID, on: database), token.revokedAt == nil else { return false }
        }
        return true
    }

    /// Ends every session and token of a user: after disabling them or a new password.
    func endCredentials(of user: UserModel, on db: any Database) async throws {
        user.credentialEpoch = (user.credentialEpoch ?? 0) + 1
        try await user.save(on: db)
        try await APITokenModel.query(on: db).filter(\.$user.$id == (try user.requireID())).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: Date()).update()
    }

    /// Remembers a user's language, so that it follows them to another phone at the next sign-in.
    func setLanguage(_ language: Language, forUser id: UUID) async throws {
        guard let user = try await UserModel.find(id, on: database) else { return }
        user.language = language.rawValue
        try await user.save(on: database)
    }

    // MARK: Login

    static let loginRefused = AppError(
        status: .unauthorized, code: "bad_credentials",
        message: LocalizedText(vi: "Sai tên đăng nhập hoặc mật khẩu", en: "Wrong user name or password"))

    var attempts: AttemptLimiter { AttemptLimiter(database: database, throttle: config.loginThrottle) }

    /// Checks a user name and password. Failures slow down the pair (name, address) and the
    /// address, never the name alone: a guesser elsewhere cannot lock the real user out.
    func authenticate(username rawName: String, password: String, clientAddress: String, now: Date = Date()) async throws -> UserModel {
        let username = rawName.trimmingCharacters(in: .whitespaces).lowercased()
        let hadFailures = try await attempts.check(subject: username, address: clientAddress, now: now)
        let user = try await UserModel.query(on: database).filter(\.$username == username).first()
        // Verify against a real hash even for unknown names, so timing does not tell which names exist.
        let digest = user?.passwordHash ?? Self.decoyHash
        let matches = (try? await hasher.verify(password, created: digest).get()) ?? false
        guard let user, matches, user.isActive else {
            try await attempts.recordFailure(subject: username, address: clientAddress, now: now)
            throw Self.loginRefused
        }
        if hadFailures { try await attempts.forget(subject: username, address: clientAddress) }
        return user
    }

    /// The user's own new password (after a reset, or by choice). Ends every other session and
    /// token: the caller re-signs the current session into the new epoch.
    func changePassword(userID: UUID, current: String?, new password: String) async throws -> UserModel {
        guard let user = try await UserModel.find(userID, on: database), user.isActive else { throw AppError.unauthenticated }
        var errors: [FieldError] = []
        if user.mustChangePassword != true {
            let matches = (try? await hasher.verify(current ?? "", created: user.passwordHash).get()) ?? false
            if !matches {
                errors.append(FieldError(
                    field: "currentPassword", code: "wrong_password",
                    message: LocalizedText(vi: "Mật khẩu hiện tại không đúng", en: "The current password is wrong")))
            }
        }
        if password.count < Self.minPasswordLength {
            errors.append(FieldError(
                field: "newPassword", code: "weak_password",
                message: LocalizedText(
                    vi: "Mật khẩu cần ít nhất \(Self.minPasswordLength) ký tự", en: "The password needs at least \(Self.minPasswordLength) characters")))
        } else if (try? await hasher.verify(password, created: user.passwordHash).get()) == true {
            errors.append(FieldError(
                field: "newPassword", code: "same_password",
                message: LocalizedText(vi: "Hãy chọn mật khẩu khác mật khẩu cũ", en: "Choose a password other than the old one")))
        }
        guard errors.isEmpty else { throw AppError.invalid(ValidationFailure(errors: errors)) }
        let hash = try await hasher.hash(password).get()
        try await database.transaction { db in
            user.passwordHash = hash
            user.mustChangePassword = nil
            try await endCredentials(of: user, on: db)
            try await AuditEntryModel.record(on: db, actor: userID, action: "user.change_password", subjectType: "user", subjectID: userID, detail: user.username)
        }
        return user
    }

    /// `choso user unlock NAME`: forgets the name's failed sign-ins from every address.
    func unlock(username rawName: String) async throws -> Int {
        try await attempts.forget(subject: rawName.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// Lifts the wait of an address shut out by failures under many names; how many were forgotten.
    func unlock(address rawAddress: String) async throws -> Int {
        try await attempts.forget(address: rawAddress.trimmingCharacters(in: .whitespaces))
    }

    /// A real bcrypt hash of a random string, used only to spend the same time on unknown user names.
    private static let decoyHash: String = (try? Bcrypt.hash(UUID().uuidString, cost: 12)) ?? ""

    // MARK: API tokens

    /// Issues a token: returns it once; only its hash is stored.
    func issueToken(for userID: UUID, name: String) async throws -> (APITokenModel, String) {
        let token = "cs_" + Data([UInt8].random(count: 32)).base64URLEncodedString()
        let model = APITokenModel(userID: userID, name: name, tokenHash: Self.hash(token: token))
        try await model.create(on: database)
        return (model, token)
    }

    func tokens(of userID: UUID) async throws -> [APITokenModel] {
        try await APITokenModel.query(on: database).filter(\.$user.$id == userID).sort(\.$createdAt, .descending).all()
    }

    func revokeToken(id: UUID, by user: CurrentUser) async throws -> APITokenModel {
        guard let token = try await APITokenModel.find(id, on: database) else { throw AppError.notFound }
        let decision = AccessPolicy.decide(user.principal, .deactivate, .apiToken(ownerID: token.$user.id.uuidString))
        guard decision.isAllowed else { throw AppError.denied(decision) }
        if token.revokedAt == nil {
            token.revokedAt = Date()
            try await token.save(on: database)
        }
        return token
    }

    func user(forToken token: String) async throws -> CurrentUser? {
        guard let model = try await APITokenModel.query(on: database)
            .filter(\.$tokenHash == Self.hash(token: token)).filter(\.$revokedAt == nil).first()
        else { return nil }
        // Recorded at most hourly: enough to spot a forgotten token, without a write per request.
        if model.lastUsedAt.map({ Date().timeIntervalSince($0) > 3600 }) ?? true {
            model.lastUsedAt = Date()
            try await model.save(on: database)
        }
        return try await currentUser(id: model.$user.id, proof: .bearerToken, tokenID: model.id)
    }

    static func hash(token: String) -> String {
        SecretVault.hash(token)
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
