import ChoSoCore
import Fluent
import VietQR
import Foundation

/// A stall keeper's request for an exact amount: a dynamic VietQR with a payment code.
final class PaymentRequestModel: Model, @unchecked Sendable {
    static let schema = "payment_requests"

    @ID(key: .id) var id: UUID?
    @Parent(key: "stall_id") var stall: StallModel
    @Field(key: "code") var code: String
    @Field(key: "amount") var amount: Int64
    @OptionalField(key: "note") var note: String?
    /// pending, paid, underpaid, overpaid, expired, cancelled
    @Field(key: "status") var status: String
    @Field(key: "payload") var payload: String
    /// Sum of the transfers matched to this request so far.
    @Field(key: "received_amount") var receivedAmount: Int64
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    /// The business day (Asia/Ho_Chi_Minh) the request belongs to, `YYYY-MM-DD`.
    @Field(key: "business_day") var businessDay: String

    init() {}

    /// Adds money that arrived for this request and judges the status by the sum received.
    func credit(_ amount: Int64) {
        receivedAmount += amount
        switch PaymentJudgement.judge(requested: Money(dong: self.amount), received: Money(dong: receivedAmount)) {
        case .pending: status = CashierService.RequestStatus.pending.rawValue
        case .paid: status = CashierService.RequestStatus.paid.rawValue
        case .underpaid: status = CashierService.RequestStatus.underpaid.rawValue
        case .overpaid: status = CashierService.RequestStatus.overpaid.rawValue
        }
    }

    /// What the matcher needs to know of it.
    var openRequest: OpenRequest {
        OpenRequest(
            id: id?.uuidString ?? "", stallID: $stall.id.uuidString, code: code, amount: amount, received: receivedAmount,
            expiresAt: expiresAt, cancelled: status == CashierService.RequestStatus.cancelled.rawValue)
    }
}

/// A cash sale, or an amount a customer owes, typed on the keypad.
final class CashEntryModel: Model, @unchecked Sendable {
    static let schema = "cash_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "stall_id") var stall: StallModel
    /// cash_sale or debt
    @Field(key: "kind") var kind: String
    @Field(key: "amount") var amount: Int64
    @OptionalField(key: "customer_name") var customerName: String?
    /// What was sold ("2 ký xoài"), as the keeper typed it.
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "business_day") var businessDay: String
    @OptionalField(key: "voided_at") var voidedAt: Date?
    @OptionalField(key: "voided_by") var voidedBy: UUID?
    @OptionalField(key: "void_reason") var voidReason: String?
    /// A debt: when it was paid, in cash (the cash sale that paid it) or by transfer (its request).
    @OptionalField(key: "settled_at") var settledAt: Date?
    @OptionalField(key: "settled_by_entry") var settledByEntry: UUID?
    @OptionalField(key: "settled_by_request") var settledByRequest: UUID?

    var isVoided: Bool { voidedAt != nil }

    init() {}
}

/// A QR board printed for a stall, and when it was handed over.
final class BoardPrintModel: Model, @unchecked Sendable {
    static let schema = "board_prints"

    @ID(key: .id) var id: UUID?
    @Parent(key: "stall_id") var stall: StallModel
    @Field(key: "account_id") var accountID: UUID
    @OptionalField(key: "printed_by") var printedBy: UUID?
    @Field(key: "printed_at") var printedAt: Date
    @OptionalField(key: "handed_over_by") var handedOverBy: UUID?
    @OptionalField(key: "handed_over_at") var handedOverAt: Date?

    init() {}
}

/// A replacement receiving account waiting for a second person of the market board.
extension PaymentRequestModel {
    /// Still owed after an under-payment; nil otherwise.
    var remaining: Int64? { RemainderQR.remaining(requested: amount, received: receivedAmount) }

    /// The current status of the requests these transfers paid.
    static func statuses(of transfers: [TransferModel], on database: any Database) async throws -> [UUID: String] {
        let ids = Array(Set(transfers.compactMap(\.paymentRequestID)))
        guard !ids.isEmpty else { return [:] }
        let requests = try await PaymentRequestModel.query(on: database).filter(\.$id ~~ ids).all()
        return Dictionary(uniqueKeysWithValues: requests.compactMap { request in request.id.map { ($0, request.status) } })
    }

    /// The payload to show now: the same code for the rest after an under-payment, else the whole.
    var payableNow: String {
        remaining.flatMap { RemainderQR.payload(payload, remaining: $0) } ?? payload
    }
}

final class AccountChangeModel: Model, @unchecked Sendable {
    static let schema = "account_changes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "stall_id") var stall: StallModel
    @Field(key: "kind") var kind: String
    @Field(key: "bin") var bin: String
    @Field(key: "account_number") var accountNumber: String
    @Field(key: "holder_name") var holderName: String
    @OptionalField(key: "display_name") var displayName: String?
    @Field(key: "requested_by") var requestedBy: UUID
    @Field(key: "requested_at") var requestedAt: Date
    /// pending, confirmed, rejected
    @Field(key: "status") var status: String
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    /// add (nil in rows made before), deactivate or reactivate.
    @OptionalField(key: "action") var actionName: String?
    /// The account a deactivation or reactivation is about.
    @OptionalField(key: "account_id") var accountID: UUID?

    enum Action: String, Sendable { case add, deactivate, reactivate }

    var action: Action { actionName.flatMap(Action.init(rawValue:)) ?? .add }

    /// "thêm/đổi sang Vietcombank ****0123", "ngừng dùng …", "dùng lại …": for notices and lists.
    var summary: LocalizedText {
        let bank = BankDirectory.bundled.bank(bin: bin)?.shortName ?? bin
        let account = "\(bank) \(QRCheckService.masked(accountNumber))"
        switch action {
        case .add: return LocalizedText(vi: "nhận tiền vào \(account)", en: "receive money into \(account)")
        case .deactivate: return LocalizedText(vi: "ngừng nhận tiền vào \(account)", en: "stop receiving money into \(account)")
        case .reactivate: return LocalizedText(vi: "dùng lại \(account) để nhận tiền", en: "receive money into \(account) again")
        }
    }

    init() {}
}
