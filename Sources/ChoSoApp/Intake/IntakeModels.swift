import ChoSoCore
import Fluent
import FluentSQL
import Foundation

/// Where a notification service delivers a market's transfers, and the secret that proves it.
final class WebhookConnectionModel: Model, @unchecked Sendable {
    static let schema = "webhook_connections"

    @ID(key: .id) var id: UUID?
    @Parent(key: "market_id") var market: MarketModel
    @Field(key: "provider") var provider: String
    @Field(key: "auth") var auth: String
    /// SHA-256 of keys that are only compared.
    @OptionalField(key: "secret_hash") var secretHash: String?
    /// AES-GCM sealed secrets that ChoSo needs back to compute an HMAC.
    @OptionalField(key: "secret_sealed") var secretSealed: String?
    /// The last four characters, so a person can tell which key is set.
    @Field(key: "secret_hint") var secretHint: String
    @OptionalField(key: "label") var label: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "rotated_at") var rotatedAt: Date?
    @OptionalField(key: "deleted_at") var deletedAt: Date?

    init() {}

    var kind: WebhookConnectionKind? { WebhookConnectionKind(provider: provider, auth: auth) }
}

/// The raw body of an accepted delivery, kept as it came for audits and disputes.
final class WebhookDeliveryModel: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"

    @ID(key: .id) var id: UUID?
    @Field(key: "connection_id") var connectionID: UUID
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "raw_body") var rawBody: String

    init() {}

    init(id: UUID, connectionID: UUID, receivedAt: Date, rawBody: String) {
        self.id = id
        self.connectionID = connectionID
        self.receivedAt = receivedAt
        self.rawBody = rawBody
    }
}

/// One real transfer, stored once, with what the matcher (or a person) decided about it.
final class TransferModel: Model, @unchecked Sendable {
    static let schema = "transfers"

    @ID(key: .id) var id: UUID?
    @Field(key: "idempotency_key") var idempotencyKey: String
    /// webhook or statement
    @Field(key: "source") var source: String
    @Field(key: "market_id") var marketID: UUID
    @OptionalField(key: "connection_id") var connectionID: UUID?
    @OptionalField(key: "delivery_id") var deliveryID: UUID?
    @Field(key: "provider") var provider: String
    @Field(key: "provider_transaction_id") var providerTransactionID: String
    @Field(key: "account_number") var accountNumber: String
    @OptionalField(key: "bin") var bin: String?
    @Field(key: "amount") var amount: Int64
    @Field(key: "direction") var direction: String
    @Field(key: "description") var description: String
    @OptionalField(key: "reference") var reference: String?
    @OptionalField(key: "counter_account_name") var counterAccountName: String?
    @OptionalField(key: "counter_account_number") var counterAccountNumber: String?
    @OptionalField(key: "bank_time") var bankTime: Date?
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "business_day") var businessDay: String
    @OptionalField(key: "stall_id") var stallID: UUID?
    @OptionalField(key: "payment_request_id") var paymentRequestID: UUID?
    @Field(key: "status") var status: String
    @OptionalField(key: "difference") var difference: Int64?
    @Field(key: "reason_vi") var reasonVi: String
    @Field(key: "reason_en") var reasonEn: String
    @OptionalField(key: "resolution") var resolution: String?
    @OptionalField(key: "resolution_note") var resolutionNote: String?

    init() {}

    func apply(_ decision: MatchDecision) {
        stallID = decision.stallID.flatMap(UUID.init(uuidString:))
        paymentRequestID = decision.requestID.flatMap(UUID.init(uuidString:))
        status = decision.status.rawValue
        difference = decision.difference
        reasonVi = decision.reason.vi
        reasonEn = decision.reason.en
    }

    var reason: LocalizedText { LocalizedText(vi: reasonVi, en: reasonEn) }

    /// The bank's time of the transfer when it gave one, else when ChoSo received it: what its
    /// business day and hour are counted by.
    var effectiveTime: Date { bankTime ?? receivedAt }

    /// The transfer as the matcher sees it.
    var incoming: IncomingTransfer {
        IncomingTransfer(
            provider: provider, providerTransactionID: providerTransactionID, accountNumber: accountNumber, bin: bin, amount: amount,
            direction: direction == "out" ? .outgoing : .incoming, description: description, reference: reference,
            counterAccountName: counterAccountName, counterAccountNumber: counterAccountNumber, bankTime: bankTime)
    }
}

/// A new transfer as the intake writes it: plain values, inserted many rows per statement.
struct TransferRow: Sendable {
    var id: UUID
    var key: String
    var source: String
    var marketID: UUID
    var connectionID: UUID?
    var deliveryID: UUID?
    var transfer: IncomingTransfer
    var receivedAt: Date
    var businessDay: String
    var decision: MatchDecision

    var stallID: UUID? { decision.stallID.flatMap(UUID.init(uuidString:)) }
    var requestID: UUID? { decision.requestID.flatMap(UUID.init(uuidString:)) }

    static let columns = [
        "id", "idempotency_key", "source", "market_id", "connection_id", "delivery_id", "provider", "provider_transaction_id",
        "account_number", "bin", "amount", "direction", "description", "reference", "counter_account_name", "counter_account_number",
        "bank_time", "received_at", "business_day", "stall_id", "payment_request_id", "status", "difference", "reason_vi", "reason_en",
    ]

    static let batch = BatchInsert(table: TransferModel.schema, columns: columns)

    var values: [any Encodable & Sendable] {
        [
            id, key, source, marketID, connectionID, deliveryID, transfer.provider, transfer.providerTransactionID,
            transfer.accountNumber, transfer.bin, transfer.amount, transfer.direction.rawValue,
            transfer.description.precomposedStringWithCanonicalMapping, transfer.reference,
            transfer.counterAccountName?.precomposedStringWithCanonicalMapping, transfer.counterAccountNumber,
            transfer.bankTime, receivedAt, businessDay, stallID, requestID, decision.status.rawValue, decision.difference,
            decision.reason.vi, decision.reason.en,
        ]
    }

    static func insert(_ rows: [TransferRow], on sql: any SQLDatabase) async throws {
        // Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
        for chunk in rows.chunked(by: 500) {
            try await batch.run(chunk.map(\.values), on: sql)
        }
    }
}
