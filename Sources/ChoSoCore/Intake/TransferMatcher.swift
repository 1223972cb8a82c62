import Foundation

/// What a stored transfer is to a stall (DESIGN.md §5, §6 `status`).
public enum TransferStatus: String, Sendable, CaseIterable {
    case walkIn = "walk_in"
    case paid, underpaid, overpaid, late
    case duplicatePayment = "duplicate_payment"
    case unmatched, outgoing
}

/// A receiving account as the matcher sees it.
public struct KnownAccount: Hashable, Sendable {
    public var stallID: String
    public var bin: String
    public var accountNumber: String

    public init(stallID: String, bin: String, accountNumber: String) {
        self.stallID = stallID
        self.bin = bin
        self.accountNumber = accountNumber
    }
}

/// A payment request as the matcher sees it: what was asked and what has arrived so far.
public struct OpenRequest: Hashable, Sendable {
    public var id: String
    public var stallID: String
    public var code: String
    public var amount: Int64
    public var received: Int64
    public var expiresAt: Date
    public var cancelled: Bool

    public init(id: String, stallID: String, code: String, amount: Int64, received: Int64, expiresAt: Date, cancelled: Bool = false) {
        self.id = id
        self.stallID = stallID
        self.code = code
        self.amount = amount
        self.received = received
        self.expiresAt = expiresAt
        self.cancelled = cancelled
    }
}

/// The matcher's decision, with the reason a person can read.
public struct MatchDecision: Hashable, Sendable {
    public var status: TransferStatus
    public var stallID: String?
    public var requestID: String?
    /// Owed still (under-paid) or to refund (over-paid), in đồng.
    public var difference: Int64?
    public var reason: LocalizedText
}

/// Account → stall; payment code → that stall's request; the amount judged by the sum received.
public enum TransferMatcher {
    public static func match(
        _ transfer: IncomingTransfer, accounts: [KnownAccount], requests: [OpenRequest]
    ) -> MatchDecision {
        let candidates = accounts.filter {
            $0.accountNumber == transfer.accountNumber && (transfer.bin == nil || $0.bin == transfer.bin)
        }
        // Without a BIN an account number shared by two banks cannot be told apart.
        guard candidates.count == 1, let account = candidates.first else {
            return MatchDecision(
                status: transfer.direction == .outgoing ? .outgoing : .unmatched, stallID: nil, requestID: nil, difference: nil,
                reason: candidates.isEmpty
                    ? LocalizedText(vi: "Tài khoản nhận \(transfer.accountNumber) không thuộc quầy nào", en: "The receiving account \(transfer.accountNumber) is no stall's")
                    : LocalizedText(vi: "Số tài khoản \(transfer.accountNumber) có ở nhiều ngân hàng, thiếu mã BIN", en: "Account \(transfer.accountNumber) exists at several banks and no BIN was given"))
        }
        let stall = account.stallID
        guard transfer.direction == .incoming else {
            return MatchDecision(
                status: .outgoing, stallID: stall, requestID: nil, difference: nil,
                reason: LocalizedText(vi: "Tiền chuyển đi: lưu lại, không cộng vào doanh thu", en: "Money sent out: kept, not counted as takings"))
        }
        let codes = PaymentCode.find(in: transfer.description)
        guard let request = requests.first(where: { $0.stallID == stall && codes.contains($0.code) }) else {
            return MatchDecision(
                status: .walkIn, stallID: stall, requestID: nil, difference: nil,
                reason: codes.isEmpty
                    ? LocalizedText(vi: "Không có mã thanh toán: ghi là khách chuyển trực tiếp", en: "No payment code: a walk-in transfer")
                    : LocalizedText(vi: "Mã \(codes[0]) không khớp yêu cầu nào của quầy: ghi là khách chuyển trực tiếp", en: "Code \(codes[0]) matches none of the stall's requests: a walk-in transfer"))
        }
        let asked = Money(dong: request.amount)
        if request.received >= request.amount {
            return MatchDecision(
                status: .duplicatePayment, stallID: stall, requestID: request.id, difference: transfer.amount,
                reason: LocalizedText(vi: "Yêu cầu \(request.code) đã được trả đủ trước đó: cần hoàn lại \(Money(dong: transfer.amount).formatted)", en: "Request \(request.code) was already paid: \(Money(dong: transfer.amount).formatted) to refund"))
        }
        if request.cancelled || (transfer.bankTime ?? .distantPast) > request.expiresAt {
            return MatchDecision(
                status: .late, stallID: stall, requestID: request.id, difference: nil,
                reason: LocalizedText(vi: "Tiền về sau khi yêu cầu \(request.code) đã hết hạn hoặc bị huỷ", en: "The money came after request \(request.code) expired or was cancelled"))
        }
        switch PaymentJudgement.judge(requested: asked, received: Money(dong: request.received + transfer.amount)) {
        case .paid, .pending:
            return MatchDecision(status: .paid, stallID: stall, requestID: request.id, difference: nil,
                                 reason: LocalizedText(vi: "Đã trả đủ \(asked.formatted) cho \(request.code)", en: "\(asked.formatted) paid in full for \(request.code)"))
        case .underpaid(let remaining):
            return MatchDecision(status: .underpaid, stallID: stall, requestID: request.id, difference: remaining.dong,
                                 reason: LocalizedText(vi: "Chuyển thiếu: còn thiếu \(remaining.formatted)", en: "Under-paid: \(remaining.formatted) still owed"))
        case .overpaid(let excess):
            return MatchDecision(status: .overpaid, stallID: stall, requestID: request.id, difference: excess.dong,
                                 reason: LocalizedText(vi: "Chuyển dư \(excess.formatted): cần hoàn lại khách", en: "Over-paid by \(excess.formatted): refund the customer"))
        }
    }
}
