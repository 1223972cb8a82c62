import Foundation

/// What one stall took in one hour of one business day: the figures reports read instead of
/// scanning every transfer. Kept up to date with each entry and correction, in the same
/// transaction; `choso report verify` recomputes them from the entries.
public struct RollupKey: Hashable, Sendable, Comparable {
    public var stallID: String
    /// `YYYY-MM-DD`, Asia/Ho_Chi_Minh.
    public var day: String
    /// 0–23, in the business time zone.
    public var hour: Int

    public init(stallID: String, day: String, hour: Int) {
        self.stallID = stallID
        self.day = day
        self.hour = hour
    }

    /// The hour of a key that stands for the whole day (the daily table's rows).
    public static let wholeDay = -1

    public var isWholeDay: Bool { hour == Self.wholeDay }

    public init(stallID: String, at date: Date, in timeZone: TimeZone) {
        let local = BankTime.formatLocal(date, timeZone: timeZone)
        self.init(stallID: stallID, day: String(local.prefix(10)), hour: Int(local.dropFirst(11).prefix(2)) ?? 0)
    }

    public static func < (lhs: RollupKey, rhs: RollupKey) -> Bool {
        (lhs.stallID, lhs.day, lhs.hour) < (rhs.stallID, rhs.day, rhs.hour)
    }
}

public struct RollupFigures: Hashable, Sendable {
    public var transferCount: Int64 = 0
    public var transferAmount: Int64 = 0
    public var cashCount: Int64 = 0
    public var cashAmount: Int64 = 0
    public var debtCount: Int64 = 0
    public var debtAmount: Int64 = 0
    public var underpaidCount: Int64 = 0
    public var overpaidCount: Int64 = 0
    public var refundDueCount: Int64 = 0
    public var refundDueAmount: Int64 = 0

    public init() {}

    public var isZero: Bool { self == RollupFigures() }

    public static func + (lhs: RollupFigures, rhs: RollupFigures) -> RollupFigures {
        var sum = lhs
        sum.transferCount += rhs.transferCount
        sum.transferAmount += rhs.transferAmount
        sum.cashCount += rhs.cashCount
        sum.cashAmount += rhs.cashAmount
        sum.debtCount += rhs.debtCount
        sum.debtAmount += rhs.debtAmount
        sum.underpaidCount += rhs.underpaidCount
        sum.overpaidCount += rhs.overpaidCount
        sum.refundDueCount += rhs.refundDueCount
        sum.refundDueAmount += rhs.refundDueAmount
        return sum
    }

    public static prefix func - (figures: RollupFigures) -> RollupFigures {
        RollupFigures() + figures.scaled(by: -1)
    }

    func scaled(by factor: Int64) -> RollupFigures {
        var scaled = self
        scaled.transferCount *= factor
        scaled.transferAmount *= factor
        scaled.cashCount *= factor
        scaled.cashAmount *= factor
        scaled.debtCount *= factor
        scaled.debtAmount *= factor
        scaled.underpaidCount *= factor
        scaled.overpaidCount *= factor
        scaled.refundDueCount *= factor
        scaled.refundDueAmount *= factor
        return scaled
    }

    /// Money in for the stall: counted unless it went out, belongs to no stall, or was set aside.
    public static func countsAsTakings(status: TransferStatus?, resolution: String?) -> Bool {
        status != .outgoing && status != .unmatched && resolution != "dismissed"
    }

    /// A transfer's figures. Money owed back to the customer is not takings: a refund due (or made)
    /// comes off the transfer's amount — the excess of an over-payment, the whole of anything
    /// else — and a refund due is counted apart until it is made.
    public static func transfer(status: TransferStatus, amount: Int64, difference: Int64? = nil, resolution: String?) -> RollupFigures {
        var figures = RollupFigures()
        guard countsAsTakings(status: status, resolution: resolution) else { return figures }
        let refund = Refund.isRefund(resolution) ? Refund.amount(status: status, amount: amount, difference: difference) : 0
        figures.transferAmount = amount - refund
        figures.transferCount = figures.transferAmount > 0 ? 1 : 0
        if status == .underpaid { figures.underpaidCount = 1 }
        if status == .overpaid { figures.overpaidCount = 1 }
        if resolution == Refund.due {
            figures.refundDueCount = 1
            figures.refundDueAmount = refund
        }
        return figures
    }

    public static func cash(kind: String, amount: Int64) -> RollupFigures {
        var figures = RollupFigures()
        if kind == "debt" {
            figures.debtCount = 1
            figures.debtAmount = amount
        } else {
            figures.cashCount = 1
            figures.cashAmount = amount
        }
        return figures
    }
}

/// Adds up changes by key, so that one statement per key updates the table.
public struct RollupChanges: Sendable {
    public private(set) var byKey: [RollupKey: RollupFigures] = [:]

    public init() {}

    public mutating func add(_ figures: RollupFigures, at key: RollupKey) {
        guard !figures.isZero else { return }
        byKey[key, default: RollupFigures()] = byKey[key, default: RollupFigures()] + figures
        if byKey[key]?.isZero == true { byKey[key] = nil }
    }

    /// The same changes summed per stall and day, keyed with `RollupKey.wholeDay`: what the daily
    /// table receives beside the hourly one, so a month's report reads one row per stall and day.
    public var byDay: [RollupKey: RollupFigures] {
        var days = RollupChanges()
        for (key, figures) in byKey where !key.isWholeDay {
            days.add(figures, at: RollupKey(stallID: key.stallID, day: key.day, hour: RollupKey.wholeDay))
        }
        return days.byKey
    }
}

/// Money to give back to a customer: marked due by the market board, made when the stall's
/// outgoing transfer of that amount arrives (or a person records it).
public enum Refund {
    public static let due = "refund_due"
    public static let made = "refunded"

    public static func isRefund(_ resolution: String?) -> Bool { resolution == due || resolution == made }

    /// What goes back: the excess of an over-payment; all of a payment made twice, or late, or not
    /// for this stall.
    public static func amount(status: TransferStatus, amount: Int64, difference: Int64?) -> Int64 {
        guard status == .overpaid, let difference, difference > 0, difference < amount else { return amount }
        return difference
    }

    /// A refund still owed to a customer.
    public struct Owed: Sendable, Equatable {
        public var amount: Int64
        /// The customer's account, when the bank named it.
        public var counterAccount: String?

        public init(amount: Int64, counterAccount: String?) {
            self.amount = amount
            self.counterAccount = counterAccount
        }
    }

    /// Which of the refunds owed (oldest first) an outgoing transfer of `amount` to `payee` pays:
    /// the first of exactly that amount whose account is the payee's when both sides name one.
    public static func paid(by amount: Int64, to payee: String?, among owed: [Owed]) -> Int? {
        let payee = payee.flatMap { $0.isEmpty ? nil : $0 }
        return owed.firstIndex { refund in
            refund.amount == amount && (payee == nil || (refund.counterAccount ?? "").isEmpty || refund.counterAccount == payee)
        }
    }
}
