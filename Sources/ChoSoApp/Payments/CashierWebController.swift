import ChoSoCore
import Fluent
import Vapor
import VietQR

/// The stall keeper's phone: the keypad and the day's list, the request screen, cash and debts.
struct CashierWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "today", use: today)
        routes.post("stalls", ":stallId", "payment-requests", use: createRequest)
        routes.post("stalls", ":stallId", "cash-sales", use: cashSale)
        routes.post("stalls", ":stallId", "debts", use: debt)
        routes.get("payment-requests", ":requestId", use: requestPage)
        routes.post("payment-requests", ":requestId", "cancel", use: cancel)
        routes.post("payment-requests", ":requestId", "reopen", use: reopen)
        routes.post("cash-entries", ":entryId", "void", use: voidEntry)
        routes.post("cash-entries", ":entryId", "settle", use: settleDebt)
    }

    struct EntryRow: Encodable, Sendable {
        var id: String, kind: String, time: String, amount: String, status: String, statusClass: String, label: String
        var isRequest: Bool
        var canVoid = false
        var canSettle = false
    }

    /// A pending change is shown above the till (the keeper must see it); a change made is told
    /// below it, so the amount, keypad and QR button stay in the first screen.
    struct Notice: Encodable, Sendable { var text: String, isPending: Bool }

    struct TodayContent: Encodable, Sendable {
        var stallId: String
        var stallNumber: String
        var stallName: String
        var marketName: String
        var date: String
        var transferTotal: String
        var cashTotal: String
        var owedTotal: String
        var entries: [EntryRow]
        var hasEntries: Bool
        var notices: [Notice]
        var hasNotices: Bool
        var canSell: Bool
        var form: FormState
        var quickAmounts: [QuickAmount]
        /// Market fees the stall owes (issue 15), nil when nothing is owed.
        var fees: FeeStallWebController.TillFees?
    }

    struct QuickAmount: Encodable, Sendable { var value: String, label: String }

    /// Hours and minutes in the business time zone, as the stall keeper's clock shows them.
    static func clock(_ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        formatter.timeZone = timeZone
        return formatter
    }

    static let quickAmounts: [Int64] = [10_000, 20_000, 50_000, 100_000, 200_000, 500_000]

    static func statusLabel(_ status: String, language: Language) -> LocalizedText {
        switch status {
        case "pending": LocalizedText(vi: "Đang chờ tiền", en: "Waiting")
        case "paid": LocalizedText(vi: "Đã nhận đủ", en: "Paid")
        case "underpaid": LocalizedText(vi: "Chuyển thiếu", en: "Under-paid")
        case "overpaid": LocalizedText(vi: "Chuyển dư", en: "Over-paid")
        case "expired": LocalizedText(vi: "Hết hạn", en: "Expired")
        case "cancelled": LocalizedText(vi: "Đã huỷ", en: "Cancelled")
        default: LocalizedText(vi: status, en: status)
        }
    }

    @Sendable func today(req: Request) async throws -> Response {
        try await renderToday(req, form: FormState())
    }

    private func renderToday(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = req.parameters.get("stallId") ?? ""
        let cashier = try req.cashier
        let day = try await cashier.day(stallID: id)
        let language = req.language
        let timeZone = req.application.choSoConfig.timeZone
        let formatter = Self.clock(timeZone)
        let rows = day.entries.map { entry -> EntryRow in
            switch entry.kind {
            case .request:
                let status = entry.status ?? "pending"
                return EntryRow(
                    id: entry.id.uuidString, kind: "request", time: formatter.string(from: entry.at), amount: Money(dong: entry.amount).formatted,
                    status: Self.statusLabel(status, language: language).text(in: language), statusClass: status,
                    label: [entry.code, entry.label].compactMap { $0 }.joined(separator: " · "), isRequest: true)
            case .cashSale, .debt:
                let debt = entry.kind == .debt
                let voided = entry.status == "voided"
                var status = debt ? LocalizedText(vi: "Khách nợ", en: "Owed") : LocalizedText(vi: "Tiền mặt", en: "Cash")
                if voided { status = LocalizedText(vi: "Đã huỷ", en: "Void") }
                if entry.status == "settled" { status = LocalizedText(vi: "Nợ đã trả", en: "Debt paid") }
                return EntryRow(
                    id: entry.id.uuidString, kind: debt ? "debt" : "cash", time: formatter.string(from: entry.at),
                    amount: Money(dong: entry.amount).formatted, status: status.text(in: language),
                    statusClass: voided ? "voided" : debt ? "debt" : "cash",
                    label: voided ? LocalizedText(vi: "Lý do: ", en: "Why: ").text(in: language) + (entry.label ?? "") : entry.label ?? "",
                    isRequest: false, canVoid: !voided && entry.status != "settled", canSettle: debt && entry.status == nil)
            }
        }
        let notices = try await accountNotices(req, stall: day.stall)
        let user = try req.requireUser()
        let content = TodayContent(
            stallId: id, stallNumber: day.stall.number, stallName: day.stall.name, marketName: day.stall.market.name,
            date: Day(iso: day.date)?.vietnamese ?? day.date,
            transferTotal: Money(dong: day.transferTotal).formatted, cashTotal: Money(dong: day.cashTotal).formatted,
            owedTotal: Money(dong: day.owedTotal).formatted, entries: rows, hasEntries: !rows.isEmpty,
            notices: notices, hasNotices: !notices.isEmpty,
            canSell: user.role == .merchant || user.role == .admin, form: form,
            quickAmounts: Self.quickAmounts.map { QuickAmount(value: String($0), label: Money.groupDigits($0)) },
            fees: try await FeeStallWebController.tillFees(req, stallID: id))
        return try await req.renderPage(
            "today", title: .init(vi: "Quầy \(day.stall.number) — hôm nay", en: "Stall \(day.stall.number) — today"), content, status: status)
    }

    /// What the stall keeper must know about their receiving account: a change asked for, or made.
    private func accountNotices(_ req: Request, stall: StallModel) async throws -> [Notice] {
        let since = Date().addingTimeInterval(-30 * 24 * 3600)
        let changes = try await req.registry.accountChanges(ofStall: try stall.requireID().uuidString).filter { $0.requestedAt >= since }
        let timeZone = req.application.choSoConfig.timeZone
        return changes.compactMap { change in
            switch change.status {
            case "pending":
                return Notice(text: LocalizedText(
                    vi: "Ban quản lý chợ đề nghị \(change.summary.vi) (chưa thay đổi, chờ người thứ hai xác nhận). Nếu bạn không biết việc này, hãy báo ngay.",
                    en: "The market board asked to \(change.summary.en) (nothing changed yet; a second member must confirm). If you did not ask for it, tell them now.").text(in: req.language), isPending: true)
            case "confirmed":
                let day = change.decidedAt.map { Day($0, in: timeZone).vietnamese } ?? ""
                return Notice(text: LocalizedText(
                    vi: "Tài khoản nhận tiền của quầy đã thay đổi ngày \(day): \(change.summary.vi). Hãy in lại và kiểm tra bảng QR.",
                    en: "This stall's receiving accounts changed on \(day): \(change.summary.en). Print and check the QR board again.").text(in: req.language), isPending: false)
            default:
                return nil
            }
        }
    }

    struct SaleForm: Content {
        var amount: String?
        var note: String?
        var customerName: String?
        /// "1" once the person confirmed a large amount.
        var confirm: String?
    }

    @Sendable func createRequest(req: Request) async throws -> Response {
        let form = try req.content.decode(SaleForm.self)
        let id = req.parameters.get("stallId") ?? ""
        do {
            let request = try await req.cashier.createRequest(
                stallID: id, amount: try CashierService.parseTyped(form.amount), note: form.note, confirmed: form.confirm == "1")
            return req.redirectAfterPost(to: "/payment-requests/\(try request.requireID().uuidString)")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await renderToday(req, form: rejected(form, error, req), status: error.status)
        }
    }

    @Sendable func cashSale(req: Request) async throws -> Response {
        try await recordCash(req, kind: .cashSale)
    }

    @Sendable func debt(req: Request) async throws -> Response {
        try await recordCash(req, kind: .debt)
    }

    private func recordCash(_ req: Request, kind: CashierService.CashKind) async throws -> Response {
        let form = try req.content.decode(SaleForm.self)
        let id = req.parameters.get("stallId") ?? ""
        do {
            let entry = try await req.cashier.recordCash(
                stallID: id, kind: kind, amount: try CashierService.parseTyped(form.amount), customerName: form.customerName,
                note: form.note, confirmed: form.confirm == "1")
            let amount = Money(dong: entry.amount).formatted
            req.flash(kind == .cashSale
                ? .init(vi: "Đã ghi bán tiền mặt \(amount).", en: "Cash sale of \(amount) recorded.")
                : .init(vi: "Đã ghi \(entry.customerName ?? "") nợ \(amount).", en: "\(entry.customerName ?? "") owes \(amount): recorded."))
            return req.redirectAfterPost(to: "/stalls/\(id)/today")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderToday(req, form: rejected(form, error, req), status: error.status)
        }
    }

    private func values(_ form: SaleForm) -> [String: String] {
        ["amount": form.amount, "note": form.note, "customerName": form.customerName].compactMapValues { $0 }
    }

    /// The form again with its problem; a large amount comes back ready to confirm.
    private func rejected(_ form: SaleForm, _ error: AppError, _ req: Request) -> FormState {
        var state = FormState(values: values(form), error: error, language: req.language)
        if error.code == "needs_confirmation" { state.values["confirm"] = "1" }
        return state
    }

    struct RequestContent: Encodable, Sendable {
        var id: String
        var stallId: String
        var stallNumber: String
        var code: String
        var amount: String
        var amountInWords: String
        var note: String?
        var status: String
        var statusLabel: String
        var received: String
        var receivedDong: Int64
        var remaining: String?
        var expiresAt: String
        var expiresAtISO: String
        var isPending: Bool
        var isWaiting: Bool
        var canCancel: Bool
        var canReopen: Bool
        var qrPngUrl: String
        var payload: String
    }

    @Sendable func requestPage(req: Request) async throws -> Response {
        let request = try await req.cashier.request(req.parameters.get("requestId") ?? "")
        let language = req.language
        let formatter = Self.clock(req.application.choSoConfig.timeZone)
        let id = try request.requireID().uuidString
        let remaining = request.remaining.map { Money(dong: $0).formatted }
        let content = RequestContent(
            id: id, stallId: request.$stall.id.uuidString, stallNumber: request.stall.number, code: request.code,
            amount: Money(dong: request.amount).formatted, amountInWords: AmountReading.south.words(request.amount),
            note: request.note, status: request.status,
            statusLabel: Self.statusLabel(request.status, language: language).text(in: language),
            received: Money(dong: request.receivedAmount).formatted, receivedDong: request.receivedAmount, remaining: remaining,
            expiresAt: formatter.string(from: request.expiresAt), expiresAtISO: ISO8601DateFormatter().string(from: request.expiresAt), isPending: request.status == "pending",
            // Under-paid: the page keeps following its status and its QR asks for the rest, same code.
            isWaiting: request.status == "pending" || request.remaining != nil,
            canCancel: (request.status == "pending" || request.status == "expired") && request.receivedAmount == 0,
            canReopen: request.status == "cancelled" || request.status == "expired",
            qrPngUrl: "/api/v1/payment-requests/\(id)/qr.png?scale=6&received=\(request.receivedAmount)", payload: request.payableNow)
        return try await req.renderPage(
            "payment-request", title: .init(vi: "Thu \(content.amount)", en: "Collect \(content.amount)"), content)
    }

    struct VoidForm: Content { var reason: String? }
    struct SettleForm: Content { var how: String? }

    @Sendable func voidEntry(req: Request) async throws -> Response {
        let form = try req.content.decode(VoidForm.self)
        do {
            let entry = try await req.cashier.voidCash(req.parameters.get("entryId") ?? "", reason: form.reason)
            req.flash(LocalizedText(vi: "Đã huỷ khoản \(Money(dong: entry.amount).formatted).", en: "\(Money(dong: entry.amount).formatted) voided."))
            return req.redirectAfterPost(to: "/stalls/\(entry.$stall.id.uuidString)/today")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await backToTill(req, error)
        }
    }

    @Sendable func settleDebt(req: Request) async throws -> Response {
        let form = try req.content.decode(SettleForm.self)
        do {
            let settled = try await req.cashier.settleDebt(req.parameters.get("entryId") ?? "", how: form.how)
            if let request = settled.request {
                return req.redirectAfterPost(to: "/payment-requests/\(try request.requireID().uuidString)")
            }
            req.flash(LocalizedText(vi: "Đã ghi khách trả nợ \(Money(dong: settled.debt.amount).formatted) tiền mặt.", en: "Debt of \(Money(dong: settled.debt.amount).formatted) paid in cash."))
            return req.redirectAfterPost(to: "/stalls/\(settled.debt.$stall.id.uuidString)/today")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await backToTill(req, error)
        }
    }

    private func backToTill(_ req: Request, _ error: AppError) async throws -> Response {
        guard let uuid = UUID(uuidString: req.parameters.get("entryId") ?? ""), let entry = try await CashEntryModel.find(uuid, on: req.db) else {
            throw AppError.notFound
        }
        req.flash(error.fieldErrors.first?.message ?? error.message)
        return req.redirectAfterPost(to: "/stalls/\(entry.$stall.id.uuidString)/today")
    }

    @Sendable func cancel(req: Request) async throws -> Response {
        let request = try await req.cashier.cancel(req.parameters.get("requestId") ?? "")
        return req.redirectAfterPost(to: "/payment-requests/\(try request.requireID().uuidString)")
    }

    @Sendable func reopen(req: Request) async throws -> Response {
        let request = try await req.cashier.reopen(req.parameters.get("requestId") ?? "")
        return req.redirectAfterPost(to: "/payment-requests/\(try request.requireID().uuidString)")
    }
}
