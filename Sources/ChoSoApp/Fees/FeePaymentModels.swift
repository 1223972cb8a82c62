import ChoSoCore
import Fluent
import Foundation

/// The account a market collects its fees on.
final class MarketAccountModel: Model, @unchecked Sendable {
    static let schema = "market_accounts"

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "bin") var bin: String
    @Field(key: "account_number") var accountNumber: String
    @Field(key: "holder_name") var holderName: String
    @OptionalField(key: "active_market") var activeMarket: UUID?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?

    init() {}
}

/// A requested change of the collection account, waiting for a second board member.
final class MarketAccountChangeModel: Model, @unchecked Sendable {
    static let schema = "market_account_changes"

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "bin") var bin: String
    @Field(key: "account_number") var accountNumber: String
    @Field(key: "holder_name") var holderName: String
    @Field(key: "requested_by") var requestedBy: UUID
    @Field(key: "requested_at") var requestedAt: Date
    @Field(key: "status") var status: String
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}

/// Money received for a stall's fees, by transfer or in cash, with its receipt number.
final class FeePaymentModel: Model, @unchecked Sendable {
    static let schema = "fee_payments"

    enum Method: String { case transfer, cash }

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "stall_id") var stallID: UUID
    @Field(key: "amount") var amount: Int64
    @Field(key: "method") var method: String
    @OptionalField(key: "transfer_id") var transferID: UUID?
    @Field(key: "receipt_number") var receiptNumber: String
    @OptionalField(key: "request_key") var requestKey: String?
    @OptionalField(key: "payer") var payer: String?
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @Field(key: "paid_at") var paidAt: Date

    init() {}

    var isCash: Bool { method == Method.cash.rawValue }
}

/// A daily ticket: pending until its transfer arrives (or paid in cash at once).
final class FeeTicketModel: Model, @unchecked Sendable {
    static let schema = "fee_tickets"

    enum Status: String { case pending, paid }

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "line_code") var lineCode: String
    @Field(key: "line_name") var lineName: String
    @Field(key: "price") var price: Int64
    @Field(key: "code") var code: String
    @Field(key: "number") var number: String
    @Field(key: "status") var status: String
    @OptionalField(key: "method") var method: String?
    @Field(key: "amount_received") var amountReceived: Int64
    @OptionalField(key: "transfer_id") var transferID: UUID?
    @OptionalField(key: "request_key") var requestKey: String?
    @OptionalField(key: "sold_by") var soldBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "paid_at") var paidAt: Date?

    init() {}

    var isPaid: Bool { status == Status.paid.rawValue }
}
