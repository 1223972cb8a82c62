/// Paying market fees (issue 15): which transfers are fee payments, how a payment is written to
/// the ledger, and receipt numbers.

/// A market's account for collecting fees, as the matcher sees it.
public struct CollectionAccount: Hashable, Sendable {
    public var marketID: String
    public var bin: String
    public var accountNumber: String

    public init(marketID: String, bin: String, accountNumber: String) {
        self.marketID = marketID
        self.bin = bin
        self.accountNumber = accountNumber
    }
}

/// A bill as the fee matcher needs it: found by its code.
public struct FeeBillRef: Hashable, Sendable {
    public var id: String
    public var stallID: String
    public var stallNumber: String
    public var code: String

    public init(id: String, stallID: String, stallNumber: String, code: String) {
        self.id = id
        self.stallID = stallID
        self.stallNumber = stallNumber
        self.code = code
    }
}

public enum FeeMatcher {
    public struct Decision: Hashable, Sendable {
        /// `fee` with the bill whose code it carried, `unmatched` (for the inbox) or `outgoing`.
        public var match: MatchDecision
        public var bill: FeeBillRef?
    }

    /// Nil when the transfer is not to one of the market's collection accounts (the stall matcher
    /// decides then). A fee transfer names no stall in the transfer itself: the stall's takings
    /// never include fees.
    public static func match(_ transfer: IncomingTransfer, accounts: [CollectionAccount], bills: [FeeBillRef]) -> Decision? {
        guard accounts.contains(where: { $0.accountNumber == transfer.accountNumber && (transfer.bin == nil || $0.bin == transfer.bin) }) else {
            return nil
        }
        guard transfer.direction == .incoming else {
            return Decision(match: MatchDecision(
                status: .outgoing, stallID: nil, requestID: nil, difference: nil,
                reason: LocalizedText(vi: "Tiền chuyển đi từ tài khoản thu phí chợ", en: "Money sent out of the market's fee account")), bill: nil)
        }
        let codes = FeeCode.find(in: transfer.description)
        guard let bill = codes.lazy.compactMap({ code in bills.first { $0.code == code } }).first else {
            return Decision(match: MatchDecision(
                status: .unmatched, stallID: nil, requestID: nil, difference: nil,
                reason: codes.isEmpty
                    ? LocalizedText(vi: "Tiền vào tài khoản thu phí chợ không có mã phí: ban quản lý gán cho quầy", en: "Money to the market's fee account without a fee code: the board assigns it to a stall")
                    : LocalizedText(vi: "Mã phí \(codes[0]) không thuộc hoá đơn nào của chợ: ban quản lý gán cho quầy", en: "Fee code \(codes[0]) is no bill of this market: the board assigns it to a stall")),
                bill: nil)
        }
        return Decision(match: MatchDecision(
            status: .fee, stallID: nil, requestID: nil, difference: nil,
            reason: LocalizedText(vi: "Phí chợ của quầy \(bill.stallNumber) (\(bill.code))", en: "Market fees of stall \(bill.stallNumber) (\(bill.code))")),
            bill: bill)
    }
}

/// Receipt numbers of fee payments and daily tickets: `BL` + six characters + a check, like
/// payment codes. Random rather than consecutive on purpose: the receipt's public page
/// `/bien-lai/{number}` must not let anyone walk through every stall's payments.
public enum FeeReceipt {
    public static let prefix = "BL"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return PaymentCode.generate(prefix: prefix, using: &generator)
    }

    public static func normalized(_ text: String) -> String? { PaymentCode.normalized(text, prefix: prefix) }
}

/// The entries that record money for a stall's fees.
public enum FeePosting {
    public struct NewEntry: Hashable, Sendable {
        public var kind: FeeLedger.Kind
        public var billID: String?
        /// Whether the entry belongs to the payment (allocations and credit from it).
        public var fromPayment: Bool
        public var amount: Int64
    }

    /// A payment: the payment itself, allocations to the open bills oldest first, and what is left
    /// as credit for the bills to come.
    public static func payment(_ amount: Int64, openBills: [FeeLedger.OpenBill]) -> [NewEntry] {
        let (allocations, leftover) = FeeLedger.allocate(amount, to: openBills)
        return [NewEntry(kind: .payment, billID: nil, fromPayment: true, amount: amount)]
            + allocations.map { NewEntry(kind: .allocation, billID: $0.bill, fromPayment: true, amount: $0.amount) }
            + (leftover > 0 ? [NewEntry(kind: .credit, billID: nil, fromPayment: true, amount: leftover)] : [])
    }

    /// A stall's credit spent on its open bills, oldest first (after billing): a negative credit
    /// entry and the allocations it paid for.
    public static func creditUse(_ credit: Int64, openBills: [FeeLedger.OpenBill]) -> [NewEntry] {
        guard credit > 0 else { return [] }
        let (allocations, leftover) = FeeLedger.allocate(credit, to: openBills)
        let used = credit - leftover
        guard used > 0 else { return [] }
        return [NewEntry(kind: .credit, billID: nil, fromPayment: false, amount: -used)]
            + allocations.map { NewEntry(kind: .allocation, billID: $0.bill, fromPayment: false, amount: $0.amount) }
    }
}

extension FeeLedger.Figures {
    /// A stall's bills that still expect money, for allocation.
    public func openBills(_ bills: [(id: String, period: FeePeriod, lineOrder: Int)]) -> [FeeLedger.OpenBill] {
        bills.compactMap { bill in
            guard let figures = self.bills[bill.id], !figures.isCancelled, figures.amountRemaining > 0 else { return nil }
            return FeeLedger.OpenBill(id: bill.id, period: bill.period, lineOrder: bill.lineOrder, remaining: figures.amountRemaining)
        }
    }
}
