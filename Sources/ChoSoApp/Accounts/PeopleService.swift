import ChoSoCore
import Fluent
import Vapor

/// People managed without a shell: the administrator, and a market board for its own market,
/// create logins for stall keepers (tied to their stalls) and board members, reset a password
/// (a one-time code shown once; the user chooses their own at the next sign-in), disable and
/// enable a login. Every step is audited; disabling or a reset ends the user's sessions and tokens.
struct PeopleService {
    var accounts: AccountService
    var user: CurrentUser
    var database: any Database { accounts.database }

    struct Person {
        var model: UserModel
        var role: Role
        var scopes: [String]
        var marketIDs: Set<String>
    }

    /// A login and the one-time code to hand to its owner (shown once, never stored in clear).
    struct Issued {
        var person: Person
        var oneTimeCode: String
    }

    /// The logins of a market's stall keepers and board members.
    func people(ofMarket marketID: String) async throws -> [Person] {
        guard let uuid = UUID(uuidString: marketID), let market = try await MarketModel.find(uuid, on: database) else { throw AppError.notFound }
        let decision = AccessPolicy.decide(user.principal, .read, .marketIntake(marketID: try market.requireID().uuidString))
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let stallIDs = try await StallModel.query(on: database).filter(\.$market.$id == uuid).all().compactMap { $0.id?.uuidString }
        let scopes = try await UserScopeModel.query(on: database).filter(\.$scopeID ~~ (stallIDs + [marketID])).all()
        let userIDs = Set(scopes.map { $0.$user.id })
        let users = try await UserModel.query(on: database).filter(\.$id ~~ Array(userIDs)).with(\.$scopes).sort(\.$username).all()
        return try await users.asyncMap { try await person($0) }.filter { $0.role == .merchant || $0.role == .marketManager }
    }

    func person(_ model: UserModel) async throws -> Person {
        let role = Role(rawValue: model.role) ?? .merchant
        let scopes: [String]
        if let loaded = model.$scopes.value { scopes = loaded.map(\.scopeID) } else { scopes = try await model.$scopes.get(on: database).map(\.scopeID) }
        return Person(model: model, role: role, scopes: scopes.sorted(), marketIDs: try await markets(role: role, scope: scopes))
    }

    /// The markets a login belongs to: its stalls' markets (a keeper), its markets (a board member).
    func markets(role: Role, scope: [String]) async throws -> Set<String> {
        switch role {
        case .marketManager: return Set(scope)
        case .merchant:
            let ids = scope.compactMap(UUID.init(uuidString:))
            guard !ids.isEmpty else { return [] }
            return Set(try await StallModel.query(on: database).filter(\.$id ~~ ids).all().map { $0.$market.id.uuidString })
        default: return []
        }
    }

    /// Whether the signed-in user may reset or disable this login (the page offers only what works).
    func canChange(_ person: Person) -> Bool {
        (try? authorize(.update, person)) != nil
    }

    /// Board-member logins are the administrator's to make.
    var canMakeBoardLogins: Bool { user.role == .admin }

    private func authorize(_ action: Action, _ person: Person) throws {
        let decision = AccessPolicy.decide(
            user.principal, action, .login(userID: person.model.id?.uuidString ?? "", role: person.role, marketIDs: person.marketIDs))
        guard decision.isAllowed else { throw AppError.denied(decision) }
    }

    private func find(_ id: String) async throws -> Person {
        guard let uuid = UUID(uuidString: id), let model = try await UserModel.query(on: database).filter(\.$id == uuid).with(\.$scopes).first()
        else { throw AppError.notFound }
        return try await person(model)
    }

    func createLogin(username: String, displayName: String, role: Role, scope: [String]) async throws -> Issued {
        let marketIDs = try await markets(role: role, scope: scope)
        let decision = AccessPolicy.decide(user.principal, .create, .login(userID: "", role: role, marketIDs: marketIDs))
        // A board asking for a role or a stall it does not manage gets the same answer as a typo.
        if !decision.isAllowed, user.role != .admin {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: "scope", code: "scope_not_managed",
                message: LocalizedText(
                    vi: "Ban quản lý chỉ tạo tài khoản cho tiểu thương các quầy của chợ mình; tài khoản thành viên ban quản lý do quản trị viên tạo",
                    en: "A market board creates logins only for its own market's stall keepers; board members' logins are the administrator's"))))
        }
        let code = Self.newOneTimeCode()
        let model = try await accounts.createUser(
            .init(username: username, displayName: displayName, password: code, role: role, scope: scope, mustChangePassword: true),
            actor: user.id)
        return Issued(person: try await find(try model.requireID().uuidString), oneTimeCode: code)
    }

    func resetPassword(_ id: String) async throws -> Issued {
        let person = try await find(id)
        try authorize(.update, person)
        let code = Self.newOneTimeCode()
        let hash = try await accounts.hasher.hash(code).get()
        try await database.transaction { db in
            person.model.passwordHash = hash
            person.model.mustChangePassword = true
            try await accounts.endCredentials(of: person.model, on: db)
            try await AttemptLimiter(database: db, throttle: accounts.config.loginThrottle).forget(subject: person.model.username)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "user.reset_password", subjectType: "user", subjectID: person.model.id, detail: person.model.username)
        }
        return Issued(person: person, oneTimeCode: code)
    }

    func setActive(_ id: String, active: Bool) async throws -> Person {
        let person = try await find(id)
        try authorize(.deactivate, person)
        guard person.model.isActive != active else { return person }
        try await database.transaction { db in
            person.model.isActive = active
            // Disabling ends every session and token at once (open streams close within seconds).
            if !active { try await accounts.endCredentials(of: person.model, on: db) } else { try await person.model.save(on: db) }
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: active ? "user.enable" : "user.disable", subjectType: "user", subjectID: person.model.id,
                detail: person.model.username)
        }
        return person
    }

    /// Twelve Crockford characters in three groups (`K7M2-9QXA-3F0B`): about 60 bits, easy to
    /// read out over the phone, and useless after the first sign-in.
    static func newOneTimeCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let characters = (0..<12).map { _ in alphabet[Int.random(in: 0..<32)] }
        return [0, 4, 8].map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

extension Request {
    var people: PeopleService {
        get throws { PeopleService(accounts: accounts, user: try requireUser()) }
    }
}
