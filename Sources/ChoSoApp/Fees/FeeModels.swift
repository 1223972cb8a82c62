import ChoSoCore
import Fluent
import Foundation

/// A version of a market's tariff, set by a decision.
final class FeeTariffModel: Model, @unchecked Sendable {
    static let schema = "fee_tariffs"

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "decision_number") var decisionNumber: String
    @Field(key: "decision_date") var decisionDate: String
    @Field(key: "issuer") var issuer: String
    @Field(key: "effective_from") var effectiveFrom: String
    @OptionalField(key: "effective_to") var effectiveTo: String?
    @Field(key: "lines") var lines: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(marketID: UUID, version: TariffVersion, by user: UUID?, at date: Date) {
        self.marketID = marketID
        decisionNumber = version.decision.number
        decisionDate = version.decision.date.iso
        issuer = version.decision.issuer
        effectiveFrom = version.effectiveFrom.iso
        effectiveTo = version.effectiveTo?.iso
        lines = CommunityJSON.encode(version.lines)
        createdBy = user
        createdAt = date
    }

    var version: TariffVersion? {
        guard let date = Day(iso: decisionDate), let from = Day(iso: effectiveFrom),
              let lines = CommunityJSON.decode([FeeLine].self, lines) else { return nil }
        return TariffVersion(
            decision: FeeDecision(number: decisionNumber, date: date, issuer: issuer), effectiveFrom: from,
            effectiveTo: effectiveTo.flatMap(Day.init(iso:)), lines: lines)
    }
}

/// One bill: a stall, a fee line, a period. Its amounts paid are the ledger's, never stored here.
final class FeeBillModel: Model, @unchecked Sendable {
    static let schema = "fee_bills"

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "stall_id") var stallID: UUID
    @Field(key: "line_code") var lineCode: String
    @Field(key: "line_name") var lineName: String
    @Field(key: "period") var period: String
    @Field(key: "tariff_id") var tariffID: UUID
    @Field(key: "amount_due") var amountDue: Int64
    @Field(key: "basis") var basis: String
    @Field(key: "code") var code: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// An entry of the fees' append-only ledger (`FeeLedger.Entry`).
final class FeeLedgerEntryModel: Model, @unchecked Sendable {
    static let schema = "fee_ledger"

    @ID(key: .id) var id: UUID?
    @Field(key: "market_id") var marketID: UUID
    @Field(key: "stall_id") var stallID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "bill_id") var billID: UUID?
    @OptionalField(key: "payment_id") var paymentID: UUID?
    @Field(key: "amount") var amount: Int64
    @OptionalField(key: "reverses") var reverses: UUID?
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "actor") var actor: UUID?
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}

    init(marketID: UUID, stallID: UUID, kind: FeeLedger.Kind, billID: UUID?, amount: Int64, actor: UUID?, at date: Date) {
        id = UUID()
        self.marketID = marketID
        self.stallID = stallID
        self.kind = kind.rawValue
        self.billID = billID
        self.amount = amount
        self.actor = actor
        recordedAt = date
    }

    var entry: FeeLedger.Entry {
        FeeLedger.Entry(
            id: id?.uuidString ?? "", kind: FeeLedger.Kind(rawValue: kind) ?? .reversal, stallID: stallID.uuidString,
            billID: billID?.uuidString, paymentID: paymentID?.uuidString, amount: amount, reverses: reverses?.uuidString)
    }
}

/// A stall's sub-meter reading for a period (the previous index is the last period's current).
final class MeterReadingModel: Model, @unchecked Sendable {
    static let schema = "meter_readings"

    @ID(key: .id) var id: UUID?
    @Field(key: "stall_id") var stallID: UUID
    @Field(key: "period") var period: String
    @Field(key: "previous_index") var previousIndex: Int64
    @Field(key: "current_index") var currentIndex: Int64
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}
}
