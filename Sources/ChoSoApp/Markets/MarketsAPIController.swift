import ChoSoCore
import Vapor
import VietQR

/// The market registry through the JSON API. Handlers parse, call the registry service, render.
struct MarketsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", use: markets)
        routes.get("markets", ":marketId", use: market)
        routes.get("markets", ":marketId", "stalls", use: stalls)
        routes.get("markets", ":marketId", "limits", use: limits)
        routes.put("markets", ":marketId", "limits", use: setLimits)
        routes.post("markets", ":marketId", "stalls", use: createStall)
        routes.get("stalls", ":stallId", use: stall)
        routes.patch("stalls", ":stallId", use: updateStall)
        routes.post("stalls", ":stallId", "deactivate", use: deactivateStall)
        routes.post("stalls", ":stallId", "reactivate", use: reactivateStall)
        routes.get("stalls", ":stallId", "accounts", use: accounts)
        routes.post("stalls", ":stallId", "accounts", use: addAccount)
        routes.post("accounts", ":accountId", "deactivate", use: deactivateAccount)
        routes.post("accounts", ":accountId", "reactivate", use: reactivateAccount)
        routes.get("stalls", ":stallId", "account-changes", use: accountChanges)
        routes.get("stalls", ":stallId", "audit", use: audit)
        routes.post("account-changes", ":changeId", "confirm", use: confirmChange)
        routes.post("account-changes", ":changeId", "reject", use: rejectChange)
        routes.get("banks", use: banks)
    }

    @Sendable func markets(req: Request) async throws -> [MarketDTO] {
        try await req.registry.visibleMarkets().map { try MarketDTO($0.market, stallCount: $0.stallCount, unitName: $0.unitName) }
    }

    @Sendable func market(req: Request) async throws -> MarketDTO {
        let summary = try await req.registry.market(req.parameters.get("marketId") ?? "")
        return try MarketDTO(summary.market, stallCount: summary.stallCount, unitName: summary.unitName)
    }

    @Sendable func stalls(req: Request) async throws -> [StallDTO] {
        let includeInactive = try req.booleanQuery("includeInactive") ?? false
        return try await req.registry.stalls(ofMarket: req.parameters.get("marketId") ?? "", includeInactive: includeInactive)
            .map { try StallDTO($0.stall, accounts: $0.accounts) }
    }

    @Sendable func createStall(req: Request) async throws -> Response {
        let body = try req.content.decode(StallBody.self)
        let registry = try req.registry
        let account = body.account.flatMap { $0.isEmpty ? nil : $0.input }
        let stall = try await registry.createStall(inMarket: req.parameters.get("marketId") ?? "", body.input, account: account)
        let (record, _) = try await registry.stall(try stall.requireID().uuidString)
        return try await StallDTO(record.stall, accounts: record.accounts.filter(\.isActive)).encodeResponse(status: .created, for: req)
    }

    @Sendable func stall(req: Request) async throws -> StallDTO {
        let (record, _) = try await req.registry.stall(req.parameters.get("stallId") ?? "")
        return try StallDTO(record.stall, accounts: record.accounts.filter(\.isActive))
    }

    @Sendable func updateStall(req: Request) async throws -> StallDTO {
        let body = try req.content.decode(StallBody.self)
        let registry = try req.registry
        let id = req.parameters.get("stallId") ?? ""
        // PATCH: fields left out keep their value.
        let (current, _) = try await registry.stall(id)
        let input = StallInput(
            number: body.number ?? current.stall.number, name: body.name ?? current.stall.name,
            trade: body.trade ?? current.stall.trade ?? "", keeperName: body.keeperName ?? current.stall.keeperName,
            phone: body.phone ?? current.stall.phone ?? "",
            area: body.area ?? current.stall.areaCentiSquareMetres.map(FeeBilling.area) ?? "",
            positionClass: body.positionClass ?? current.stall.positionClass ?? "")
        _ = try await registry.updateStall(id, input, requestExpiryMinutes: body.requestExpiryMinutes)
        let (record, _) = try await registry.stall(id)
        return try StallDTO(record.stall, accounts: record.accounts.filter(\.isActive))
    }

    @Sendable func deactivateStall(req: Request) async throws -> StallDTO {
        try await setActive(req, false)
    }

    @Sendable func reactivateStall(req: Request) async throws -> StallDTO {
        try await setActive(req, true)
    }

    private func setActive(_ req: Request, _ active: Bool) async throws -> StallDTO {
        let registry = try req.registry
        let id = req.parameters.get("stallId") ?? ""
        _ = try await registry.setStallActive(id, active: active)
        let (record, _) = try await registry.stall(id)
        return try StallDTO(record.stall, accounts: record.accounts.filter(\.isActive))
    }

    struct LimitsDTO: Content {
        /// Above this one entry (a payment request, a cash sale, a debt) is refused, in đồng.
        var ceiling: Int64
        /// Above this it must be confirmed (`"confirm": true`), in đồng.
        var warnAbove: Int64

        init(_ limits: AmountLimits) {
            ceiling = limits.ceiling.dong
            warnAbove = limits.warnAbove.dong
        }
    }

    struct LimitsBody: Content { var ceiling: Int64?, warnAbove: Int64? }

    @Sendable func limits(req: Request) async throws -> LimitsDTO {
        LimitsDTO(try await req.registry.readableMarket(req.parameters.get("marketId") ?? "").entryLimits)
    }

    @Sendable func setLimits(req: Request) async throws -> LimitsDTO {
        let body = try req.content.decode(LimitsBody.self)
        return LimitsDTO(try await req.registry.setEntryLimits(marketID: req.parameters.get("marketId") ?? "", ceiling: body.ceiling, warnAbove: body.warnAbove).entryLimits)
    }

    @Sendable func accounts(req: Request) async throws -> [ReceivingAccountDTO] {
        try await req.registry.stall(req.parameters.get("stallId") ?? "").0.accounts.map(ReceivingAccountDTO.init)
    }

    @Sendable func addAccount(req: Request) async throws -> Response {
        let body = try req.content.decode(ReceivingAccountBody.self)
        switch try await req.registry.addAccount(toStall: req.parameters.get("stallId") ?? "", body.input) {
        case .applied(let account):
            return try await ReceivingAccountDTO(account).encodeResponse(status: .created, for: req)
        case .pending(let change):
            // Accepted, not done: a second member of the market board must confirm.
            return try await AccountChangeDTO(change).encodeResponse(status: .accepted, for: req)
        }
    }

    @Sendable func audit(req: Request) async throws -> [AuditLineDTO] {
        try await req.registry.auditTrail(ofStall: req.parameters.get("stallId") ?? "").map(AuditLineDTO.init)
    }

    @Sendable func accountChanges(req: Request) async throws -> [AccountChangeDTO] {
        try await req.registry.accountChanges(ofStall: req.parameters.get("stallId") ?? "").map(AccountChangeDTO.init)
    }

    @Sendable func confirmChange(req: Request) async throws -> AccountChangeDTO {
        try AccountChangeDTO(try await req.registry.confirmAccountChange(req.parameters.get("changeId") ?? ""))
    }

    @Sendable func rejectChange(req: Request) async throws -> AccountChangeDTO {
        try AccountChangeDTO(try await req.registry.rejectAccountChange(req.parameters.get("changeId") ?? ""))
    }

    /// Accepted, not done: stopping (or using again) an account waits for a second person.
    @Sendable func deactivateAccount(req: Request) async throws -> Response {
        try await AccountChangeDTO(try await req.registry.deactivateAccount(req.parameters.get("accountId") ?? ""))
            .encodeResponse(status: .accepted, for: req)
    }

    @Sendable func reactivateAccount(req: Request) async throws -> Response {
        try await AccountChangeDTO(try await req.registry.reactivateAccount(req.parameters.get("accountId") ?? ""))
            .encodeResponse(status: .accepted, for: req)
    }

    struct BankDTO: Content {
        var bin: String
        var code: String
        var shortName: String
        var name: String
        var kind: String
        var verified: Bool
        var aliases: [String]
        var source: String
    }

    /// The NAPAS directory, for forms and clients choosing where a stall is paid. Public data.
    @Sendable func banks(req: Request) async throws -> [BankDTO] {
        BankDirectory.bundled.banks.map {
            BankDTO(
                bin: $0.bin, code: $0.code, shortName: $0.shortName, name: $0.name, kind: $0.kind.rawValue,
                verified: $0.verified, aliases: $0.aliases, source: $0.source)
        }
    }
}
