import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// What the intake needs to recognise fee payments in a batch of transfers: the markets'
/// collection accounts and the bills whose codes the transfers mention (issue 15).
struct FeeIntake: Sendable {
    var accounts: [String: [CollectionAccount]] = [:]
    var bills: [String: [FeeBillRef]] = [:]
    /// Daily tickets by market and code.
    var tickets: [String: [String: (id: UUID, number: String, price: Int64, received: Int64, isPaid: Bool)]] = [:]
    /// Transfers recognised as fee payments, to post once their rows are stored.
    private(set) var postings: [(transferID: UUID, marketID: UUID, bill: FeeBillRef, transfer: IncomingTransfer, paidAt: Date)] = []
    private(set) var ticketPayments: [(transferID: UUID, ticket: UUID, amount: Int64, paidAt: Date)] = []

    static func load(for transfers: [IncomingTransfer], on db: any Database) async throws -> FeeIntake {
        var context = FeeIntake()
        let numbers = Set(transfers.map(\.accountNumber))
        guard !numbers.isEmpty else { return context }
        for chunk in Array(numbers).chunked(by: 1_000) {
            for account in try await MarketAccountModel.query(on: db).filter(\.$accountNumber ~~ Array(chunk)).filter(\.$activeMarket != nil).all() {
                context.accounts[account.marketID.uuidString, default: []].append(
                    CollectionAccount(marketID: account.marketID.uuidString, bin: account.bin, accountNumber: account.accountNumber))
            }
        }
        guard !context.accounts.isEmpty, let sql = db as? any SQLDatabase else { return context }
        let codes = Set(transfers.flatMap { FeeCode.find(in: $0.description) })
        for chunk in Array(codes).chunked(by: 1_000) {
            let rows = try await sql.select()
                .column(SQLColumn("id", table: "fee_bills")).column(SQLColumn("market_id", table: "fee_bills"))
                .column(SQLColumn("stall_id", table: "fee_bills")).column(SQLColumn("code", table: "fee_bills"))
                .column(SQLColumn("number", table: "stalls"))
                .from("fee_bills")
                .join("stalls", on: SQLColumn("id", table: "stalls"), .equal, SQLColumn("stall_id", table: "fee_bills"))
                .where(SQLColumn("code", table: "fee_bills"), .in, SQLBind.group(Array(chunk)))
                .all()
            for row in rows {
                let market = try row.decode(column: "market_id", as: UUID.self).uuidString
                context.bills[market, default: []].append(FeeBillRef(
                    id: try row.decode(column: "id", as: UUID.self).uuidString, stallID: try row.decode(column: "stall_id", as: UUID.self).uuidString,
                    stallNumber: try row.decode(column: "number", as: String.self), code: try row.decode(column: "code", as: String.self)))
            }
        }
        for chunk in Array(codes).chunked(by: 1_000) {
            for ticket in try await FeeTicketModel.query(on: db).filter(\.$code ~~ Array(chunk)).all() {
                guard let id = ticket.id else { continue }
                context.tickets[ticket.marketID.uuidString, default: [:]][ticket.code] = (id, ticket.number, ticket.price, ticket.amountReceived, ticket.isPaid)
            }
        }
        return context
    }

    /// Nil when the transfer is not to the market's collection account.
    mutating func match(_ transfer: IncomingTransfer, marketID: UUID, transferID: UUID, paidAt: Date) -> MatchDecision? {
        let market = marketID.uuidString
        guard let accounts = accounts[market],
              let decision = FeeMatcher.match(transfer, accounts: accounts, bills: bills[market] ?? []) else { return nil }
        if let bill = decision.bill { postings.append((transferID, marketID, bill, transfer, paidAt)) }
        // A daily ticket's code: the ticket is paid; a ticket paid already is the board's to refund.
        let marketTickets = tickets[market] ?? [:]
        if decision.bill == nil, transfer.direction == .incoming,
           let (code, ticket) = FeeCode.find(in: transfer.description).lazy.compactMap({ code in marketTickets[code].map { (code, $0) } }).first {
            guard !ticket.isPaid else {
                return MatchDecision(status: .unmatched, stallID: nil, requestID: nil, difference: transfer.amount, reason: LocalizedText(
                    vi: "Vé chợ \(ticket.number) (\(code)) đã trả trước đó: cần hoàn lại", en: "Daily ticket \(ticket.number) (\(code)) was already paid: refund it"))
            }
            let received = ticket.received + transfer.amount
            tickets[market]?[code]?.received = received
            tickets[market]?[code]?.isPaid = received >= ticket.price
            ticketPayments.append((transferID, ticket.id, transfer.amount, paidAt))
            let short = ticket.price - received
            return MatchDecision(status: .fee, stallID: nil, requestID: nil, difference: short > 0 ? short : nil, reason: short > 0
                ? LocalizedText(vi: "Vé chợ \(ticket.number) (\(code)): chuyển thiếu \(Money(dong: short).formatted)",
                                en: "Daily ticket \(ticket.number) (\(code)): \(Money(dong: short).formatted) short")
                : LocalizedText(vi: "Vé chợ \(ticket.number) (\(code))", en: "Daily ticket \(ticket.number) (\(code))"))
        }
        return decision.match
    }

    /// Each fee transfer becomes the stall's payment, with a receipt, allocated oldest bill first;
    /// a ticket's transfer marks the ticket paid.
    func post(on db: any Database) async throws {
        for payment in ticketPayments {
            guard let ticket = try await FeeTicketModel.find(payment.ticket, on: db), !ticket.isPaid else { continue }
            ticket.amountReceived += payment.amount
            ticket.transferID = payment.transferID
            if ticket.amountReceived >= ticket.price {
                ticket.status = FeeTicketModel.Status.paid.rawValue
                ticket.method = FeePaymentModel.Method.transfer.rawValue
                ticket.paidAt = payment.paidAt
            }
            try await ticket.save(on: db)
        }
        guard !postings.isEmpty else { return }
        // One read of each stall's bills and ledger per batch, the stall's payments placed in
        // arrival order in memory, and the rows written a few hundred per statement.
        var numbers = try await FeeLedgerWriter.freshReceiptNumbers(postings.count, on: db)
        var payments: [FeePaymentModel] = []
        var entries: [FeeLedgerEntryModel] = []
        var open: [UUID: [FeeLedger.OpenBill]] = [:]
        for posting in postings {
            guard let stallID = UUID(uuidString: posting.bill.stallID) else { continue }
            if open[stallID] == nil { open[stallID] = try await FeeLedgerWriter.state(ofStall: stallID, on: db).openBills }
            let payment = FeePaymentModel()
            payment.id = UUID()
            payment.marketID = posting.marketID
            payment.stallID = stallID
            payment.amount = posting.transfer.amount
            payment.method = FeePaymentModel.Method.transfer.rawValue
            payment.transferID = posting.transferID
            payment.payer = posting.transfer.counterAccountName?.precomposedStringWithCanonicalMapping
            payment.note = posting.bill.code
            payment.paidAt = posting.paidAt
            payment.receiptNumber = numbers.removeLast()
            payments.append(payment)
            let posted = FeePosting.payment(posting.transfer.amount, openBills: open[stallID] ?? [])
            open[stallID] = FeeLedgerWriter.remaining(open[stallID] ?? [], after: posted)
            entries += FeeLedgerWriter.rows(posted, payment: payment.id, market: posting.marketID, stall: stallID, actor: nil, at: posting.paidAt)
        }
        for chunk in payments.chunked(by: 200) { try await Array(chunk).create(on: db) }
        for chunk in entries.chunked(by: 200) { try await Array(chunk).create(on: db) }
    }
}
