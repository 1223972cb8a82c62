import ChoSoCore
import Fluent
import Foundation

/// A receipt as its public page shows it (`/bien-lai/{number}`): enough for a stall keeper to
/// prove a fee was paid, nothing more (no names, phones or accounts).
struct FeeReceiptLookup {
    var database: any Database
    var timeZone: TimeZone

    struct Receipt: Sendable {
        var payment: FeePaymentModel
        var marketName: String
        var stallNumber: String
        /// "Tiền thuê quầy 12/2026: 225.000 đ" for each bill the payment went to.
        var paidTowards: [(line: String, period: String, amount: Int64)]
        var credit: Int64
        var reversed: Bool
    }

    /// Nil for a number that is not a receipt's (a mistyped check character is caught before any lookup).
    func find(_ raw: String) async throws -> Receipt? {
        guard let number = FeeReceipt.normalized(raw) else { return nil }
        guard let payment = try await FeePaymentModel.query(on: database).filter(\.$receiptNumber == number).first(),
              let paymentID = payment.id else { return try await ticket(number) }
        let market = try await MarketModel.find(payment.marketID, on: database)
        let stall = try await StallModel.find(payment.stallID, on: database)
        let entries = try await FeeLedgerEntryModel.query(on: database).filter(\.$paymentID == paymentID).all()
        let reversed = entries.contains { $0.kind == FeeLedger.Kind.reversal.rawValue }
        let allocations = entries.filter { $0.kind == FeeLedger.Kind.allocation.rawValue }
        let bills = try await FeeBillModel.query(on: database).filter(\.$id ~~ allocations.compactMap(\.billID)).all()
        let towards = allocations.compactMap { entry -> (String, String, Int64)? in
            guard let bill = bills.first(where: { $0.id == entry.billID }) else { return nil }
            return (bill.lineName, FeePeriod(bill.period)?.vietnamese ?? bill.period, entry.amount)
        }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        let credit = entries.filter { $0.kind == FeeLedger.Kind.credit.rawValue }.reduce(0) { $0 + $1.amount }
        return Receipt(payment: payment, marketName: market?.name ?? "", stallNumber: stall?.number ?? "",
                       paidTowards: towards, credit: credit, reversed: reversed)
    }

    /// A daily ticket, once paid, is confirmed like a receipt (no stall; its type instead).
    private func ticket(_ number: String) async throws -> Receipt? {
        guard let ticket = try await FeeTicketModel.query(on: database).filter(\.$number == number).first(), ticket.isPaid else { return nil }
        let payment = FeePaymentModel()
        payment.id = ticket.id
        payment.marketID = ticket.marketID
        payment.amount = ticket.amountReceived
        payment.method = ticket.method ?? FeePaymentModel.Method.cash.rawValue
        payment.receiptNumber = ticket.number
        payment.paidAt = ticket.paidAt ?? ticket.createdAt
        let market = try await MarketModel.find(ticket.marketID, on: database)
        return Receipt(payment: payment, marketName: market?.name ?? "", stallNumber: "—", paidTowards: [(ticket.lineName, Day(payment.paidAt, in: timeZone).vietnamese, ticket.amountReceived)],
                       credit: 0, reversed: false)
    }
}
