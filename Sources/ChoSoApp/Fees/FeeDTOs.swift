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
}

struct FeeBillRunDTO: Content {
    struct Skipped: Content { var stall: String, line: String, reason: String }
    var created: Int
    var existing: Int
    var skipped: [Skipped]
}
