import ChoSoCore
import Fluent
import Foundation

/// The account a market collects fees on (issue 15). Like a stall's receiving account
/// (DESIGN.md §7): the market's first one is registered at once; any other change waits for a
/// second member of the board, and until then the money keeps going where it went.
struct MarketAccountService {
    var database: any Database
    var user: CurrentUser

    enum Outcome {
        case applied(MarketAccountModel)
        case pending(MarketAccountChangeModel)
    }

    private var fees: FeeService { FeeService(database: database, user: user, timeZone: .current) }

    func current(market marketID: UUID, on db: (any Database)? = nil) async throws -> MarketAccountModel? {
        try await MarketAccountModel.query(on: db ?? database).filter(\.$marketID == marketID).filter(\.$activeMarket != nil).first()
    }

    func pending(market marketID: UUID) async throws -> [MarketAccountChangeModel] {
        try await MarketAccountChangeModel.query(on: database).filter(\.$marketID == marketID).filter(\.$status == "pending")
            .sort(\.$requestedAt).all()
    }

    func register(market marketID: String, _ input: ReceivingAccountInput) async throws -> Outcome {
        let market = try await fees.managedMarket(marketID)
        let id = try market.requireID()
        var input = input
        input.kind = AccountKind.bank.rawValue
        let fields = try RegistryValidation.validate(input).valueOrInvalid()
        // The same number for a stall's takings and the market's fees would make the two
        // indistinguishable when the money arrives.
        if try await ReceivingAccountModel.query(on: database).filter(\.$accountNumber == fields.accountNumber)
            .filter(\.$bin == fields.bank.bin).filter(\.$activeKind != nil).count() > 0 {
            throw AppError.invalid(ValidationFailure(FieldError(field: "accountNumber", code: "stall_account", message: .init(
                vi: "Tài khoản này đang nhận tiền bán hàng của một quầy: tài khoản thu phí phải là tài khoản riêng của chợ",
                en: "This account receives a stall's takings: the fee account must be the market's own"))))
        }
        let everHadOne = try await MarketAccountModel.query(on: database).filter(\.$marketID == id).count() > 0
        if !everHadOne {
            return .applied(try await database.transaction { db in
                try await activate(market: id, bin: fields.bank.bin, number: fields.accountNumber, holder: fields.holderName, on: db)
            })
        }
        let change = MarketAccountChangeModel()
        change.marketID = id
        change.bin = fields.bank.bin
        change.accountNumber = fields.accountNumber
        change.holderName = fields.holderName
        change.requestedBy = user.id
        change.requestedAt = Date()
        change.status = "pending"
        try await database.transaction { db in
            try await change.create(on: db)
            try await AuditEntryModel.record(on: db, actor: user.id, action: "market_account.change.request", subjectType: "market", subjectID: id,
                                             detail: "\(fields.bank.bin)/\(fields.accountNumber) \(fields.holderName)")
        }
        return .pending(change)
    }

    /// Another board member confirms (never the one who asked) or rejects a pending change.
    func decide(change changeID: String, confirm: Bool) async throws -> MarketAccountChangeModel {
        guard let uuid = UUID(uuidString: changeID), let change = try await MarketAccountChangeModel.find(uuid, on: database) else { throw AppError.notFound }
        _ = try await fees.managedMarket(change.marketID.uuidString)
        guard change.status == "pending" else {
            throw AppError(status: .conflict, code: "change_decided", message: .init(vi: "Yêu cầu này đã được xử lý", en: "This change was already decided"))
        }
        if confirm && change.requestedBy == user.id {
            throw AppError(status: .forbidden, code: "second_person_required", message: .init(
                vi: "Người đề nghị đổi tài khoản không tự xác nhận được: cần một người khác trong ban quản lý chợ",
                en: "Whoever asked for the change cannot confirm it: another member of the market board must"))
        }
        try await database.transaction { db in
            // Decided once: a second tap, or a colleague at the same moment, finds it decided.
            guard let fresh = try await MarketAccountChangeModel.find(uuid, on: db), fresh.status == "pending" else {
                throw AppError(status: .conflict, code: "change_decided", message: .init(vi: "Yêu cầu này đã được xử lý", en: "This change was already decided"))
            }
            if confirm {
                try await activate(market: change.marketID, bin: change.bin, number: change.accountNumber, holder: change.holderName, on: db)
            }
            change.status = confirm ? "confirmed" : "rejected"
            change.decidedBy = user.id
            change.decidedAt = Date()
            try await change.save(on: db)
            try await AuditEntryModel.record(on: db, actor: user.id, action: "market_account.change.\(change.status)", subjectType: "market",
                                             subjectID: change.marketID, detail: "\(change.bin)/\(change.accountNumber) by \(user.username)")
        }
        return change
    }

    @discardableResult
    private func activate(market: UUID, bin: String, number: String, holder: String, on db: any Database) async throws -> MarketAccountModel {
        if let old = try await current(market: market, on: db) {
            old.activeMarket = nil
            old.deactivatedAt = Date()
            try await old.save(on: db)
        }
        let account = MarketAccountModel()
        account.marketID = market
        account.bin = bin
        account.accountNumber = number
        account.holderName = holder
        account.activeMarket = market
        account.createdBy = user.id
        account.createdAt = Date()
        try await account.create(on: db)
        try await AuditEntryModel.record(on: db, actor: user.id, action: "market_account.add", subjectType: "market", subjectID: market,
                                         detail: "\(bin)/\(number) \(holder)")
        return account
    }
}
