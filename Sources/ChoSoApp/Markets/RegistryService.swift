import ChoSoCore
import Fluent
import Foundation

/// Markets, stalls and receiving accounts, as one user may see and change them. Every method
/// asks the access policy first; what the user may not see is reported as not found.
struct RegistryService {
    var database: any Database
    var user: CurrentUser

    // MARK: Access

    /// The policy's answer on a stall's takings (payment requests, cash, debts, boards).
    func salesDecision(_ action: Action, stall: StallModel, in market: MarketModel) async throws -> Decision {
        let resource = Resource.stallSales(
            stallID: try stall.requireID().uuidString, marketID: try market.requireID().uuidString, units: try await units(of: market))
        return AccessPolicy.decide(user.principal, action, resource)
    }

    private func units(of market: MarketModel) async throws -> Set<String> {
        // Only officers' rules look at units; others need not pay for loading the tree.
        guard user.role == .officer else { return [market.unitID] }
        return try await UnitService(database: database).tree().lineage(of: market.unitID)
    }

    private func authorize(_ action: Action, _ market: MarketModel) async throws {
        let resource = Resource.market(id: try market.requireID().uuidString, units: try await units(of: market))
        let decision = AccessPolicy.decide(user.principal, action, resource)
        guard decision.isAllowed else { throw AppError.denied(decision) }
    }

    private func authorize(_ action: Action, _ stall: StallModel, in market: MarketModel) async throws {
        let resource = Resource.stall(
            id: try stall.requireID().uuidString, marketID: try market.requireID().uuidString, units: try await units(of: market))
        let decision = AccessPolicy.decide(user.principal, action, resource)
        guard decision.isAllowed else { throw AppError.denied(decision) }
    }

    /// The board's bounds for one entry at its market (audited).
    func setEntryLimits(marketID: String, ceiling: Int64?, warnAbove: Int64?) async throws -> MarketModel {
        let market = try await findMarket(marketID)
        try await authorize(.update, market)
        let current = market.entryLimits
        let limits: AmountLimits
        switch AmountLimits.validate(
            ceiling: ceiling.map(Money.init(dong:)) ?? current.ceiling, warnAbove: warnAbove.map(Money.init(dong:)) ?? current.warnAbove) {
        case .valid(let valid): limits = valid
        case .invalid(let errors): throw AppError.invalid(ValidationFailure(errors: errors))
        }
        market.entryCeiling = limits.ceiling.dong
        market.entryWarnAbove = limits.warnAbove.dong
        try await database.transaction { db in
            try await market.save(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "market.entry_limits", subjectType: "market", subjectID: market.id,
                detail: "\(limits.ceiling.formatted) / \(limits.warnAbove.formatted)")
        }
        return market
    }

    private func findMarket(_ id: String) async throws -> MarketModel {
        guard let uuid = UUID(uuidString: id), let market = try await MarketModel.find(uuid, on: database) else {
            throw AppError.notFound
        }
        return market
    }

    private func findStall(_ id: String) async throws -> (StallModel, MarketModel) {
        guard let uuid = UUID(uuidString: id),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        return (stall, stall.market)
    }

    /// A stall not yet made, as the policy sees it: in this market, with no id of its own.
    private func newStall(in market: MarketModel) async throws -> Resource {
        .stall(id: "", marketID: try market.requireID().uuidString, units: try await units(of: market))
    }

    private func authorizeNewStall(in market: MarketModel) async throws {
        let decision = AccessPolicy.decide(user.principal, .create, try await newStall(in: market))
        guard decision.isAllowed else { throw AppError.denied(decision) }
    }

    func canManage(_ market: MarketModel) async throws -> Bool {
        AccessPolicy.permits(user.principal, .create, try await newStall(in: market))
    }

    // MARK: Markets

    struct MarketSummary {
        var market: MarketModel
        var stallCount: Int
        var unitName: String?
    }

    func visibleMarkets() async throws -> [MarketSummary] {
        let tree = try await UnitService(database: database).tree()
        var result: [MarketSummary] = []
        for market in try await MarketModel.query(on: database).sort(\.$name).all() {
            let resource = Resource.market(id: try market.requireID().uuidString, units: tree.lineage(of: market.unitID))
            guard AccessPolicy.permits(user.principal, .read, resource) else { continue }
            let count = try await StallModel.query(on: database)
                .filter(\.$market.$id == (try market.requireID())).filter(\.$isActive == true).count()
            result.append(MarketSummary(market: market, stallCount: count, unitName: tree.units[market.unitID]?.name))
        }
        return result
    }

    /// The market, when this user may read it (reports: without the summary's counts).
    func readableMarket(_ id: String) async throws -> MarketModel {
        let market = try await findMarket(id)
        try await authorize(.read, market)
        return market
    }

    func market(_ id: String) async throws -> MarketSummary {
        let market = try await readableMarket(id)
        let count = try await StallModel.query(on: database)
            .filter(\.$market.$id == (try market.requireID())).filter(\.$isActive == true).count()
        let unitName = try await AdminUnitModel.find(market.unitID, on: database)?.name
        return MarketSummary(market: market, stallCount: count, unitName: unitName)
    }

    // MARK: Stalls

    struct StallRecord {
        var stall: StallModel
        /// Active accounts first; with history, former ones follow, newest first.
        var accounts: [ReceivingAccountModel]
    }

    func stalls(ofMarket id: String, includeInactive: Bool = false, matching search: StallSearch? = nil) async throws -> [StallRecord] {
        let market = try await findMarket(id)
        try await authorize(.read, market)
        var query = StallModel.query(on: database).filter(\.$market.$id == (try market.requireID()))
        if !includeInactive { query = query.filter(\.$isActive == true) }
        let stalls = try await query.all()
        let ids = try stalls.map { try $0.requireID() }
        let accounts = try await ReceivingAccountModel.query(on: database)
            .filter(\.$stall.$id ~~ ids).filter(\.$activeKind != nil).all()
        let byStall = Dictionary(grouping: accounts, by: { $0.$stall.id })
        return stalls
            .sorted { StallNumberOrder.precedes($0.number, $1.number) }
            .map { StallRecord(stall: $0, accounts: (byStall[$0.id!] ?? []).sorted { $0.kind < $1.kind }) }
            .filter { record in
                search?.matches(
                    number: record.stall.number, name: record.stall.name, trade: record.stall.trade, keeper: record.stall.keeperName,
                    phone: record.stall.phone, accountNumbers: record.accounts.map(\.accountNumber)) ?? true
            }
            .enumerated()
            .sorted { lhs, rhs in
                // Stable: natural order within a rank.
                let left = search?.rank(number: lhs.element.stall.number, name: lhs.element.stall.name) ?? 0
                let right = search?.rank(number: rhs.element.stall.number, name: rhs.element.stall.name) ?? 0
                return (left, lhs.offset) < (right, rhs.offset)
            }
            .map(\.element)
    }

    /// Stall numbers sort as people read them: 2 before 10, then letters.
    func stall(_ id: String) async throws -> (StallRecord, MarketModel) {
        let (stall, market) = try await findStall(id)
        try await authorize(.read, stall, in: market)
        let accounts = try await ReceivingAccountModel.query(on: database)
            .filter(\.$stall.$id == stall.requireID()).sort(\.$createdAt, .descending).all()
        let ordered = accounts.filter(\.isActive) + accounts.filter { !$0.isActive }
        return (StallRecord(stall: stall, accounts: ordered), market)
    }

    struct AuditLine: Sendable {
        var at: Date
        var action: String
        var actor: String
        var detail: String
    }

    /// Who changed what on a stall and when: for the market board (and administrators) only.
    func auditTrail(ofStall id: String, limit: Int = 50) async throws -> [AuditLine] {
        let (stall, market) = try await findStall(id)
        try await authorize(.update, stall, in: market)
        let entries = try await AuditEntryModel.query(on: database)
            .filter(\.$subjectType == "stall").filter(\.$subjectID == stall.requireID().uuidString)
            .sort(\.$at, .descending).limit(limit).all()
        let actorIDs = Set(entries.compactMap(\.actorID))
        let names = Dictionary(
            try await UserModel.query(on: database).filter(\.$id ~~ Array(actorIDs)).all().map { ($0.id!, $0.username) },
            uniquingKeysWith: { first, _ in first })
        return entries.map {
            AuditLine(at: $0.at, action: $0.action, actor: $0.actorID.flatMap { names[$0] } ?? "—", detail: $0.detail)
        }
    }

    /// The merchant logins linked to a stall, for the board to see who can sign in for it.
    func merchantUsernames(ofStall stall: StallModel) async throws -> [String] {
        let links = try await UserScopeModel.query(on: database)
            .filter(\.$scopeID == stall.requireID().uuidString).with(\.$user).all()
        return links.map(\.user).filter { $0.role == Role.merchant.rawValue }.map(\.username).sorted()
    }

    /// The stalls this user keeps (merchants) — their home screen.
    func ownStalls() async throws -> [StallModel] {
        let ids = user.scope.compactMap(UUID.init(uuidString:))
        guard user.role == .merchant, !ids.isEmpty else { return [] }
        return try await StallModel.query(on: database).filter(\.$id ~~ ids).with(\.$market).all()
            .sorted { StallNumberOrder.precedes($0.number, $1.number) }
    }

    func createStall(inMarket id: String, _ input: StallInput, account: ReceivingAccountInput?) async throws -> StallModel {
        let market = try await findMarket(id)
        try await authorizeNewStall(in: market)

        var errors = RegistryValidation.validate(input).errors
        let accountFields = account.map { RegistryValidation.validate($0) }
        errors += accountFields?.errors.map { error in
            var prefixed = error
            prefixed.field = "account." + error.field
            return prefixed
        } ?? []
        if let number = Self.validNumber(input, errors: errors), try await numberTaken(number, in: market, except: nil) {
            errors.append(Self.numberTakenError(number))
        }
        guard errors.isEmpty else { throw AppError.invalid(ValidationFailure(errors: errors)) }
        let fields = try RegistryValidation.validate(input).get()

        let created = StallModel(marketID: try market.requireID(), fields: fields)
        try await database.transaction { db in
            try await created.create(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "stall.create", subjectType: "stall", subjectID: created.id,
                detail: "\(fields.number) \(fields.name)")
            if case .valid(let accountFields)? = accountFields {
                try await insertAccount(accountFields, stallID: created.requireID(), on: db)
            }
        }
        return created
    }

    func updateStall(_ id: String, _ input: StallInput, requestExpiryMinutes: Int? = nil) async throws -> StallModel {
        let (stall, market) = try await findStall(id)
        try await authorize(.update, stall, in: market)
        var errors = RegistryValidation.validate(input).errors
        if let minutes = requestExpiryMinutes { errors += RegistryValidation.validateRequestExpiry(minutes).errors }
        if let number = Self.validNumber(input, errors: errors),
           try await numberTaken(number, in: market, except: stall.requireID()) {
            errors.append(Self.numberTakenError(number))
        }
        guard errors.isEmpty else { throw AppError.invalid(ValidationFailure(errors: errors)) }
        let fields = try RegistryValidation.validate(input).get()
        let before = "\(stall.number) \(stall.name) | \(stall.keeperName) | \(stall.phone ?? "") | \(stall.requestExpiryMinutes) min"
        stall.apply(fields)
        if let minutes = requestExpiryMinutes { stall.requestExpiryMinutes = minutes }
        try await database.transaction { db in
            try await stall.save(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "stall.update", subjectType: "stall", subjectID: stall.id,
                detail: "\(before) → \(fields.number) \(fields.name) | \(fields.keeperName) | \(fields.phone ?? "") | \(stall.requestExpiryMinutes) min")
        }
        return stall
    }

    func setStallActive(_ id: String, active: Bool) async throws -> StallModel {
        let (stall, market) = try await findStall(id)
        try await authorize(.deactivate, stall, in: market)
        guard stall.isActive != active else { return stall }
        stall.isActive = active
        try await database.transaction { db in
            try await stall.save(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: active ? "stall.reactivate" : "stall.deactivate",
                subjectType: "stall", subjectID: stall.id, detail: "\(stall.number) \(stall.name)")
        }
        return stall
    }

    private func numberTaken(_ number: String, in market: MarketModel, except stallID: UUID?) async throws -> Bool {
        var query = StallModel.query(on: database).filter(\.$market.$id == (try market.requireID())).filter(\.$number == number)
        if let stallID { query = query.filter(\.$id != stallID) }
        return try await query.first() != nil
    }

    /// The stall number as it will be stored, when it is valid on its own: a clash is reported
    /// together with the other fields' problems.
    private static func validNumber(_ input: StallInput, errors: [FieldError]) -> String? {
        guard !errors.contains(where: { $0.field == "number" }) else { return nil }
        return RegistryValidation.normalizedStallNumber(input.number)
    }

    private static func numberTakenError(_ number: String) -> FieldError {
        FieldError(
            field: "number", code: "stall_number_taken",
            message: LocalizedText(vi: "Chợ này đã có quầy số \(number)", en: "This market already has a stall number \(number)"))
    }

    // MARK: Receiving accounts

    enum AccountChangeOutcome {
        /// The stall's very first account: registered at once (audited).
        case applied(ReceivingAccountModel)
        /// Any other change of where the stall's money goes: waits for a second person of the
        /// market board, and until then nothing changes.
        case pending(AccountChangeModel)
    }

    /// Registers an account for a stall. Only a stall's very first account is registered at once;
    /// any other (a replacement, a second kind, one after the last was stopped) becomes a change
    /// request that another member of the market board must confirm (DESIGN.md §7).
    func addAccount(toStall id: String, _ input: ReceivingAccountInput) async throws -> AccountChangeOutcome {
        let (stall, market) = try await findStall(id)
        try await authorize(.update, stall, in: market)
        let fields: ReceivingAccountFields
        do { fields = try RegistryValidation.validate(input).get() } catch { throw AppError.invalid(error) }
        let stallID = try stall.requireID()
        let everHadOne = try await ReceivingAccountModel.query(on: database).filter(\.$stall.$id == stallID).count() > 0
        guard everHadOne else {
            return .applied(try await database.transaction { db in try await insertAccount(fields, stallID: stallID, on: db) })
        }
        return .pending(try await requestChange(
            .add, stallID: stallID, account: nil, kind: fields.kind.rawValue, bin: fields.bank.bin, accountNumber: fields.accountNumber,
            holderName: fields.holderName, displayName: fields.displayName))
    }

    /// Stopping an account in use is a change of where the money goes: a second person confirms it.
    func deactivateAccount(_ id: String) async throws -> AccountChangeModel {
        try await requestChange(on: id, .deactivate, allowedWhenActive: true)
    }

    /// Using a former account again: a second person confirms it, like any other change.
    func reactivateAccount(_ id: String) async throws -> AccountChangeModel {
        try await requestChange(on: id, .reactivate, allowedWhenActive: false)
    }

    private func requestChange(on accountID: String, _ action: AccountChangeModel.Action, allowedWhenActive: Bool) async throws -> AccountChangeModel {
        guard let uuid = UUID(uuidString: accountID), let account = try await ReceivingAccountModel.find(uuid, on: database) else {
            throw AppError.notFound
        }
        let (stall, market) = try await findStall(account.$stall.id.uuidString)
        try await authorize(.update, stall, in: market)
        guard account.isActive == allowedWhenActive else {
            throw AppError(
                status: .conflict, code: allowedWhenActive ? "account_not_active" : "account_active",
                message: allowedWhenActive
                    ? LocalizedText(vi: "Tài khoản này đã ngừng dùng", en: "This account is no longer in use")
                    : LocalizedText(vi: "Tài khoản này đang được dùng", en: "This account is in use"))
        }
        return try await requestChange(
            action, stallID: try stall.requireID(), account: uuid, kind: account.kind, bin: account.bin, accountNumber: account.accountNumber,
            holderName: account.holderName, displayName: account.displayName)
    }

    private func requestChange(
        _ action: AccountChangeModel.Action, stallID: UUID, account: UUID?, kind: String, bin: String, accountNumber: String,
        holderName: String, displayName: String?
    ) async throws -> AccountChangeModel {
        let change = AccountChangeModel()
        change.$stall.id = stallID
        change.actionName = action.rawValue
        change.accountID = account
        change.kind = kind
        change.bin = bin
        change.accountNumber = accountNumber
        change.holderName = holderName
        change.displayName = displayName
        change.requestedBy = user.id
        change.requestedAt = Date()
        change.status = "pending"
        try await database.transaction { db in
            try await change.create(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "account.change.request", subjectType: "stall", subjectID: stallID,
                detail: "\(action.rawValue) \(kind) \(bin)/\(accountNumber) \(holderName)")
        }
        return change
    }

    func accountChanges(ofStall id: String) async throws -> [AccountChangeModel] {
        let (stall, market) = try await findStall(id)
        try await authorize(.read, stall, in: market)
        return try await AccountChangeModel.query(on: database).filter(\.$stall.$id == stall.requireID())
            .sort(\.$requestedAt, .descending).all()
    }

    /// A second member of the market board confirms a change: the new account becomes active and
    /// the old one is closed, in one transaction, with both people in the audit log.
    func confirmAccountChange(_ id: String) async throws -> AccountChangeModel {
        let (change, stall, market) = try await findChange(id)
        try await authorize(.update, stall, in: market)
        guard change.requestedBy != user.id else {
            throw AppError(
                status: .forbidden, code: "second_person_required",
                message: LocalizedText(
                    vi: "Người đề nghị đổi tài khoản không tự xác nhận được: cần một người khác trong ban quản lý chợ",
                    en: "Whoever asked for the change cannot confirm it: another member of the market board must"))
        }
        try await database.transaction { db in
            try await apply(change, stallID: stall.requireID(), on: db)
            change.status = "confirmed"
            change.decidedBy = user.id
            change.decidedAt = Date()
            try await change.save(on: db)
            let requester = try await UserModel.find(change.requestedBy, on: db)?.username ?? change.requestedBy.uuidString
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "account.change.confirm", subjectType: "stall", subjectID: stall.id,
                detail: "\(change.action.rawValue) \(change.bin)/\(change.accountNumber) requested by \(requester), confirmed by \(user.username)")
        }
        return change
    }

    func rejectAccountChange(_ id: String) async throws -> AccountChangeModel {
        let (change, stall, market) = try await findChange(id)
        try await authorize(.update, stall, in: market)
        try await database.transaction { db in
            change.status = "rejected"
            change.decidedBy = user.id
            change.decidedAt = Date()
            try await change.save(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "account.change.reject", subjectType: "stall", subjectID: stall.id,
                detail: "\(change.bin)/\(change.accountNumber) rejected by \(user.username)")
        }
        return change
    }

    private func findChange(_ id: String) async throws -> (AccountChangeModel, StallModel, MarketModel) {
        guard let uuid = UUID(uuidString: id), let change = try await AccountChangeModel.find(uuid, on: database) else {
            throw AppError.notFound
        }
        let (stall, market) = try await findStall(change.$stall.id.uuidString)
        guard change.status == "pending" else {
            // Visible to those who may see the stall; decided already.
            try await authorize(.read, stall, in: market)
            throw AppError(status: .conflict, code: "change_decided", message: .init(vi: "Yêu cầu này đã được xử lý", en: "This change was already decided"))
        }
        return (change, stall, market)
    }

    @discardableResult
    private func insertAccount(_ fields: ReceivingAccountFields, stallID: UUID, on db: any Database) async throws -> ReceivingAccountModel {
        let previous = try await ReceivingAccountModel.query(on: db)
            .filter(\.$stall.$id == stallID).filter(\.$activeKind == fields.kind.rawValue).all()
        for old in previous {
            old.activeKind = nil
            old.deactivatedAt = Date()
            try await old.save(on: db)
        }
        let account = ReceivingAccountModel(stallID: stallID, fields: fields)
        try await account.create(on: db)
        let replaced = previous.map { "\($0.bin)/\($0.accountNumber)" }.joined(separator: ",")
        try await AuditEntryModel.record(
            on: db, actor: user.id, action: "account.add", subjectType: "stall", subjectID: stallID,
            detail: "\(fields.kind.rawValue) \(fields.bank.bin)/\(fields.accountNumber) \(fields.holderName)"
                + (replaced.isEmpty ? "" : " replaces \(replaced)"))
        return account
    }

    /// Carries out a confirmed change, inside the confirming transaction.
    private func apply(_ change: AccountChangeModel, stallID: UUID, on db: any Database) async throws {
        switch change.action {
        case .add:
            let fields = try RegistryValidation.validate(ReceivingAccountInput(
                kind: change.kind, bin: change.bin, accountNumber: change.accountNumber, holderName: change.holderName,
                displayName: change.displayName ?? "")).get()
            try await insertAccount(fields, stallID: stallID, on: db)
        case .deactivate, .reactivate:
            guard let accountID = change.accountID, let account = try await ReceivingAccountModel.find(accountID, on: db),
                  account.$stall.id == stallID
            else { throw AppError.notFound }
            if change.action == .deactivate {
                guard account.isActive else { return }
                account.activeKind = nil
                account.deactivatedAt = Date()
                try await account.save(on: db)
            } else {
                guard !account.isActive else { return }
                // The account comes back in place of the one of its kind now in use.
                let current = try await ReceivingAccountModel.query(on: db)
                    .filter(\.$stall.$id == stallID).filter(\.$activeKind == account.kind).all()
                for old in current {
                    old.activeKind = nil
                    old.deactivatedAt = Date()
                    try await old.save(on: db)
                }
                account.activeKind = account.kind
                account.deactivatedAt = nil
                try await account.save(on: db)
            }
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "account.\(change.action.rawValue)", subjectType: "stall", subjectID: stallID,
                detail: "\(account.bin)/\(account.accountNumber)")
        }
    }
}
