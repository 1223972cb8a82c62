import ChoSoCore
import Vapor
import VietQR

/// What the API says about a market. Fluent models never go on the wire.
struct MarketDTO: Content {
    var id: String
    var name: String
    var kind: String
    var unitId: String
    var unitName: String?
    var address: String
    var active: Bool
    var stallCount: Int
}

struct StallDTO: Content {
    var id: String
    var marketId: String
    var number: String
    var name: String
    var trade: String?
    var keeperName: String
    var phone: String?
    /// m² ("4,50"), nil when not recorded.
    var area: String?
    var positionClass: String?
    var active: Bool
    /// How long this stall's payment requests stay open.
    var requestExpiryMinutes: Int
    /// The active receiving accounts; `GET /stalls/{id}/accounts` also returns former ones.
    var accounts: [ReceivingAccountDTO]
}

struct ReceivingAccountDTO: Content {
    var id: String
    var kind: String
    var bin: String
    var bankName: String
    var bankVerified: Bool
    var accountNumber: String
    var holderName: String
    var displayName: String?
    var active: Bool
    var createdAt: Date?
    var deactivatedAt: Date?
}

/// The body of `POST /markets/{id}/stalls` and `PATCH /stalls/{id}`: raw text, validated by the core.
struct StallBody: Content {
    var number: String?
    var name: String?
    var trade: String?
    var keeperName: String?
    var phone: String?
    /// m² as text ("4,5" or "4.5"), and `front_row`, `inner_row` or `outdoor`: what rent is billed on.
    var area: String?
    var positionClass: String?
    /// Minutes a payment request stays open (1–120; PATCH only).
    var requestExpiryMinutes: Int?
    /// Optional first receiving account, registered with the stall in one step.
    var account: ReceivingAccountBody?

    var input: StallInput {
        StallInput(number: number ?? "", name: name ?? "", trade: trade ?? "", keeperName: keeperName ?? "", phone: phone ?? "",
                   area: area ?? "", positionClass: positionClass ?? "")
    }

    /// What was typed, to show a rejected form again; keys are the template's field names.
    var formValues: [String: String] {
        ["number": number, "name": name, "trade": trade, "keeperName": keeperName, "phone": phone, "area": area, "positionClass": positionClass]
            .compactMapValues { $0 }
            .merging(account?.formValues(prefix: "account_") ?? [:]) { own, _ in own }
    }
}

struct ReceivingAccountBody: Content {
    var kind: String?
    var bin: String?
    var accountNumber: String?
    var holderName: String?
    var displayName: String?

    var input: ReceivingAccountInput {
        ReceivingAccountInput(
            kind: kind ?? "", bin: bin ?? "", accountNumber: accountNumber ?? "",
            holderName: holderName ?? "", displayName: displayName ?? "")
    }

    func formValues(prefix: String = "") -> [String: String] {
        Dictionary(uniqueKeysWithValues: [
            ("kind", kind), ("bin", bin), ("accountNumber", accountNumber), ("holderName", holderName), ("displayName", displayName),
        ].compactMap { key, value in value.map { (prefix + key, $0) } })
    }

    var isEmpty: Bool {
        [bin, accountNumber, holderName, displayName].allSatisfy { ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
    }
}

extension MarketDTO {
    init(_ market: MarketModel, stallCount: Int, unitName: String?) throws {
        self.init(
            id: try market.requireID().uuidString, name: market.name, kind: market.kind, unitId: market.unitID,
            unitName: unitName, address: market.address, active: market.isActive, stallCount: stallCount)
    }
}

extension StallDTO {
    init(_ stall: StallModel, accounts: [ReceivingAccountModel]) throws {
        self.init(
            id: try stall.requireID().uuidString, marketId: stall.$market.id.uuidString, number: stall.number,
            name: stall.name, trade: stall.trade, keeperName: stall.keeperName, phone: stall.phone,
            area: stall.areaCentiSquareMetres.map(FeeBilling.area), positionClass: stall.positionClass, active: stall.isActive, requestExpiryMinutes: stall.requestExpiryMinutes, accounts: try accounts.map(ReceivingAccountDTO.init))
    }
}

extension ReceivingAccountDTO {
    init(_ account: ReceivingAccountModel) throws {
        let bank = BankDirectory.bundled.bank(bin: account.bin)
        self.init(
            id: try account.requireID().uuidString, kind: account.kind, bin: account.bin,
            bankName: bank?.shortName ?? account.bin, bankVerified: bank?.verified ?? false,
            accountNumber: account.accountNumber, holderName: account.holderName, displayName: account.displayName,
            active: account.isActive, createdAt: account.createdAt, deactivatedAt: account.deactivatedAt)
    }
}

/// A replacement account waiting for (or decided by) a second member of the market board.
struct AccountChangeDTO: Content {
    var id: String
    var stallId: String
    /// add, deactivate or reactivate.
    var action: String
    /// The account a deactivation or reactivation is about.
    var accountId: String?
    var kind: String
    var bin: String
    var bankName: String
    var accountNumber: String
    var holderName: String
    var status: String
    var requestedBy: String
    var requestedAt: Date
    var decidedBy: String?
    var decidedAt: Date?

    init(_ change: AccountChangeModel) throws {
        id = try change.requireID().uuidString
        stallId = change.$stall.id.uuidString
        action = change.action.rawValue
        accountId = change.accountID?.uuidString
        kind = change.kind
        bin = change.bin
        bankName = BankDirectory.bundled.bank(bin: change.bin)?.shortName ?? change.bin
        accountNumber = change.accountNumber
        holderName = change.holderName
        status = change.status
        requestedBy = change.requestedBy.uuidString
        requestedAt = change.requestedAt
        decidedBy = change.decidedBy?.uuidString
        decidedAt = change.decidedAt
    }
}

struct AuditLineDTO: Content {
    var at: Date
    var action: String
    var actor: String
    var detail: String

    init(_ line: RegistryService.AuditLine) {
        at = line.at
        action = line.action
        actor = line.actor
        detail = line.detail
    }
}
