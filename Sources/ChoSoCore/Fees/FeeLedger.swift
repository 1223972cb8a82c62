/// The fees' append-only ledger (issue 15): every charge, payment, allocation and credit is an
/// entry; a mistake is undone by a reversal entry naming the one it cancels, never by an edit.
/// What a bill has been paid and what a stall owes are always worked out from the entries.
public enum FeeLedger {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A bill's amount due.
        case charge
        /// Money received for a stall's fees (by transfer or in cash).
        case payment
        /// Part of a payment (or of the stall's credit) applied to a bill.
        case allocation
        /// Signed: + the part of a payment no open bill took; − credit applied to a bill.
        case credit
        /// Cancels the entry it names.
        case reversal
    }

    public struct Entry: Sendable, Hashable {
        public var id: String
        public var kind: Kind
        public var stallID: String
        public var billID: String?
        public var paymentID: String?
        public var amount: Int64
        /// For a reversal: the entry it cancels.
        public var reverses: String?

        public init(id: String, kind: Kind, stallID: String, billID: String? = nil, paymentID: String? = nil, amount: Int64, reverses: String? = nil) {
            self.id = id
            self.kind = kind
            self.stallID = stallID
            self.billID = billID
            self.paymentID = paymentID
            self.amount = amount
            self.reverses = reverses
        }
    }

    public enum BillStatus: String, Sendable, Codable {
        case unpaid
        case partlyPaid = "partly_paid"
        case paid
        /// Its charge was reversed (billed by mistake).
        case cancelled
    }

    public struct BillFigures: Sendable, Hashable {
        public var amountDue: Int64 = 0
        public var amountPaid: Int64 = 0
        public var amountRemaining: Int64 { amountDue - amountPaid }
        public var isCancelled = false

        public init(amountDue: Int64 = 0, amountPaid: Int64 = 0, isCancelled: Bool = false) {
            self.amountDue = amountDue
            self.amountPaid = amountPaid
            self.isCancelled = isCancelled
        }

        public var status: BillStatus {
            if isCancelled { return .cancelled }
            if amountPaid <= 0 { return .unpaid }
            return amountPaid >= amountDue ? .paid : .partlyPaid
        }
    }

    public struct Figures: Sendable {
        public var bills: [String: BillFigures] = [:]
        /// Per stall: unspent over-payments (negative when credit was used that a reversal took back).
        public var credit: [String: Int64] = [:]
        /// Per payment: what it brought, and where it went (allocations plus credit).
        public var received: [String: Int64] = [:]
        public var placed: [String: Int64] = [:]

        public init() {}

        /// What a stall owes now: its open bills less its credit (negative: it is owed).
        public func balance(ofStall stallID: String, bills stallBills: [String]) -> Int64 {
            stallBills.reduce(0) { $0 + max(0, bills[$1]?.amountRemaining ?? 0) } - (credit[stallID] ?? 0)
        }

        /// Payments whose money is not all placed (or placed more than once): always empty for a sound ledger.
        public var unbalancedPayments: [String] {
            Set(received.keys).union(placed.keys).filter { (received[$0] ?? 0) != (placed[$0] ?? 0) }.sorted()
        }
    }

    /// Works the figures out from the entries, reversals applied.
    public static func figures(_ entries: [Entry]) -> Figures {
        let reversed = Set(entries.filter { $0.kind == .reversal }.compactMap(\.reverses))
        var figures = Figures()
        for entry in entries where entry.kind != .reversal {
            let cancelled = reversed.contains(entry.id)
            switch entry.kind {
            case .charge:
                guard let bill = entry.billID else { continue }
                if cancelled { figures.bills[bill, default: BillFigures()].isCancelled = true } else { figures.bills[bill, default: BillFigures()].amountDue += entry.amount }
            case .allocation where !cancelled:
                if let bill = entry.billID { figures.bills[bill, default: BillFigures()].amountPaid += entry.amount }
                if let payment = entry.paymentID { figures.placed[payment, default: 0] += entry.amount }
            case .credit where !cancelled:
                figures.credit[entry.stallID, default: 0] += entry.amount
                if let payment = entry.paymentID, entry.amount > 0 { figures.placed[payment, default: 0] += entry.amount }
            case .payment where !cancelled:
                if let payment = entry.paymentID { figures.received[payment, default: 0] += entry.amount }
            default:
                continue
            }
        }
        return figures
    }

    /// An open bill, as allocation needs it.
    public struct OpenBill: Sendable, Hashable {
        public var id: String
        public var period: FeePeriod
        /// Orders the lines of one period (rent before electricity before cleaning, say).
        public var lineOrder: Int
        public var remaining: Int64

        public init(id: String, period: FeePeriod, lineOrder: Int, remaining: Int64) {
            self.id = id
            self.period = period
            self.lineOrder = lineOrder
            self.remaining = remaining
        }
    }

    /// Money applied to open bills oldest first (earliest period, then line order); what no bill
    /// takes is left over, to become the stall's credit.
    public static func allocate(_ amount: Int64, to bills: [OpenBill]) -> (allocations: [(bill: String, amount: Int64)], leftover: Int64) {
        var left = max(0, amount)
        var allocations: [(bill: String, amount: Int64)] = []
        for bill in bills.sorted(by: { ($0.period, $0.lineOrder, $0.id) < ($1.period, $1.lineOrder, $1.id) }) where left > 0 && bill.remaining > 0 {
            let taken = min(left, bill.remaining)
            allocations.append((bill.id, taken))
            left -= taken
        }
        return (allocations, left)
    }
}

extension FeeLedger {
    /// What `choso report verify` checks of the ledger against the bills and payments it records:
    /// each bill charged once for its amount, each payment entered once for its amount and all of
    /// it placed (on bills or as credit), no bill paid beyond its amount, no entry reversed twice
    /// or a reversal of nothing. Empty for a sound ledger.
    public static func audit(_ entries: [Entry], bills: [String: Int64], payments: [String: Int64]) -> [String] {
        var problems: [String] = []
        let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var reversedCount: [String: Int] = [:]
        for entry in entries where entry.kind == .reversal {
            guard let target = entry.reverses, let reversed = byID[target], reversed.kind != .reversal else {
                problems.append("bút toán huỷ \(entry.id) không trỏ tới bút toán nào / reversal \(entry.id) cancels nothing")
                continue
            }
            reversedCount[target, default: 0] += 1
            if entry.amount != -reversed.amount {
                problems.append("bút toán huỷ \(entry.id) khác số tiền / reversal \(entry.id) has another amount")
            }
        }
        for (target, count) in reversedCount where count > 1 {
            problems.append("bút toán \(target) bị huỷ \(count) lần / entry \(target) reversed \(count) times")
        }
        var charges: [String: [Entry]] = [:]
        var paymentEntries: [String: [Entry]] = [:]
        for entry in entries {
            if entry.kind == .charge, let bill = entry.billID { charges[bill, default: []].append(entry) }
            if entry.kind == .payment, let payment = entry.paymentID { paymentEntries[payment, default: []].append(entry) }
        }
        for (bill, amount) in bills.sorted(by: { $0.key < $1.key }) {
            let found = charges[bill] ?? []
            if found.count != 1 || found.first?.amount != amount {
                problems.append("phiếu \(bill): \(found.count) bút toán ghi nợ, cần đúng một bằng \(amount) / bill \(bill): \(found.count) charges, one of \(amount) expected")
            }
        }
        for (payment, amount) in payments.sorted(by: { $0.key < $1.key }) {
            let found = paymentEntries[payment] ?? []
            if found.count != 1 || found.first?.amount != amount {
                problems.append("khoản thu \(payment): \(found.count) bút toán thu, cần đúng một bằng \(amount) / payment \(payment): \(found.count) entries, one of \(amount) expected")
            }
        }
        let figures = figures(entries)
        for payment in figures.unbalancedPayments {
            problems.append("khoản thu \(payment) chưa phân bổ hết hoặc phân bổ quá / payment \(payment) is not placed exactly")
        }
        for (bill, billFigures) in figures.bills.sorted(by: { $0.key < $1.key }) where billFigures.amountPaid > billFigures.amountDue && !billFigures.isCancelled {
            problems.append("phiếu \(bill) được trả quá số phải nộp / bill \(bill) is paid beyond its amount")
        }
        return problems
    }
}
