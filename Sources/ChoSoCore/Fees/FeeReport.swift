/// A market's fees for a period, as the board's page, its exports and the commune's figures show
/// them (issue 15): the period's bills with what is paid, the money collected in that month by
/// transfer and in cash, and what is owed by age.
public struct FeeReport: Sendable {
    public struct BillRow: Sendable, Hashable {
        public var stallNumber: String
        public var stallName: String
        public var phone: String
        public var line: String
        public var figures: FeeLedger.BillFigures

        public init(stallNumber: String, stallName: String, phone: String, line: String, figures: FeeLedger.BillFigures) {
            self.stallNumber = stallNumber
            self.stallName = stallName
            self.phone = phone
            self.line = line
            self.figures = figures
        }
    }

    /// A payment received (not reversed) in the month.
    public struct Payment: Sendable, Hashable {
        public var amount: Int64
        public var isCash: Bool

        public init(amount: Int64, isCash: Bool) {
            self.amount = amount
            self.isCash = isCash
        }
    }

    /// An open bill of any period, for arrears.
    public struct OpenBill: Sendable, Hashable {
        public var stallNumber: String
        public var stallName: String
        public var phone: String
        public var period: FeePeriod
        public var remaining: Int64

        public init(stallNumber: String, stallName: String, phone: String, period: FeePeriod, remaining: Int64) {
            self.stallNumber = stallNumber
            self.stallName = stallName
            self.phone = phone
            self.period = period
            self.remaining = remaining
        }
    }

    public struct Totals: Sendable, Hashable {
        public var billCount = 0
        public var paidCount = 0
        public var partlyPaidCount = 0
        public var unpaidCount = 0
        public var billed: Int64 = 0
        public var paid: Int64 = 0
        public var remaining: Int64 = 0
    }

    public struct Collection: Sendable, Hashable {
        public var transferCount: Int64 = 0
        public var transferAmount: Int64 = 0
        public var cashCount: Int64 = 0
        public var cashAmount: Int64 = 0
        public var amount: Int64 { transferAmount + cashAmount }
        public var count: Int64 { transferCount + cashCount }

        public init() {}

        /// Several markets' collections added up.
        public static func + (lhs: Collection, rhs: Collection) -> Collection {
            var sum = lhs
            sum.transferCount += rhs.transferCount
            sum.transferAmount += rhs.transferAmount
            sum.cashCount += rhs.cashCount
            sum.cashAmount += rhs.cashAmount
            return sum
        }
        /// Cashless share of the money collected (value), and of the payments (count).
        public var valueShare: CashlessShare { CashlessShare(transferAmount: transferAmount, cashAmount: cashAmount) }
        public var countShare: CashlessShare { CashlessShare(transferAmount: transferCount, cashAmount: cashCount) }
    }

    /// A stall's open bills by how long they have been due: ≤ 30, 31–60, > 60 days.
    public struct Arrears: Sendable, Hashable {
        public var stallNumber: String
        public var stallName: String
        public var phone: String
        public var upTo30: Int64 = 0
        public var from31To60: Int64 = 0
        public var over60: Int64 = 0
        public var total: Int64 { upTo30 + from31To60 + over60 }
    }

    public var period: FeePeriod
    public var bills: [BillRow]
    public var totals: Totals
    public var collection: Collection
    public var arrears: [Arrears]

    /// A bill is due from its period's first day (fees are paid at the start of the month).
    public init(period: FeePeriod, bills: [BillRow], payments: [Payment], openBills: [OpenBill], today: Day) {
        self.period = period
        self.bills = bills
        var totals = Totals()
        for bill in bills where !bill.figures.isCancelled {
            totals.billCount += 1
            totals.billed += bill.figures.amountDue
            totals.paid += bill.figures.amountPaid
            totals.remaining += max(0, bill.figures.amountRemaining)
            switch bill.figures.status {
            case .paid: totals.paidCount += 1
            case .partlyPaid: totals.partlyPaidCount += 1
            case .unpaid: totals.unpaidCount += 1
            case .cancelled: break
            }
        }
        self.totals = totals
        var collection = Collection()
        for payment in payments {
            if payment.isCash { collection.cashCount += 1; collection.cashAmount += payment.amount }
            else { collection.transferCount += 1; collection.transferAmount += payment.amount }
        }
        self.collection = collection
        var byStall: [String: Arrears] = [:]
        for bill in openBills where bill.remaining > 0 && bill.period.firstDay <= today {
            let age = bill.period.firstDay.daysThrough(today) - 1
            var row = byStall[bill.stallNumber] ?? Arrears(stallNumber: bill.stallNumber, stallName: bill.stallName, phone: bill.phone)
            if age <= 30 { row.upTo30 += bill.remaining } else if age <= 60 { row.from31To60 += bill.remaining } else { row.over60 += bill.remaining }
            byStall[bill.stallNumber] = row
        }
        arrears = byStall.values.sorted { StallNumberOrder.precedes($0.stallNumber, $1.stallNumber) }
    }

    public static func statusLabel(_ status: FeeLedger.BillStatus) -> LocalizedText {
        switch status {
        case .paid: LocalizedText(vi: "Đã nộp đủ", en: "Paid")
        case .partlyPaid: LocalizedText(vi: "Nộp một phần", en: "Partly paid")
        case .unpaid: LocalizedText(vi: "Chưa nộp", en: "Unpaid")
        case .cancelled: LocalizedText(vi: "Đã huỷ", en: "Cancelled")
        }
    }

    /// The official sheet: title block, one row per bill, the total, then the month's collection.
    public func sheet(issuer: String, place: String, issued: Day) -> ReportSheet {
        var rows = ReportSheet.titleBlock(
            issuer: issuer, place: place, issued: issued, title: "BẢNG THEO DÕI THU PHÍ CHỢ", from: period.firstDay, to: period.lastDay)
        rows.append(["STT", "Số quầy", "Tên quầy", "Khoản phí", "Phải nộp (đồng)", "Đã nộp (đồng)", "Còn nợ (đồng)", "Tình trạng"].map { .text($0) })
        for (index, bill) in bills.enumerated() {
            rows.append([
                .number(Int64(index + 1)), .text(bill.stallNumber), .text(bill.stallName), .text(bill.line),
                .number(bill.figures.isCancelled ? 0 : bill.figures.amountDue), .number(bill.figures.amountPaid),
                .number(bill.figures.isCancelled ? 0 : bill.figures.amountRemaining), .text(Self.statusLabel(bill.figures.status).vi),
            ])
        }
        rows.append([.empty, .text("Tổng cộng"), .text("\(totals.billCount) khoản"), .empty,
                     .number(totals.billed), .number(totals.paid), .number(totals.remaining), .empty])
        let totalRow = rows.count - 1
        rows.append([])
        rows.append([.empty, .text("Thu trong tháng"), .text("Số lần"), .text("Số tiền (đồng)")])
        rows.append([.empty, .text("Chuyển khoản"), .number(collection.transferCount), .number(collection.transferAmount)])
        rows.append([.empty, .text("Tiền mặt"), .number(collection.cashCount), .number(collection.cashAmount)])
        rows.append([.empty, .text("Tỷ lệ không dùng tiền mặt"),
                     .percent(numerator: collection.transferCount, denominator: collection.count),
                     .percent(numerator: collection.transferAmount, denominator: collection.amount)])
        return ReportSheet(name: "Phi cho \(period.iso)", rows: rows, boldRows: [2, ReportSheet.headerRow, totalRow])
    }
}
