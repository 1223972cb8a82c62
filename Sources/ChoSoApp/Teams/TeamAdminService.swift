import ChoSoCore
import Fluent
import Foundation
import Vapor

/// Commune officers and administrators manage teams (issue 14): a team and the hamlets it serves,
/// its members with their logins, and its targets. Every change is audited.
struct TeamAdminService {
    var accounts: AccountService
    var user: CurrentUser
    var timeZone: TimeZone
    var database: any Database { accounts.database }
    var today: Day { Day(Date(), in: timeZone) }

    /// A team the caller may read; `change` asks for the right to manage it too. Others are 404.
    func team(_ id: String, change: Bool = false) async throws -> (team: TeamModel, tree: UnitTree) {
        guard let uuid = UUID(uuidString: id), let team = try await TeamModel.find(uuid, on: database) else { throw AppError.notFound }
        let tree = try await UnitService(database: database).tree()
        let decision = AccessPolicy.decide(user.principal, change ? .update : .read, .team(id: uuid.uuidString, units: tree.lineage(of: team.unitID)))
        guard decision.isAllowed else { throw AppError.denied(decision) }
        return (team, tree)
    }

    func createTeam(_ input: TeamInput) async throws -> TeamModel {
        let tree = try await UnitService(database: database).tree()
        let fields = try TeamValidation.validate(input, tree: tree, today: today).valueOrInvalid()
        let decision = AccessPolicy.decide(user.principal, .create, .team(id: "", units: tree.lineage(of: fields.unit)))
        guard decision.isAllowed else {
            // An officer naming another commune gets the answer a typo gets.
            throw AppError.invalid(ValidationFailure(FieldError(field: "unit", code: "unit_not_managed", message: .init(
                vi: "Bạn chỉ lập tổ cho xã mình phụ trách", en: "You set up teams only for the communes you serve"))))
        }
        let team = TeamModel(name: fields.name, unitID: fields.unit)
        try await write { db in
            try await team.create(on: db)
            for hamlet in fields.hamlets { try await TeamHamletModel(teamID: try team.requireID(), unitID: hamlet).create(on: db) }
            try await audit("team.create", team.id, "\(fields.name) · \(fields.hamlets.count) ấp", on: db)
        }
        return team
    }

    /// The hamlets a team serves (none: the whole commune).
    func setHamlets(_ teamID: String, _ hamlets: [String]) async throws {
        let (team, tree) = try await team(teamID, change: true)
        // A team set up before a merger serves hamlets of the commune it is part of today.
        let commune = CommunityReach.currentCommune(of: team, tree: tree, on: today)
        let fields = try TeamValidation.validate(TeamInput(name: team.name, unit: commune, hamlets: hamlets), tree: tree, today: today).valueOrInvalid()
        let id = try team.requireID()
        try await write { db in
            try await TeamHamletModel.query(on: db).filter(\.$team.$id == id).delete()
            for hamlet in fields.hamlets { try await TeamHamletModel(teamID: id, unitID: hamlet).create(on: db) }
            try await audit("team.hamlets", id, fields.hamlets.joined(separator: ","), on: db)
        }
    }

    func members(_ teamID: String) async throws -> [TeamMemberModel] {
        let (team, _) = try await team(teamID)
        return try await TeamMemberModel.query(on: database).filter(\.$team.$id == team.requireID()).sort(\.$fullName).all()
    }

    /// A new member, and their login when a user name is given: the one-time code is returned
    /// once, to hand over; the member chooses their own password at the first sign-in.
    func addMember(_ teamID: String, _ input: TeamMemberInput) async throws -> (member: TeamMemberModel, oneTimeCode: String?) {
        let (team, _) = try await team(teamID, change: true)
        let fields = try TeamValidation.validate(input, today: today).valueOrInvalid()
        let id = try team.requireID()
        let member = TeamMemberModel(teamID: id, fullName: fields.fullName, phone: fields.phone)
        member.role = fields.role.rawValue
        member.affiliation = fields.affiliation.rawValue
        member.activeFrom = fields.activeFrom.iso
        member.activeTo = fields.activeTo?.iso
        let code = fields.username.map { _ in PeopleService.newOneTimeCode() }
        try await write { db in
            if let username = fields.username, let oneTimeCode = code {
                let login = try await AccountService(database: db, hasher: accounts.hasher, config: accounts.config).createUser(
                    .init(username: username, displayName: fields.fullName, password: oneTimeCode, role: .teamMember,
                          scope: [id.uuidString], mustChangePassword: true),
                    actor: user.id)
                member.userID = try login.requireID()
            }
            try await member.create(on: db)
            try await audit("team.member.add", id, "\(fields.fullName) · \(fields.role.rawValue)", on: db)
        }
        return (member, code)
    }

    /// The member leaves the team today: kept in the history, their login disabled.
    func endMember(_ teamID: String, _ memberID: String) async throws -> TeamMemberModel {
        let (member, login) = try await member(teamID, memberID)
        try await write { db in
            member.activeTo = today.iso
            try await member.save(on: db)
            if let login {
                login.isActive = false
                try await accounts.endCredentials(of: login, on: db)
            }
            try await audit("team.member.end", member.$team.id, member.fullName, on: db)
        }
        return member
    }

    /// A new one-time code for a member's login (a forgotten password on a shared phone).
    func resetMemberPassword(_ teamID: String, _ memberID: String) async throws -> String {
        let (member, login) = try await member(teamID, memberID)
        // A member who has left (their last day today or earlier) keeps their login disabled.
        guard let login, member.activeTo.flatMap(Day.init(iso:)).map({ $0 > today }) ?? true else {
            throw AppError(status: .conflict, code: "no_login", message: .init(
                vi: "Thành viên này không có tài khoản đang hoạt động", en: "This member has no active login"))
        }
        let code = PeopleService.newOneTimeCode()
        let hash = try await accounts.hasher.hash(code).get()
        try await write { db in
            login.passwordHash = hash
            login.mustChangePassword = true
            login.isActive = true
            try await accounts.endCredentials(of: login, on: db)
            try await audit("team.member.reset_password", member.$team.id, member.fullName, on: db)
        }
        return code
    }

    private func member(_ teamID: String, _ memberID: String) async throws -> (TeamMemberModel, UserModel?) {
        let (team, _) = try await team(teamID, change: true)
        guard let uuid = UUID(uuidString: memberID), let member = try await TeamMemberModel.find(uuid, on: database),
              member.$team.id == team.id else { throw AppError.notFound }
        // Only a team login is touched here: never an officer's or a board's account.
        let login = try await member.userID.asyncFlatMap { try await UserModel.find($0, on: database) }
        return (member, login?.role == Role.teamMember.rawValue ? login : nil)
    }

    /// Sets a target (again, to change it): one per team, period and item, held by a unique key;
    /// two officers setting it at once both end on one row (the loser retries as an update).
    func setTarget(_ teamID: String, _ input: TargetInput) async throws -> CommunityTargetModel {
        let (team, _) = try await team(teamID, change: true)
        let fields = try TeamValidation.validate(input, today: today).valueOrInvalid()
        let id = try team.requireID()
        do {
            return try await saveTarget(id, fields)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await saveTarget(id, fields)
        }
    }

    private func saveTarget(_ id: UUID, _ fields: TargetFields) async throws -> CommunityTargetModel {
        let key = CommunityTargetModel.key(teamID: id, hamletID: nil, period: fields.period.rawValue, start: fields.start.iso, item: fields.item)
        return try await write { db in
            let row = try await CommunityTargetModel.query(on: db).filter(\.$targetKey == key).first() ?? CommunityTargetModel()
            if row.id == nil { row.id = UUID() }
            row.teamID = id
            row.period = fields.period.rawValue
            row.periodStart = fields.start.iso
            row.item = fields.item
            row.target = fields.target
            row.planReference = fields.planReference
            row.createdBy = user.id
            row.createdAt = Date()
            row.targetKey = key
            try await row.save(on: db)
            try await audit("team.target", id, "\(fields.item) \(fields.period.rawValue) \(fields.start.iso) = \(fields.target)", on: db)
            return row
        }
    }

    /// One transaction; on SQLite one at a time with the teams' other writers (a transaction that
    /// read first cannot take the write lock while another holds it: "database is locked").
    private func write<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let database = database
        return try await SyncGate.shared.around(database) { try await database.transaction(work) }
    }

    private func audit(_ action: String, _ teamID: UUID?, _ detail: String, on db: any Database) async throws {
        try await AuditEntryModel.record(on: db, actor: user.id, action: action, subjectType: "team", subjectID: teamID, detail: detail)
    }
}

extension Request {
    var teamAdmin: TeamAdminService {
        get throws { TeamAdminService(accounts: accounts, user: try requireUser(), timeZone: application.choSoConfig.timeZone) }
    }
}
