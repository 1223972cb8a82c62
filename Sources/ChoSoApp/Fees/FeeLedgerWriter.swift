import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// Writes money for a stall's fees into the ledger, inside the caller's transaction: the intake's
/// for a transfer, the board's for cash or an assigned transfer, billing's for credit.
enum FeeLedgerWriter {
    /// A stall's fee bills and what the ledger says of them.
    struct StallState {
        var bills: [FeeBillModel]
        var figures: FeeLedger.Figures
        var lineOrder: [UUID: Int]

        var openBills: [FeeLedger.OpenBill] {
            figures.openBills(bills.compactMap { bill in
                guard let id = bill.id, let period = FeePeriod(bill.period) else { return nil }
                return (id.uuidString, period, lineOrder[id] ?? 0)
            })
        }

        func credit(of stallID: UUID) -> Int64 { figures.credit[stallID.uuidString] ?? 0 }
    }

    static func state(ofStall stallID: UUID, on db: any Database) async throws -> StallState {
        let bills = try await FeeBillModel.query(on: db).filter(\.$stallID == stallID).all()
        let figures = try await figures(ofStall: stallID, bills: bills.compactMap(\.id), on: db)
        var lines: [UUID: [String]] = [:]
        for tariffID in Set(bills.map(\.tariffID)) {
            lines[tariffID] = try await FeeTariffModel.find(tariffID, on: db)?.version?.lines.map(\.code) ?? []
        }
        var order: [UUID: Int] = [:]
        for bill in bills { if let id = bill.id { order[id] = lines[bill.tariffID]?.firstIndex(of: bill.lineCode) ?? 0 } }
        return StallState(bills: bills, figures: figures, lineOrder: order)
    }

    /// What each of a stall's bills is due and paid, and its credit, summed by the database over
    /// the entries no reversal cancelled — the same as `FeeLedger.figures` over all the stall's
    /// entries (the tests compare them), without reading a busy stall's whole ledger for every
    /// payment.
    static func figures(ofStall stallID: UUID, bills: [UUID], on db: any Database) async throws -> FeeLedger.Figures {
        guard let sql = db as? any SQLDatabase else {
            return FeeLedger.figures(try await FeeLedgerEntryModel.query(on: db).filter(\.$stallID == stallID).all().map(\.entry))
        }
        let reversed = SQLSubquery.select { query in
            query.column("reverses").from(FeeLedgerEntryModel.schema).where("stall_id", .equal, stallID).where("reverses", .isNot, SQLLiteral.null)
        }
        let rows = try await sql.select()
            .column("kind").column("bill_id")
            .column(SQLAlias(SQLRaw("CAST(SUM(amount) AS BIGINT)"), as: SQLIdentifier("total")))
            .from(FeeLedgerEntryModel.schema)
            .where("stall_id", .equal, stallID)
            .where("kind", .in, [FeeLedger.Kind.charge.rawValue, FeeLedger.Kind.allocation.rawValue, FeeLedger.Kind.credit.rawValue])
            .where(SQLColumn("id"), .notIn, reversed)
            .groupBy("kind").groupBy("bill_id")
            .all()
        var figures = FeeLedger.Figures()
        // A bill whose only charge was reversed is cancelled.
        for bill in bills { figures.bills[bill.uuidString] = FeeLedger.BillFigures(isCancelled: true) }
        for row in rows {
            let total = try row.decode(column: "total", as: Int64?.self) ?? 0
            let bill = try row.decode(column: "bill_id", as: UUID?.self)?.uuidString
            switch try row.decode(column: "kind", as: String.self) {
            case FeeLedger.Kind.charge.rawValue:
                guard let bill else { continue }
                figures.bills[bill, default: FeeLedger.BillFigures()].amountDue += total
                figures.bills[bill]?.isCancelled = false
            case FeeLedger.Kind.allocation.rawValue:
                guard let bill else { continue }
                figures.bills[bill, default: FeeLedger.BillFigures(isCancelled: true)].amountPaid += total
            default:
                figures.credit[stallID.uuidString, default: 0] += total
            }
        }
        return figures
    }

    struct PaymentInput {
        var marketID: UUID
        var stallID: UUID
        var amount: Int64
        var method: FeePaymentModel.Method
        var transferID: UUID? = nil
        var requestKey: String? = nil
        var payer: String? = nil
        var note: String? = nil
        var actor: UUID?
        var paidAt: Date
    }

    /// The payment with a fresh receipt number, allocated oldest bill first, the rest as credit.
    static func pay(_ input: PaymentInput, on db: any Database) async throws -> FeePaymentModel {
        let payment = FeePaymentModel()
        payment.id = UUID()
        payment.marketID = input.marketID
        payment.stallID = input.stallID
        payment.amount = input.amount
        payment.method = input.method.rawValue
        payment.transferID = input.transferID
        payment.requestKey = input.requestKey
        payment.payer = input.payer
        payment.note = input.note
        payment.recordedBy = input.actor
        payment.paidAt = input.paidAt
        payment.receiptNumber = try await freshReceiptNumber(on: db)
        try await payment.create(on: db)
        let state = try await state(ofStall: input.stallID, on: db)
        try await write(FeePosting.payment(input.amount, openBills: state.openBills), payment: payment.id,
                        market: input.marketID, stall: input.stallID, actor: input.actor, at: input.paidAt, on: db)
        return payment
    }

    /// A stall's credit spent on its open bills (after new bills are issued).
    static func spendCredit(stallID: UUID, marketID: UUID, actor: UUID?, at date: Date, on db: any Database) async throws {
        let state = try await state(ofStall: stallID, on: db)
        try await write(FeePosting.creditUse(state.credit(of: stallID), openBills: state.openBills), payment: nil,
                        market: marketID, stall: stallID, actor: actor, at: date, on: db)
    }

    private static func write(
        _ entries: [FeePosting.NewEntry], payment: UUID?, market: UUID, stall: UUID, actor: UUID?, at date: Date, on db: any Database
    ) async throws {
        let rows = rows(entries, payment: payment, market: market, stall: stall, actor: actor, at: date)
        if !rows.isEmpty { try await rows.create(on: db) }
    }

    static func rows(_ entries: [FeePosting.NewEntry], payment: UUID?, market: UUID, stall: UUID, actor: UUID?, at date: Date) -> [FeeLedgerEntryModel] {
        entries.map { entry in
            let row = FeeLedgerEntryModel(
                marketID: market, stallID: stall, kind: entry.kind, billID: entry.billID.flatMap(UUID.init(uuidString:)),
                amount: entry.amount, actor: actor, at: date)
            row.paymentID = entry.fromPayment ? payment : nil
            return row
        }
    }

    /// What the open bills still expect once these entries are written.
    static func remaining(_ bills: [FeeLedger.OpenBill], after entries: [FeePosting.NewEntry]) -> [FeeLedger.OpenBill] {
        var placed: [String: Int64] = [:]
        for entry in entries where entry.kind == .allocation { if let bill = entry.billID { placed[bill, default: 0] += entry.amount } }
        return bills.compactMap { bill in
            var bill = bill
            bill.remaining -= placed[bill.id] ?? 0
            return bill.remaining > 0 ? bill : nil
        }
    }

    /// Reversal entries, with the reason and who, for each of the payment's entries not yet
    /// reversed; false when nothing was left to reverse.
    static func reverse(payment: UUID, reason: String, actor: UUID?, at date: Date, on db: any Database) async throws -> Bool {
        let entries = try await FeeLedgerEntryModel.query(on: db).filter(\.$paymentID == payment).all()
        let reversed = Set(entries.compactMap(\.reverses))
        let open = entries.filter { $0.kind != FeeLedger.Kind.reversal.rawValue && !reversed.contains($0.id ?? UUID()) }
        for entry in open {
            let reversal = FeeLedgerEntryModel(marketID: entry.marketID, stallID: entry.stallID, kind: .reversal, billID: entry.billID,
                                               amount: -entry.amount, actor: actor, at: date)
            reversal.paymentID = payment
            reversal.reverses = entry.id
            reversal.reason = reason
            try await reversal.create(on: db)
        }
        return !open.isEmpty
    }

    /// The ledger checked against every bill and payment (`choso report verify`), and every fee
    /// transfer against its payment.
    static func audit(on db: any Database) async throws -> [String] {
        let entries = try await FeeLedgerEntryModel.query(on: db).all().map(\.entry)
        let bills = Dictionary(try await FeeBillModel.query(on: db).all().map { ($0.id?.uuidString ?? "", $0.amountDue) }, uniquingKeysWith: { first, _ in first })
        let paymentRows = try await FeePaymentModel.query(on: db).all()
        let payments = Dictionary(paymentRows.map { ($0.id?.uuidString ?? "", $0.amount) }, uniquingKeysWith: { first, _ in first })
        var problems = FeeLedger.audit(entries, bills: bills, payments: payments)
        let paidTransfers = Set(paymentRows.compactMap(\.transferID))
        // A daily ticket's transfers carry its code (a ticket may take two, when the first was short).
        let ticketCodes = Set(try await FeeTicketModel.query(on: db).all().map(\.code))
        for transfer in try await TransferModel.query(on: db).filter(\.$status == TransferStatus.fee.rawValue).all()
        where !paidTransfers.contains(transfer.id ?? UUID()) && ticketCodes.isDisjoint(with: FeeCode.find(in: transfer.description)) {
            problems.append("giao dịch phí chợ \(transfer.id?.uuidString ?? "") không có khoản thu / fee transfer without a payment")
        }
        return problems
    }

    static func freshReceiptNumber(on db: any Database) async throws -> String {
        try await freshReceiptNumbers(1, on: db)[0]
    }

    /// Receipt numbers no payment or ticket has, checked in one query.
    static func freshReceiptNumbers(_ count: Int, on db: any Database) async throws -> [String] {
        var numbers = Set<String>()
        while numbers.count < count {
            var batch = Set<String>()
            while batch.count < count - numbers.count { batch.insert(FeeReceipt.generate()) }
            batch.subtract(numbers)
            var taken = Set<String>()
            for chunk in Array(batch).chunked(by: 1_000) {
                taken.formUnion(try await FeePaymentModel.query(on: db).filter(\.$receiptNumber ~~ Array(chunk)).all().map(\.receiptNumber))
                taken.formUnion(try await FeeTicketModel.query(on: db).filter(\.$number ~~ Array(chunk)).all().map(\.number))
            }
            numbers.formUnion(batch.subtracting(taken))
        }
        return Array(numbers)
    }
}
