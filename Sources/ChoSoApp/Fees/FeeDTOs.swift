import ChoSoCore
import Foundation
import Vapor

struct FeeBillDTO: Content {
    struct Stall: Content { var id: String, number: String }

    var id: String
    var stall: Stall
    var line: String
    var lineName: String
    var period: String
    var code: String
    var amountDue: Int64
    var amountPaid: Int64
    var amountRemaining: Int64
    var status: String
    var basis: String

    init(_ line: FeeService.BillLine) {
        id = line.bill.id?.uuidString ?? ""
        stall = Stall(id: line.bill.stallID.uuidString, number: line.stallNumber)
        self.line = line.bill.lineCode
        lineName = line.bill.lineName
        period = line.bill.period
        code = line.bill.code
        amountDue = line.figures.amountDue
        amountPaid = line.figures.amountPaid
        amountRemaining = line.figures.amountRemaining
        status = line.figures.status.rawValue
        basis = line.bill.basis
    }
}

struct FeePeriodDTO: Content {
    var period: String
    var billed: Int64
    var paid: Int64
    var remaining: Int64
    var bills: [FeeBillDTO]
    /// Money received in the month (reversed payments left out), by transfer and in cash.
    var collected: FeeCollectionDTO
    var arrears: [FeeArrearsDTO]
}

struct FeeCollectionDTO: Content {
    var transferCount: Int64
    var transferAmount: Int64
    var cashCount: Int64
    var cashAmount: Int64
    /// Cashless share of the value collected, in tenths of a percent (625 = 62,5 %); nil when nothing was collected.
    var cashlessPermille: Int?
    var cashlessCountPermille: Int?

    init(_ collection: FeeReport.Collection) {
        transferCount = collection.transferCount
        transferAmount = collection.transferAmount
        cashCount = collection.cashCount
        cashAmount = collection.cashAmount
        cashlessPermille = collection.valueShare.permille
        cashlessCountPermille = collection.countShare.permille
    }
}

struct FeeArrearsDTO: Content {
    var stallNumber: String
    var phone: String?
    var upTo30Days: Int64
    var from31To60Days: Int64
    var over60Days: Int64
    var total: Int64
}

/// One bill with the VietQR that pays what is left of it (nil while the market has no fee account).
struct FeeBillDetailDTO: Content {
    var bill: FeeBillDTO
    var payload: String?
}

struct FeeReceiptDTO: Content {
    var id: String
    var receiptNumber: String
    var stallId: String
    var amount: Int64
    var method: String
    var paidAt: Date
    var reversed: Bool
    var receiptUrl: String

    init(_ payment: FeePaymentModel, reversed: Bool, publicURL: String) {
        id = payment.id?.uuidString ?? ""
        receiptNumber = payment.receiptNumber
        stallId = payment.stallID.uuidString
        amount = payment.amount
        method = payment.method
        paidAt = payment.paidAt
        self.reversed = reversed
        receiptUrl = "\(publicURL)/bien-lai/\(payment.receiptNumber)"
    }
}

struct StallFeesDTO: Content {
    var stallId: String
    /// What the stall owes now (open bills less credit); negative when it has paid ahead.
    var balance: Int64
    var credit: Int64
    var bills: [FeeBillDTO]
    var receipts: [FeeReceiptDTO]
}

struct MarketFeeAccountDTO: Content {
    struct Change: Content { var id: String, bin: String, accountNumber: String, holderName: String, status: String, requestedAt: Date }
    var bin: String?
    var accountNumber: String?
    var holderName: String?
    var pending: [Change]
}

struct FeeBillRunDTO: Content {
    struct Skipped: Content { var stall: String, line: String, reason: String }
    var created: Int
    var existing: Int
    var skipped: [Skipped]
}

/// The commune's fee figures for a month: each market the caller may read, and the sum.
struct FeeFiguresDTO: Content {
    struct Market: Content {
        var marketId: String
        var name: String
        var billCount: Int
        var billed: Int64
        var paid: Int64
        var remaining: Int64
        var collected: FeeCollectionDTO
    }
    var period: String
    var markets: [Market]
    var billed: Int64
    var paid: Int64
    var collected: FeeCollectionDTO
}

struct FeeTicketDTO: Content {
    var id: String
    var number: String
    var code: String
    var line: String
    var lineName: String
    var price: Int64
    var status: String
    var method: String?
    var amountReceived: Int64
    /// The VietQR for what is left, while unpaid and the market has a fee account.
    var payload: String?
    var createdAt: Date
    var paidAt: Date?

    init(_ ticket: FeeTicketModel, payload: String?) {
        id = ticket.id?.uuidString ?? ""
        number = ticket.number
        code = ticket.code
        line = ticket.lineCode
        lineName = ticket.lineName
        price = ticket.price
        status = ticket.status
        method = ticket.method
        amountReceived = ticket.amountReceived
        self.payload = payload
        createdAt = ticket.createdAt
        paidAt = ticket.paidAt
    }
}
