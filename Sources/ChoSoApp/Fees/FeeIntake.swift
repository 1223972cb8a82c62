import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// What the intake needs to recognise fee payments in a batch of transfers: the markets'
/// collection accounts and the bills whose codes the transfers mention (issue 15).
struct FeeIntake: Sendable {
    var accounts: [String: [CollectionAccount]] = [:]
    var bills: [String: [FeeBillRef]] = [:]
    /// Transfers recognised as fee payments, to post once their rows are stored.
    private(set) var postings: [(transferID: UUID, marketID: UUID, bill: FeeBillRef, transfer: IncomingTransfer, paidAt: Date)] = []

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
        return context
    }

    /// Nil when the transfer is not to the market's collection account.
    mutating func match(_ transfer: IncomingTransfer, marketID: UUID, transferID: UUID, paidAt: Date) -> MatchDecision? {
        let market = marketID.uuidString
        guard let accounts = accounts[market],
              let decision = FeeMatcher.match(transfer, accounts: accounts, bills: bills[market] ?? []) else { return nil }
        if let bill = decision.bill { postings.append((transferID, marketID, bill, transfer, paidAt)) }
        return decision.match
    }

    /// Each fee transfer becomes the stall's payment, with a receipt, allocated oldest bill first.
    func post(on db: any Database) async throws {
        for posting in postings {
            guard let stallID = UUID(uuidString: posting.bill.stallID) else { continue }
            _ = try await FeeLedgerWriter.pay(.init(
                marketID: posting.marketID, stallID: stallID, amount: posting.transfer.amount, method: .transfer,
                transferID: posting.transferID, payer: posting.transfer.counterAccountName?.precomposedStringWithCanonicalMapping,
                note: posting.bill.code, actor: nil, paidAt: posting.paidAt), on: db)
        }
    }
}
