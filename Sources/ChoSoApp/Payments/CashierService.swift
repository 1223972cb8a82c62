import ChoSoCore
import Fluent
import Foundation
import VietQR

/// The stall keeper's till: payment requests with their QR, cash sales, debts, and the day's list.
struct CashierService {
    var database: any Database
    var user: CurrentUser
    var config: AppConfig

    enum RequestStatus: String, Sendable {
        case pending, paid, underpaid, overpaid, expired, cancelled
    }

    // MARK: Access

    func stall(_ id: String, for action: Action) async throws -> StallModel {
        guard let uuid = UUID(uuidString: id),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        try await authorize(action, stall)
        return stall
    }

    private func authorize(_ action: Action, _ stall: StallModel) async throws {
        let decision = try await RegistryService(database: database, user: user).salesDecision(action, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
    }

    private func request(_ id: String, for action: Action) async throws -> PaymentRequestModel {
        guard let uuid = UUID(uuidString: id),
              let request = try await PaymentRequestModel.query(on: database).filter(\.$id == uuid)
                .with(\.$stall, { $0.with(\.$market) }).first()
        else { throw AppError.notFound }
        try await authorize(action, request.stall)
        return request
    }

    // MARK: Amounts

    /// An amount as a person typed it: whole đồng with optional dot groups (`1.250.000`), or the
    /// reason it is refused ("1,5" and "12.5" are fractions, not 15 đ and 125 đ).
    static func parseTyped(_ text: String?, field: String = "amount") throws -> Int64 {
        switch Money.parseTyped(text ?? "") {
        case .success(let money): return money.dong
        case .failure(let error): throw AppError.invalid(ValidationFailure(error.fieldError(field: field)))
        }
    }

    /// One entry's amount against the market's bounds: refused above the ceiling; above the
    /// warning level only when the person confirmed it (`confirm`).
    static func checkedAmount(_ amount: Int64?, at market: MarketModel, confirmed: Bool, field: String = "amount") throws -> Int64 {
        guard let amount else { throw AppError.invalid(ValidationFailure(AmountInputError.empty.fieldError(field: field))) }
        switch market.entryLimits.check(Money(dong: amount), field: field) {
        case .ok: return amount
        case .refused(let error): throw AppError.invalid(ValidationFailure(error))
        case .needsConfirmation(let message):
            guard confirmed else { throw AppError.needsConfirmation(message, field: field) }
            return amount
        }
    }

    private var businessDay: String { Day(Date(), in: config.timeZone).iso }

    // MARK: Payment requests

    func createRequest(stallID: String, amount rawAmount: Int64?, note rawNote: String?, confirmed: Bool = false) async throws -> PaymentRequestModel {
        let stall = try await stall(stallID, for: .create)
        let amount = try Self.checkedAmount(rawAmount, at: stall.market, confirmed: confirmed)
        let note = try Self.checkedNote(rawNote)
        let accounts = try await ReceivingAccountModel.query(on: database)
            .filter(\.$stall.$id == stall.requireID()).filter(\.$activeKind != nil).all()
        guard let account = accounts.first(where: { $0.kind == AccountKind.bank.rawValue }) ?? accounts.first else {
            throw AppError(
                status: .conflict, code: "no_receiving_account",
                message: LocalizedText(vi: "Quầy chưa có tài khoản nhận tiền: hãy nhờ ban quản lý chợ đăng ký", en: "The stall has no receiving account yet: ask the market board to register one"))
        }
        let now = Date()
        for _ in 0..<5 {
            let code = PaymentCode.generate()
            guard try await PaymentRequestModel.query(on: database).filter(\.$code == code).first() == nil else { continue }
            let payload = try VietQRBuilder.build(VietQRRequest(
                bin: account.bin, account: account.accountNumber, amount: amount, purpose: note, paymentCode: code,
                merchantName: account.holderName))
            let request = PaymentRequestModel()
            request.$stall.id = try stall.requireID()
            request.code = code
            request.amount = amount
            request.note = note.isEmpty ? nil : note
            request.status = RequestStatus.pending.rawValue
            request.payload = payload
            request.receivedAmount = 0
            request.createdBy = user.id
            request.createdAt = now
            request.expiresAt = now.addingTimeInterval(Double(stall.requestExpiryMinutes) * 60)
            request.businessDay = businessDay
            try await request.create(on: database)
            request.$stall.value = stall
            return request
        }
        throw AppError(status: .internalServerError, code: "code_exhausted", message: .init(vi: "Không tạo được mã thanh toán, hãy thử lại", en: "No payment code could be made; try again"))
    }

    /// The request, with an open request past its expiry marked expired.
    func request(_ id: String) async throws -> PaymentRequestModel {
        let request = try await request(id, for: .read)
        try await expireIfDue(request)
        return request
    }

    private func expireIfDue(_ request: PaymentRequestModel) async throws {
        if request.status == RequestStatus.pending.rawValue, request.receivedAmount == 0, request.expiresAt < Date() {
            request.status = RequestStatus.expired.rawValue
            try await request.save(on: database)
        }
    }

    func cancel(_ id: String) async throws -> PaymentRequestModel {
        let request = try await request(id, for: .update)
        guard request.status == RequestStatus.pending.rawValue || request.status == RequestStatus.expired.rawValue,
              request.receivedAmount == 0 else {
            throw AppError(status: .conflict, code: "not_cancellable", message: .init(vi: "Yêu cầu này đã có tiền về, không huỷ được", en: "Money has arrived for this request; it cannot be cancelled"))
        }
        request.status = RequestStatus.cancelled.rawValue
        try await request.save(on: database)
        return request
    }

    /// Opens a cancelled or expired request again for another full expiry period.
    func reopen(_ id: String) async throws -> PaymentRequestModel {
        let request = try await request(id, for: .update)
        try await expireIfDue(request)
        guard request.status == RequestStatus.cancelled.rawValue || request.status == RequestStatus.expired.rawValue else {
            throw AppError(status: .conflict, code: "not_reopenable", message: .init(vi: "Chỉ mở lại được yêu cầu đã huỷ hoặc hết hạn", en: "Only a cancelled or expired request can be reopened"))
        }
        request.status = RequestStatus.pending.rawValue
        request.expiresAt = Date().addingTimeInterval(Double(request.stall.requestExpiryMinutes) * 60)
        try await request.save(on: database)
        return request
    }

    // MARK: Cash and debts

    enum CashKind: String { case cashSale = "cash_sale", debt }

    /// A sale's note, for a payment request or a cash entry: at most 50 characters, NFC.
    static func checkedNote(_ raw: String?) throws -> String {
        let note = TextNormalization.clean(raw ?? "")
        guard note.count <= 50 else {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: "note", code: "bad_note", message: LocalizedText(vi: "Ghi chú tối đa 50 ký tự", en: "The note is at most 50 characters"))))
        }
        return note
    }

    /// `settling`: the debt this cash sale pays, settled in the same transaction.
    func recordCash(
        stallID: String, kind: CashKind, amount rawAmount: Int64?, customerName rawName: String?, note rawNote: String? = nil,
        settling debt: CashEntryModel? = nil, confirmed: Bool = false
    ) async throws -> CashEntryModel {
        let stall = try await stall(stallID, for: .create)
        let amount = try Self.checkedAmount(rawAmount, at: stall.market, confirmed: confirmed)
        let name = TextNormalization.clean(rawName ?? "")
        if kind == .debt && (name.isEmpty || name.count > 60) {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: "customerName", code: "bad_customer_name",
                message: LocalizedText(vi: "Hãy ghi tên người nợ (tối đa 60 ký tự)", en: "Write who owes it (at most 60 characters)"))))
        }
        let note = try Self.checkedNote(rawNote)
        let entry = CashEntryModel()
        entry.$stall.id = try stall.requireID()
        entry.kind = kind.rawValue
        entry.amount = amount
        entry.customerName = name.isEmpty ? nil : name
        entry.note = note.isEmpty ? nil : note
        entry.createdBy = user.id
        entry.createdAt = Date()
        entry.businessDay = businessDay
        var rollup = RollupChanges()
        rollup.add(.cash(kind: entry.kind, amount: amount), at: RollupKey(stallID: try stall.requireID().uuidString, at: entry.createdAt, in: config.timeZone))
        let changes = rollup
        try await database.transaction { db in
            try await entry.create(on: db)
            try await RollupStore.apply(changes, on: db)
            if let debt {
                debt.settledAt = entry.createdAt
                debt.settledByEntry = entry.id
                try await debt.save(on: db)
                try await AuditEntryModel.record(
                    on: db, actor: user.id, action: "debt.settle_in_cash", subjectType: "cash_entry", subjectID: debt.id,
                    detail: Money(dong: entry.amount).formatted)
            }
        }
        return entry
    }

    // MARK: The day's list

    struct Entry: Sendable {
        enum Kind: String, Sendable { case request, cashSale = "cash_sale", debt }
        var kind: Kind
        var id: UUID
        var amount: Int64
        var received: Int64
        var status: String?
        var code: String?
        var label: String?
        var at: Date
    }

    struct DayList: Sendable {
        var stall: StallModel
        var date: String
        var entries: [Entry]
        var transferTotal: Int64
        var cashTotal: Int64
        var owedTotal: Int64
    }

    func day(stallID: String, date: String? = nil) async throws -> DayList {
        let stall = try await stall(stallID, for: .read)
        let day = date ?? businessDay
        let id = try stall.requireID()
        let requests = try await PaymentRequestModel.query(on: database).filter(\.$stall.$id == id).filter(\.$businessDay == day).all()
        for request in requests { try await expireIfDue(request) }
        let cash = try await CashEntryModel.query(on: database).filter(\.$stall.$id == id).filter(\.$businessDay == day).all()
        var entries = try requests.map {
            Entry(kind: .request, id: try $0.requireID(), amount: $0.amount, received: $0.receivedAmount, status: $0.status,
                  code: $0.code, label: $0.note, at: $0.createdAt)
        }
        for entry in cash {
            // A cash entry's status: voided, a debt paid since, or nothing to say.
            let status: String? = entry.isVoided ? "voided" : try await isSettled(entry) ? "settled" : nil
            entries.append(Entry(
                kind: entry.kind == CashKind.debt.rawValue ? .debt : .cashSale, id: try entry.requireID(), amount: entry.amount,
                received: 0, status: status, code: nil, label: entry.voidReason ?? [entry.customerName, entry.note].compactMap { $0 }.joined(separator: " · "), at: entry.createdAt))
        }
        entries.sort { $0.at > $1.at }
        // The totals are the day close's: every transfer to the stall (with or without a request),
        // from the rollups.
        guard let businessDay = Day(iso: day) else { throw AppError.badDate }
        let totals = try await RollupStore.daily(stallID: id, from: businessDay, to: businessDay, on: database)[businessDay]
        return DayList(
            stall: stall, date: day, entries: entries, transferTotal: totals?.transferAmount ?? 0,
            cashTotal: totals?.cashAmount ?? 0, owedTotal: totals?.debtAmount ?? 0)
    }
}
