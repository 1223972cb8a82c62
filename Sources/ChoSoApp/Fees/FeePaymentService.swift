import ChoSoCore
import Fluent
import Foundation
import VietQR

/// Money for market fees that a person records (issue 15): cash with a receipt, a transfer from
/// the inbox given to a stall's fees, a payment reversed with a reason; and what a stall owes.
struct FeePaymentService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone

    private var fees: FeeService { FeeService(database: database, user: user, timeZone: timeZone) }

    /// Fee payments above this are a typing mistake, not a month of rent.
    static let largestPayment: Int64 = 100_000_000

    static func checkedAmount(_ amount: Int64?) throws -> Int64 {
        guard let amount, amount > 0, amount <= largestPayment else {
            throw AppError.invalid(ValidationFailure(FieldError(field: "amount", code: "bad_amount", message: .init(
                vi: "Số tiền từ 1 đ đến \(Money(dong: largestPayment).formatted)", en: "The amount is from 1 đ to \(Money(dong: largestPayment).formatted)"))))
        }
        return amount
    }

    private func stall(_ id: String?, in market: MarketModel) async throws -> StallModel {
        guard let uuid = id.flatMap(UUID.init(uuidString:)), let stall = try await StallModel.find(uuid, on: database),
              stall.$market.id == market.id else {
            throw AppError.invalid(ValidationFailure(FieldError(field: "stallId", code: "unknown_stall", message: .init(
                vi: "Hãy chọn một quầy của chợ này", en: "Choose a stall of this market"))))
        }
        return stall
    }

    /// Cash handed to the board: a payment with a receipt number. The same `requestKey` (the
    /// form's one-time key, or the API's Idempotency-Key) returns the first payment again.
    func recordCash(market marketID: String, stallID: String?, amount rawAmount: Int64?, payer rawPayer: String?, note rawNote: String?,
                    requestKey: String?) async throws -> FeePaymentModel {
        let market = try await fees.managedMarket(marketID)
        let stall = try await stall(stallID, in: market)
        let amount = try Self.checkedAmount(rawAmount)
        let note = try TransferService.note(rawNote, required: false)
        let payer = try TransferService.note(rawPayer, required: false, field: "payer")
        let key = requestKey.map(TextNormalization.clean).flatMap { $0.isEmpty || $0.count > 100 ? nil : $0 }
        if let key, let earlier = try await FeePaymentModel.query(on: database).filter(\.$requestKey == key).first() { return earlier }
        let marketID = try market.requireID(), stallUUID = try stall.requireID(), user = user, database = database
        do {
            return try await SyncGate.shared.around(database) {
                try await database.transaction { db in
                    let payment = try await FeeLedgerWriter.pay(.init(
                        marketID: marketID, stallID: stallUUID, amount: amount, method: .cash, requestKey: key,
                        payer: payer.isEmpty ? nil : payer, note: note.isEmpty ? nil : note, actor: user.id, paidAt: Date()), on: db)
                    try await AuditEntryModel.record(on: db, actor: user.id, action: "fees.cash", subjectType: "stall", subjectID: stallUUID,
                                                     detail: "\(Money(dong: amount).formatted) \(payment.receiptNumber)")
                    return payment
                }
            }
        } catch {
            // The same key at the same moment: the other request recorded it.
            if (error as? any DatabaseError)?.isConstraintFailure == true, let key,
               let earlier = try await FeePaymentModel.query(on: database).filter(\.$requestKey == key).first() { return earlier }
            throw error
        }
    }

    /// A transfer to the market's fee account that had no usable code, given to a stall's fees
    /// by the board from the inbox.
    func assignTransfer(_ transferID: String, toStall stallID: String?, note rawNote: String?) async throws -> FeePaymentModel {
        guard let uuid = UUID(uuidString: transferID), let transfer = try await TransferModel.find(uuid, on: database) else { throw AppError.notFound }
        let market = try await fees.managedMarket(transfer.marketID.uuidString)
        let stall = try await stall(stallID, in: market)
        let note = try TransferService.note(rawNote, required: false)
        guard transfer.status == TransferStatus.unmatched.rawValue, transfer.direction != "out", transfer.resolution == nil,
              try await MarketAccountModel.query(on: database).filter(\.$marketID == transfer.marketID)
                .filter(\.$accountNumber == transfer.accountNumber).count() > 0 else {
            throw AppError(status: .conflict, code: "not_a_fee_transfer", message: .init(
                vi: "Chỉ gán vào phí chợ được khoản tiền chưa rõ chủ chuyển vào tài khoản thu phí của chợ",
                en: "Only an unclaimed transfer to the market's fee account can be given to a stall's fees"))
        }
        let stallUUID = try stall.requireID(), user = user, database = database
        return try await SyncGate.shared.around(database) {
            try await database.transaction { db in
                // Once: a second tap finds the transfer already a fee payment.
                guard let fresh = try await TransferModel.find(uuid, on: db), fresh.status == TransferStatus.unmatched.rawValue, fresh.resolution == nil else {
                    throw AppError(status: .conflict, code: "already_assigned", message: .init(vi: "Khoản này đã được gán", en: "This transfer was already assigned"))
                }
                fresh.status = TransferStatus.fee.rawValue
                fresh.reasonVi = "Gán vào phí chợ quầy \(stall.number) bởi \(user.username)" + (note.isEmpty ? "" : " (\(note))")
                fresh.reasonEn = "Given to stall \(stall.number)'s market fees by \(user.username)" + (note.isEmpty ? "" : " (\(note))")
                try await fresh.save(on: db)
                let payment = try await FeeLedgerWriter.pay(.init(
                    marketID: fresh.marketID, stallID: stallUUID, amount: fresh.amount, method: .transfer, transferID: uuid,
                    payer: fresh.counterAccountName, note: note.isEmpty ? nil : note, actor: user.id, paidAt: fresh.bankTime ?? fresh.receivedAt), on: db)
                try await AuditEntryModel.record(on: db, actor: user.id, action: "fees.assign", subjectType: "transfer", subjectID: uuid,
                                                 detail: "stall \(stall.number) \(payment.receiptNumber)")
                return payment
            }
        }
    }

    /// A payment recorded by mistake is cancelled by reversal entries (the payment, its
    /// allocations and credit), with the reason and who did it. Nothing is edited or deleted.
    func reverse(payment paymentID: String, reason rawReason: String?) async throws -> FeePaymentModel {
        guard let uuid = UUID(uuidString: paymentID), let payment = try await FeePaymentModel.find(uuid, on: database) else { throw AppError.notFound }
        _ = try await fees.managedMarket(payment.marketID.uuidString)
        let reason = try TransferService.note(rawReason, required: true, field: "reason")
        let user = user, database = database
        try await SyncGate.shared.around(database) {
            try await database.transaction { db in
                guard try await FeeLedgerWriter.reverse(payment: uuid, reason: reason, actor: user.id, at: Date(), on: db) else {
                    throw AppError(status: .conflict, code: "already_reversed", message: .init(vi: "Khoản thu này đã được huỷ", en: "This payment was already reversed"))
                }
                // The money of a reversed transfer is still in the fee account: it goes back to the
                // inbox, to be given to the right stall (or refunded). The payment keeps a note of it.
                if let transferID = payment.transferID, let transfer = try await TransferModel.find(transferID, on: db) {
                    transfer.status = TransferStatus.unmatched.rawValue
                    transfer.reasonVi = "Khoản phí chợ \(payment.receiptNumber) đã huỷ (\(reason)): hãy ghi cho đúng quầy hoặc hoàn lại"
                    transfer.reasonEn = "Fee payment \(payment.receiptNumber) was reversed (\(reason)): give it to the right stall or refund it"
                    try await transfer.save(on: db)
                    payment.transferID = nil
                    payment.note = [payment.note, "chuyển khoản \(transferID.uuidString) trả về hộp thư"].compactMap { $0 }.joined(separator: " · ")
                    try await payment.save(on: db)
                }
                try await AuditEntryModel.record(on: db, actor: user.id, action: "fees.reverse", subjectType: "stall", subjectID: payment.stallID,
                                                 detail: "\(payment.receiptNumber): \(reason)")
            }
        }
        return payment
    }
}

extension FeePaymentService {
    /// What one stall owes and has paid: its bills (newest period first), receipts and credit.
    struct StallFees: Sendable {
        var stall: StallModel
        var bills: [FeeService.BillLine]
        var payments: [FeePaymentModel]
        var reversedPayments: Set<UUID>
        var credit: Int64
        var balance: Int64
        var account: MarketAccountModel?
    }

    /// The stall's keeper, its market's board and admins, and the commune's officers read this.
    func stallFees(_ stallID: String) async throws -> StallFees {
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first() else { throw AppError.notFound }
        let decision = try await RegistryService(database: database, user: user).salesDecision(.read, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let state = try await FeeLedgerWriter.state(ofStall: uuid, on: database)
        let entries = try await FeeLedgerEntryModel.query(on: database).filter(\.$stallID == uuid).all()
        let reversedPayments = Set(entries.filter { $0.kind == FeeLedger.Kind.reversal.rawValue }.compactMap(\.paymentID))
        let lines = state.bills.map { bill in
            FeeService.BillLine(bill: bill, stallNumber: stall.number, figures: state.figures.bills[bill.id?.uuidString ?? ""] ?? .init())
        }.sorted { ($0.bill.period, state.lineOrder[$1.bill.id ?? UUID()] ?? 0) > ($1.bill.period, state.lineOrder[$0.bill.id ?? UUID()] ?? 0) }
        let payments = try await FeePaymentModel.query(on: database).filter(\.$stallID == uuid).sort(\.$paidAt, .descending).all()
        return StallFees(
            stall: stall, bills: lines, payments: payments, reversedPayments: reversedPayments, credit: state.credit(of: uuid),
            balance: state.figures.balance(ofStall: uuid.uuidString, bills: state.bills.compactMap { $0.id?.uuidString }),
            account: try await MarketAccountService(database: database, user: user).current(market: stall.$market.id))
    }

    /// One bill with its VietQR to the market's fee account (nil while the market has none).
    func bill(_ billID: String) async throws -> (line: FeeService.BillLine, payload: String?) {
        guard let uuid = UUID(uuidString: billID), let bill = try await FeeBillModel.find(uuid, on: database) else { throw AppError.notFound }
        let fees = try await stallFees(bill.stallID.uuidString)
        guard let line = fees.bills.first(where: { $0.bill.id == uuid }) else { throw AppError.notFound }
        return (line, try fees.account.map { try Self.payload(for: line, account: $0) })
    }

    /// The dynamic VietQR for what is left of a bill, its code leading the transfer content.
    static func payload(for line: FeeService.BillLine, account: MarketAccountModel) throws -> String {
        let period = FeePeriod(line.bill.period)?.vietnamese ?? line.bill.period
        return try VietQRBuilder.build(VietQRRequest(
            bin: account.bin, account: account.accountNumber, amount: line.figures.amountRemaining > 0 ? line.figures.amountRemaining : nil,
            purpose: "Phi cho \(period)", paymentCode: line.bill.code, merchantName: account.holderName))
    }
}

extension FeePaymentService.StallFees {
    /// Open bills, oldest first.
    var openLines: [FeeService.BillLine] {
        bills.filter { !$0.figures.isCancelled && $0.figures.amountRemaining > 0 }.reversed()
    }

    /// One VietQR for everything the stall owes: the oldest open bill's code names the stall, and
    /// the money is allocated oldest bill first whichever code it carries. Nil when nothing is owed
    /// or the market has no fee account.
    func payAllPayload() throws -> (payload: String, code: String, amount: Int64)? {
        guard balance > 0, let oldest = openLines.first, let account else { return nil }
        let payload = try VietQRBuilder.build(VietQRRequest(
            bin: account.bin, account: account.accountNumber, amount: balance, purpose: "Phi cho quay \(stall.number)",
            paymentCode: oldest.bill.code, merchantName: account.holderName))
        return (payload, oldest.bill.code, balance)
    }
}
