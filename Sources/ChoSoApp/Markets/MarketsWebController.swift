import ChoSoCore
import Vapor
import VietQR

/// The market board's pages: markets, their stalls, a stall with its accounts, and the forms.
struct MarketsWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", use: markets)
        routes.get("markets", ":marketId", use: market)
        routes.get("markets", ":marketId", "stalls", "new", use: newStallPage)
        routes.post("markets", ":marketId", "stalls", use: createStall)
        routes.get("stalls", ":stallId", use: stall)
        routes.get("stalls", ":stallId", "edit", use: editStallPage)
        routes.post("stalls", ":stallId", use: updateStall)
        routes.post("stalls", ":stallId", "deactivate", use: deactivateStall)
        routes.post("stalls", ":stallId", "reactivate", use: reactivateStall)
        routes.post("stalls", ":stallId", "accounts", use: addAccount)
        routes.post("accounts", ":accountId", "deactivate", use: deactivateAccount)
        routes.post("accounts", ":accountId", "reactivate", use: reactivateAccount)
        routes.post("account-changes", ":changeId", "confirm", use: confirmChange)
        routes.post("account-changes", ":changeId", "reject", use: rejectChange)
    }

    @Sendable func confirmChange(req: Request) async throws -> Response {
        let change = try await req.registry.confirmAccountChange(req.parameters.get("changeId") ?? "")
        req.flash(.init(vi: "Đã xác nhận: \(change.summary.vi).", en: "Confirmed: \(change.summary.en)."))
        return req.redirectAfterPost(to: "/stalls/\(change.$stall.id.uuidString)")
    }

    @Sendable func rejectChange(req: Request) async throws -> Response {
        let change = try await req.registry.rejectAccountChange(req.parameters.get("changeId") ?? "")
        req.flash(.init(vi: "Đã từ chối đổi sang tài khoản \(change.accountNumber).", en: "The change to account \(change.accountNumber) was refused."))
        return req.redirectAfterPost(to: "/stalls/\(change.$stall.id.uuidString)")
    }

    // MARK: Views of the data

    struct MarketRow: Encodable, Sendable {
        var id: String, name: String, kind: String, unitName: String, address: String, stallCount: Int
    }

    struct AccountRow: Encodable, Sendable {
        var id: String, kindLabel: String, bankName: String, bankVerified: Bool, accountNumber: String
        var holderName: String, displayName: String?, active: Bool, since: String, until: String
    }

    struct StallRow: Encodable, Sendable {
        var id: String, number: String, name: String, trade: String, keeperName: String, phone: String?
        var active: Bool, accounts: [AccountRow]
        /// For the template: Leaf treats an empty array as true.
        var hasAccounts: Bool

        init(id: String, number: String, name: String, trade: String, keeperName: String, phone: String?, active: Bool, accounts: [AccountRow]) {
            (self.id, self.number, self.name, self.trade, self.keeperName, self.phone) = (id, number, name, trade, keeperName, phone)
            self.active = active
            self.accounts = accounts
            hasAccounts = !accounts.isEmpty
        }
    }

    struct AuditRow: Encodable, Sendable { var at: String, action: String, actor: String, detail: String }

    struct ChangeRow: Encodable, Sendable {
        var id: String, what: String, bankName: String, accountNumber: String, holderName: String, requestedAt: String
        var requestedByViewer: Bool
    }

    static func stamp(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "dd/MM/yyyy HH:mm"
        formatter.timeZone = timeZone
        return formatter.string(from: date)
    }

    static func auditAction(_ action: String) -> LocalizedText {
        switch action {
        case "stall.create": LocalizedText(vi: "Thêm quầy", en: "Stall added")
        case "stall.update": LocalizedText(vi: "Sửa quầy", en: "Stall edited")
        case "stall.deactivate": LocalizedText(vi: "Ngừng quầy", en: "Stall closed")
        case "stall.reactivate": LocalizedText(vi: "Mở lại quầy", en: "Stall reopened")
        case "account.add": LocalizedText(vi: "Tài khoản mới", en: "Account added")
        case "account.deactivate": LocalizedText(vi: "Ngừng tài khoản", en: "Account closed")
        case "account.change.request": LocalizedText(vi: "Đề nghị đổi tài khoản", en: "Account change asked")
        case "account.change.confirm": LocalizedText(vi: "Xác nhận đổi tài khoản", en: "Account change confirmed")
        case "account.change.reject": LocalizedText(vi: "Từ chối đổi tài khoản", en: "Account change refused")
        default: LocalizedText(vi: action, en: action)
        }
    }

    struct BankOption: Encodable, Sendable {
        var bin: String, label: String, selected: Bool
    }

    static func marketRow(_ summary: RegistryService.MarketSummary) throws -> MarketRow {
        MarketRow(
            id: try summary.market.requireID().uuidString, name: summary.market.name, kind: summary.market.kind,
            unitName: summary.unitName ?? summary.market.unitID, address: summary.market.address, stallCount: summary.stallCount)
    }

    static func accountRow(_ account: ReceivingAccountModel, language: Language, timeZone: TimeZone) throws -> AccountRow {
        let bank = BankDirectory.bundled.bank(bin: account.bin)
        return AccountRow(
            id: try account.requireID().uuidString,
            kindLabel: (AccountKind(rawValue: account.kind)?.label.text(in: language)) ?? account.kind,
            bankName: bank?.shortName ?? account.bin, bankVerified: bank?.verified ?? false,
            accountNumber: account.accountNumber, holderName: account.holderName, displayName: account.displayName,
            active: account.isActive,
            since: account.createdAt.map { Day($0, in: timeZone).vietnamese } ?? "",
            until: account.deactivatedAt.map { Day($0, in: timeZone).vietnamese } ?? "")
    }

    static func stallRow(_ record: RegistryService.StallRecord, language: Language, timeZone: TimeZone) throws -> StallRow {
        StallRow(
            id: try record.stall.requireID().uuidString, number: record.stall.number, name: record.stall.name,
            trade: record.stall.trade ?? "", keeperName: record.stall.keeperName, phone: record.stall.phone,
            active: record.stall.isActive,
            accounts: try record.accounts.map { try accountRow($0, language: language, timeZone: timeZone) })
    }

    static func bankOptions(selected: String?) -> [BankOption] {
        BankDirectory.bundled.banks
            .sorted { ($0.kind == .bank ? 1 : 0, $0.shortName) < ($1.kind == .bank ? 1 : 0, $1.shortName) }
            .map { BankOption(bin: $0.bin, label: "\($0.shortName) (\($0.bin))" + ($0.verified ? "" : " *"), selected: $0.bin == selected) }
    }

    // MARK: Pages

    struct MarketsContent: Encodable, Sendable { var markets: [MarketRow]; var hasMarkets: Bool }

    @Sendable func markets(req: Request) async throws -> Response {
        let rows = try await req.registry.visibleMarkets().map(Self.marketRow)
        return try await req.renderPage("markets", title: .init(vi: "Các chợ", en: "Markets"), MarketsContent(markets: rows, hasMarkets: !rows.isEmpty))
    }

    struct MarketContent: Encodable, Sendable {
        var market: MarketRow
        var stalls: [StallRow]
        var canManage: Bool
        var showingInactive: Bool
        /// The search box's words, shown again.
        var query: String
        var noneFound: Bool
    }

    @Sendable func market(req: Request) async throws -> Response {
        let registry = try req.registry
        let id = req.parameters.get("marketId") ?? ""
        let summary = try await registry.market(id)
        let showInactive = req.query[String.self, at: "inactive"] == "1"
        let query = String((req.query[String.self, at: "q"] ?? "").prefix(80))
        let timeZone = req.application.choSoConfig.timeZone
        let rows = try await registry.stalls(ofMarket: id, includeInactive: showInactive, matching: StallSearch(query))
            .map { try Self.stallRow($0, language: req.language, timeZone: timeZone) }
        let content = MarketContent(
            market: try Self.marketRow(summary), stalls: rows,
            canManage: try await registry.canManage(summary.market), showingInactive: showInactive, query: query,
            noneFound: rows.isEmpty && !query.isEmpty)
        return try await req.renderPage("market", title: .init(vi: summary.market.name, en: summary.market.name), content)
    }

    struct StallFormContent: Encodable, Sendable {
        var marketId: String
        var marketName: String
        var stallId: String?
        var isNew: Bool
        var form: FormState
        var banks: [BankOption]
    }

    @Sendable func newStallPage(req: Request) async throws -> Response {
        let registry = try req.registry
        let summary = try await registry.market(req.parameters.get("marketId") ?? "")
        guard try await registry.canManage(summary.market) else { throw AppError.forbidden }
        return try await renderStallForm(req, market: summary.market, stallID: nil, form: FormState(values: ["account_kind": "bank"]))
    }

    private func renderStallForm(
        _ req: Request, market: MarketModel, stallID: String?, form: FormState, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let content = StallFormContent(
            marketId: try market.requireID().uuidString, marketName: market.name, stallId: stallID, isNew: stallID == nil,
            form: form, banks: Self.bankOptions(selected: form.values["account_bin"]))
        let title: LocalizedText = stallID == nil
            ? .init(vi: "Thêm quầy mới", en: "New stall") : .init(vi: "Sửa thông tin quầy", en: "Edit stall")
        return try await req.renderPage("stall-form", title: title, content, status: status)
    }

    @Sendable func createStall(req: Request) async throws -> Response {
        // The form's fields are the API body's: `account[bin]` and so on for the first account.
        let form = try req.content.decode(StallBody.self)
        let registry = try req.registry
        let marketID = req.parameters.get("marketId") ?? ""
        do {
            let account = form.account.flatMap { $0.isEmpty ? nil : $0.input }
            let stall = try await registry.createStall(inMarket: marketID, form.input, account: account)
            req.flash(.init(vi: "Đã thêm quầy \(stall.number) — \(stall.name).", en: "Stall \(stall.number) — \(stall.name) was added."))
            return req.redirectAfterPost(to: "/stalls/\(try stall.requireID().uuidString)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let market = try await registry.market(marketID).market
            return try await renderStallForm(
                req, market: market, stallID: nil, form: FormState(values: form.formValues, error: error, language: req.language),
                status: error.status)
        }
    }

    struct StallContent: Encodable, Sendable {
        var marketId: String
        var marketName: String
        var stall: StallRow
        var history: [AccountRow]
        var hasHistory: Bool
        var pendingChanges: [ChangeRow]
        var hasPendingChanges: Bool
        var audit: [AuditRow]
        var hasAudit: Bool
        /// Merchant logins for this stall, shown to the board only.
        var merchantLogins: String?
        var canManage: Bool
        var accountForm: FormState
        var banks: [BankOption]
    }

    @Sendable func stall(req: Request) async throws -> Response {
        try await renderStall(req, accountForm: FormState(values: ["kind": "bank"]))
    }

    private func renderStall(_ req: Request, accountForm: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let registry = try req.registry
        let (record, market) = try await registry.stall(req.parameters.get("stallId") ?? "")
        let timeZone = req.application.choSoConfig.timeZone
        var row = try Self.stallRow(record, language: req.language, timeZone: timeZone)
        let history = row.accounts.filter { !$0.active }
        row.accounts = row.accounts.filter(\.active)
        row.hasAccounts = !row.accounts.isEmpty
        let canManage = try await registry.canManage(market)
        let logins = canManage ? try await registry.merchantUsernames(ofStall: record.stall) : []
        let changes = try await registry.accountChanges(ofStall: try record.stall.requireID().uuidString)
            .filter { $0.status == "pending" }
            .map { change in
                ChangeRow(
                    id: change.id?.uuidString ?? "", what: change.summary.text(in: req.language), bankName: BankDirectory.bundled.bank(bin: change.bin)?.shortName ?? change.bin,
                    accountNumber: change.accountNumber, holderName: change.holderName,
                    requestedAt: Day(change.requestedAt, in: timeZone).vietnamese,
                    requestedByViewer: change.requestedBy == (req.currentUser?.id ?? UUID()))
            }
        let audit = canManage
            ? try await registry.auditTrail(ofStall: try record.stall.requireID().uuidString).map {
                AuditRow(at: Self.stamp($0.at, timeZone: timeZone), action: Self.auditAction($0.action).text(in: req.language), actor: $0.actor,
                         detail: AuditWording.detail($0.detail, language: req.language))
            }
            : []
        let content = StallContent(
            marketId: try market.requireID().uuidString, marketName: market.name, stall: row, history: history, hasHistory: !history.isEmpty,
            pendingChanges: changes, hasPendingChanges: !changes.isEmpty, audit: audit, hasAudit: !audit.isEmpty,
            merchantLogins: logins.isEmpty ? nil : logins.joined(separator: ", "),
            canManage: canManage, accountForm: accountForm,
            banks: Self.bankOptions(selected: accountForm.values["bin"]))
        return try await req.renderPage(
            "stall", title: .init(vi: "Quầy \(record.stall.number) — \(record.stall.name)", en: "Stall \(record.stall.number) — \(record.stall.name)"),
            content, status: status)
    }

    @Sendable func editStallPage(req: Request) async throws -> Response {
        let registry = try req.registry
        let (record, market) = try await registry.stall(req.parameters.get("stallId") ?? "")
        guard try await registry.canManage(market) else { throw AppError.forbidden }
        let stall = record.stall
        let values = [
            "number": stall.number, "name": stall.name, "trade": stall.trade ?? "", "keeperName": stall.keeperName,
            "phone": stall.phone ?? "", "requestExpiryMinutes": String(stall.requestExpiryMinutes),
            "area": stall.areaCentiSquareMetres.map(FeeBilling.area) ?? "", "positionClass": stall.positionClass ?? "",
        ]
        return try await renderStallForm(req, market: market, stallID: try stall.requireID().uuidString, form: FormState(values: values))
    }

    @Sendable func updateStall(req: Request) async throws -> Response {
        let form = try req.content.decode(StallBody.self)
        // The expiry box is read as text, so a cleared or mistyped box gets the rule's message.
        let expiryText = try req.content.decode(ExpiryForm.self).expiry
        let registry = try req.registry
        let id = req.parameters.get("stallId") ?? ""
        do {
            let minutes = expiryText.map { Int($0.trimmingCharacters(in: .whitespaces)) ?? -1 }
            let stall = try await registry.updateStall(id, form.input, requestExpiryMinutes: minutes)
            req.flash(.init(vi: "Đã lưu quầy \(stall.number).", en: "Stall \(stall.number) was saved."))
            return req.redirectAfterPost(to: "/stalls/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let (_, market) = try await registry.stall(id)
            var values = form.formValues
            values["requestExpiryMinutes"] = expiryText
            return try await renderStallForm(
                req, market: market, stallID: id, form: FormState(values: values, error: error, language: req.language),
                status: error.status)
        }
    }

    struct ExpiryForm: Content { var expiry: String? }

    @Sendable func deactivateStall(req: Request) async throws -> Response {
        let stall = try await req.registry.setStallActive(req.parameters.get("stallId") ?? "", active: false)
        req.flash(.init(vi: "Quầy \(stall.number) đã ngừng hoạt động.", en: "Stall \(stall.number) is closed."))
        return req.redirectAfterPost(to: "/markets/\(stall.$market.id.uuidString)")
    }

    @Sendable func reactivateStall(req: Request) async throws -> Response {
        let stall = try await req.registry.setStallActive(req.parameters.get("stallId") ?? "", active: true)
        req.flash(.init(vi: "Quầy \(stall.number) đã mở lại.", en: "Stall \(stall.number) is open again."))
        return req.redirectAfterPost(to: "/stalls/\(try stall.requireID().uuidString)")
    }

    @Sendable func addAccount(req: Request) async throws -> Response {
        let form = try req.content.decode(ReceivingAccountBody.self)
        let id = req.parameters.get("stallId") ?? ""
        do {
            switch try await req.registry.addAccount(toStall: id, form.input) {
            case .applied(let account):
                req.flash(.init(vi: "Đã thêm tài khoản \(account.accountNumber).", en: "Account \(account.accountNumber) was added."))
            case .pending(let change):
                req.flash(Self.requested(change))
            }
            return req.redirectAfterPost(to: "/stalls/\(id)")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderStall(
                req, accountForm: FormState(values: form.formValues(), error: error, language: req.language), status: error.status)
        }
    }

    @Sendable func deactivateAccount(req: Request) async throws -> Response {
        let change = try await req.registry.deactivateAccount(req.parameters.get("accountId") ?? "")
        req.flash(Self.requested(change))
        return req.redirectAfterPost(to: "/stalls/\(change.$stall.id.uuidString)")
    }

    @Sendable func reactivateAccount(req: Request) async throws -> Response {
        let change = try await req.registry.reactivateAccount(req.parameters.get("accountId") ?? "")
        req.flash(Self.requested(change))
        return req.redirectAfterPost(to: "/stalls/\(change.$stall.id.uuidString)")
    }

    static func requested(_ change: AccountChangeModel) -> LocalizedText {
        LocalizedText(
            vi: "Đã gửi đề nghị: \(change.summary.vi). Chưa có gì thay đổi cho đến khi một người khác trong ban quản lý chợ xác nhận.",
            en: "Requested: \(change.summary.en). Nothing changes until another member of the market board confirms.")
    }
}
