import Foundation

/// What a stored transfer is to a stall (DESIGN.md §5, §6 `status`).
public enum TransferStatus: String, Sendable, CaseIterable {
    case walkIn = "walk_in"
    case paid, underpaid, overpaid, late
    case duplicatePayment = "duplicate_payment"
    case unmatched, outgoing
    /// Market fees paid to the market's collection account (issue 15): the fees' ledger counts
    /// it, never a stall's takings.
    case fee
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

    public init(status: TransferStatus, stallID: String?, requestID: String?, difference: Int64?, reason: LocalizedText) {
        self.status = status
        self.stallID = stallID
        self.requestID = requestID
        self.difference = difference
        self.reason = reason
    }
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
        return judged(transfer, against: request, stallID: stall)
    }

    /// The amount against what the request still expected: paid, under-paid or over-paid.
    static func judged(_ transfer: IncomingTransfer, against request: OpenRequest, stallID: String, prefix: LocalizedText? = nil) -> MatchDecision {
        let asked = Money(dong: request.amount)
        func reason(_ vi: String, _ en: String) -> LocalizedText {
            LocalizedText(vi: (prefix.map { $0.vi + ": " } ?? "") + vi, en: (prefix.map { $0.en + ": " } ?? "") + en)
        }
        switch PaymentJudgement.judge(requested: asked, received: Money(dong: request.received + transfer.amount)) {
        case .paid, .pending:
            return MatchDecision(status: .paid, stallID: stallID, requestID: request.id, difference: nil,
                                 reason: reason("Đã trả đủ \(asked.formatted) cho \(request.code)", "\(asked.formatted) paid in full for \(request.code)"))
        case .underpaid(let remaining):
            return MatchDecision(status: .underpaid, stallID: stallID, requestID: request.id, difference: remaining.dong,
                                 reason: reason("Chuyển thiếu: còn thiếu \(remaining.formatted)", "Under-paid: \(remaining.formatted) still owed"))
        case .overpaid(let excess):
            return MatchDecision(status: .overpaid, stallID: stallID, requestID: request.id, difference: excess.dong,
                                 reason: reason("Chuyển dư \(excess.formatted): cần hoàn lại khách", "Over-paid by \(excess.formatted): refund the customer"))
        }
    }

    /// A person's correction: the transfer belongs to this stall, and to this request when one is
    /// named (its amount judged against what the request still expected, whatever the code or
    /// the time said). The reason says who decided and why.
    public static func assign(
        _ transfer: IncomingTransfer, toStall stallID: String, request: OpenRequest?, by person: String, note: String
    ) -> MatchDecision {
        let said = note.isEmpty ? "" : " (\(note))"
        let prefix = LocalizedText(vi: "Gán tay bởi \(person)\(said)", en: "Assigned by \(person)\(said)")
        guard let request else {
            return MatchDecision(
                status: transfer.direction == .outgoing ? .outgoing : .walkIn, stallID: stallID, requestID: nil, difference: nil,
                reason: LocalizedText(vi: prefix.vi + ": tiền của quầy, không theo yêu cầu nào", en: prefix.en + ": the stall's money, no request"))
        }
        return judged(transfer, against: request, stallID: stallID, prefix: prefix)
    }
}
