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
