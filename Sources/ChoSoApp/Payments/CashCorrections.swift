import ChoSoCore
import Fluent
import Foundation

/// Mistakes corrected and debts paid, on the stall keeper's till.
///
/// Decided (DESIGN.md is silent): a debt is "owed" on the day it was made and stays in that day's
/// figures as what happened; it is never takings. Its payment is takings on the day it is paid, as
/// what it is: a cash sale (cash, counted in that day's cash and cashless share) or a transfer
/// paying a payment request for the debt (counted as a transfer). A voided entry is kept, shown
/// struck through, and leaves every total and rollup at once.
extension CashierService {
    static let voidReasonRequired = AppError.invalid(ValidationFailure(FieldError(
        field: "reason", code: "bad_reason",
        message: LocalizedText(vi: "Hãy ghi lý do huỷ (tối đa 200 ký tự)", en: "Give the reason for voiding (at most 200 characters)"))))

    private func cashEntry(_ id: String, for action: Action) async throws -> (CashEntryModel, StallModel) {
        guard let uuid = UUID(uuidString: id), let entry = try await CashEntryModel.find(uuid, on: database) else { throw AppError.notFound }
        let stall = try await stall(entry.$stall.id.uuidString, for: action)
        return (entry, stall)
    }

    /// Voids a cash sale or debt recorded by mistake: kept with who, when and why; its figures leave
    /// the rollups in the same transaction. A cash sale that paid a debt leaves the debt unpaid again.
    func voidCash(_ id: String, reason rawReason: String?) async throws -> CashEntryModel {
        let (entry, stall) = try await cashEntry(id, for: .update)
        let reason = TextNormalization.clean(rawReason ?? "")
        guard !reason.isEmpty, reason.count <= 200 else { throw Self.voidReasonRequired }
        guard !entry.isVoided else {
            throw AppError(status: .conflict, code: "already_voided", message: .init(vi: "Khoản này đã huỷ rồi", en: "This entry is already void"))
        }
        guard try await !isSettled(entry) else {
            throw AppError(
                status: .conflict, code: "debt_settled",
                message: .init(vi: "Khoản nợ này đã được trả: hãy huỷ khoản trả trước", en: "This debt was paid: void the payment first"))
        }
        var rollup = RollupChanges()
        rollup.add(-.cash(kind: entry.kind, amount: entry.amount), at: RollupKey(stallID: try stall.requireID().uuidString, at: entry.createdAt, in: config.timeZone))
        let changes = rollup
        try await database.transaction { db in
            entry.voidedAt = Date()
            entry.voidedBy = user.id
            entry.voidReason = reason
            try await entry.save(on: db)
            try await RollupStore.apply(changes, on: db)
            if let entryID = entry.id, let debt = try await CashEntryModel.query(on: db).filter(\.$settledByEntry == entryID).first() {
                debt.settledAt = nil
                debt.settledByEntry = nil
                try await debt.save(on: db)
            }
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "cash.void", subjectType: "cash_entry", subjectID: entry.id,
                detail: "\(entry.kind) \(Money(dong: entry.amount).formatted) \(reason)")
        }
        return entry
    }

    enum Settlement: String { case cash, transfer }

    /// A customer pays a debt: in cash (a cash sale today that settles it) or by transfer (a
    /// payment request for the amount; the debt counts as paid once the request is paid).
    func settleDebt(_ id: String, how rawHow: String?) async throws -> (debt: CashEntryModel, sale: CashEntryModel?, request: PaymentRequestModel?) {
        let (debt, stall) = try await cashEntry(id, for: .create)
        guard let how = rawHow.flatMap(Settlement.init(rawValue:)) else {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: "how", code: "bad_choice", message: LocalizedText(vi: "Chọn trả tiền mặt hoặc chuyển khoản", en: "Choose cash or transfer"))))
        }
        guard debt.kind == CashKind.debt.rawValue, !debt.isVoided else {
            throw AppError(status: .conflict, code: "not_a_debt", message: .init(vi: "Đây không phải khoản nợ còn hiệu lực", en: "This is not a debt in force"))
        }
        if try await isSettled(debt) {
            throw AppError(status: .conflict, code: "debt_settled", message: .init(vi: "Khoản nợ này đã được trả", en: "This debt is already paid"))
        }
        let stallID = try stall.requireID().uuidString
        // A transfer asked for earlier is the one way to pay by transfer: no second QR for the same
        // debt, and paying in cash closes it so nobody pays the debt twice (found by the review).
        var earlier: PaymentRequestModel?
        if let requestID = debt.settledByRequest { earlier = try await request(requestID.uuidString) }
        if let earlier, earlier.receivedAmount > 0 {
            throw AppError(
                status: .conflict, code: "debt_transfer_started",
                message: .init(vi: "Khách đã chuyển một phần cho khoản nợ này: thu phần còn lại bằng mã QR của nó (\(earlier.code))",
                               en: "Part of this debt was paid by transfer: collect the rest with its QR (\(earlier.code))"))
        }
        let earlierOpen = earlier.flatMap { $0.status == RequestStatus.pending.rawValue ? $0 : nil }
        switch how {
        case .cash:
            if let earlierOpen { _ = try await cancel(try earlierOpen.requireID().uuidString) }
            let sale = try await recordCash(
                stallID: stallID, kind: .cashSale, amount: debt.amount, customerName: debt.customerName, settling: debt, confirmed: true)
            return (debt, sale, nil)
        case .transfer:
            if let earlierOpen { return (debt, nil, earlierOpen) }
            let note = "Tra no " + TextNormalization.asciiFolded(debt.customerName ?? "")
            let request = try await createRequest(stallID: stallID, amount: debt.amount, note: String(note.prefix(50)), confirmed: true)
            debt.settledByRequest = request.id
            try await database.transaction { db in
                try await debt.save(on: db)
                try await AuditEntryModel.record(
                    on: db, actor: user.id, action: "debt.settle_by_transfer", subjectType: "cash_entry", subjectID: debt.id, detail: request.code)
            }
            return (debt, nil, request)
        }
    }

    /// Paid in cash, or its payment request paid in full.
    func isSettled(_ debt: CashEntryModel) async throws -> Bool {
        if debt.settledAt != nil { return true }
        guard let requestID = debt.settledByRequest, let request = try await PaymentRequestModel.find(requestID, on: database) else { return false }
        return request.status == RequestStatus.paid.rawValue || request.status == RequestStatus.overpaid.rawValue
    }
}
