import ChoSoCore
import Fluent
import Foundation

final class MarketModel: Model, @unchecked Sendable {
    static let schema = "markets"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// `market` or `street` (a cashless street of shops).
    @Field(key: "kind") var kind: String
    @Field(key: "unit_id") var unitID: String
    @Field(key: "address") var address: String
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "entry_ceiling") var entryCeiling: Int64?
    @OptionalField(key: "entry_warn_above") var entryWarnAbove: Int64?

    /// What one entry at this market may be: the board's bounds, or ChoSo's defaults.
    var entryLimits: AmountLimits {
        AmountLimits(
            ceiling: entryCeiling.map(Money.init(dong:)) ?? AmountLimits.standard.ceiling,
            warnAbove: entryWarnAbove.map(Money.init(dong:)) ?? AmountLimits.standard.warnAbove)
    }

    init() {}

    init(id: UUID? = nil, name: String, kind: MarketKind, unitID: String, address: String) {
        self.id = id
        self.name = name
        self.kind = kind.rawValue
        self.unitID = unitID
        self.address = address
        self.isActive = true
    }
}

final class StallModel: Model, @unchecked Sendable {
    static let schema = "stalls"

    @ID(key: .id) var id: UUID?
    @Parent(key: "market_id") var market: MarketModel
    @Field(key: "number") var number: String
    @Field(key: "name") var name: String
    @OptionalField(key: "trade") var trade: String?
    @Field(key: "keeper_name") var keeperName: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "is_active") var isActive: Bool
    /// How long this stall's payment requests stay open.
    @Field(key: "request_expiry_minutes") var requestExpiryMinutes: Int
    /// For the rent per m² (issue 15): hundredths of a m², and where the stall stands.
    @OptionalField(key: "area_centi_m2") var areaCentiSquareMetres: Int?
    @OptionalField(key: "position_class") var positionClass: String?
    /// How the stall's announcements read numbers; nil: lẻ, ngàn, tư.
    @OptionalField(key: "speech_zero_tens") var speechZeroTens: String?
    @OptionalField(key: "speech_thousand") var speechThousand: String?
    @OptionalField(key: "speech_four") var speechFour: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Children(for: \.$stall) var accounts: [ReceivingAccountModel]

    init() {}

    init(id: UUID? = nil, marketID: UUID, fields: StallFields) {
        self.id = id
        self.$market.id = marketID
        self.isActive = true
        self.requestExpiryMinutes = 15
        apply(fields)
    }

    func apply(_ fields: StallFields) {
        number = fields.number
        name = fields.name
        trade = fields.trade
        keeperName = fields.keeperName
        phone = fields.phone
        areaCentiSquareMetres = fields.areaCentiSquareMetres
        positionClass = fields.positionClass?.rawValue
    }
}

/// Where a stall is paid. Never deleted: a replaced or closed account stays as history, because a
/// transfer or a printed QR from last month must still be explained.
final class ReceivingAccountModel: Model, @unchecked Sendable {
    static let schema = "receiving_accounts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "stall_id") var stall: StallModel
    @Field(key: "kind") var kind: String
    @Field(key: "bin") var bin: String
    @Field(key: "account_number") var accountNumber: String
    @Field(key: "holder_name") var holderName: String
    @OptionalField(key: "display_name") var displayName: String?
    /// Equal to `kind` while the account is active and NULL after: a unique (stall, active_kind)
    /// index then allows one active account per kind, portably on SQLite and PostgreSQL.
    @OptionalField(key: "active_kind") var activeKind: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?

    init() {}

    init(id: UUID? = nil, stallID: UUID, fields: ReceivingAccountFields) {
        self.id = id
        self.$stall.id = stallID
        self.kind = fields.kind.rawValue
        self.bin = fields.bank.bin
        self.accountNumber = fields.accountNumber
        self.holderName = fields.holderName
        self.displayName = fields.displayName
        self.activeKind = fields.kind.rawValue
    }

    var isActive: Bool { activeKind != nil }
}

public enum MarketKind: String, Sendable, Codable, CaseIterable {
    case market
    case street
    /// A commune's OCOP producers taking payments for their products (issue 16): each producer's
    /// shop is a stall, so its receiving account, live screen and announcements are a stall's.
    case ocopShop = "ocop_shop"
}

extension StallModel {
    /// The stall keeper's choice of lẻ/linh, ngàn/nghìn, tư/bốn.
    var reading: AmountReading {
        AmountReading(
            zeroTens: speechZeroTens.flatMap(AmountReading.ZeroTens.init(rawValue:)) ?? .le,
            thousand: speechThousand.flatMap(AmountReading.Thousand.init(rawValue:)) ?? .ngan,
            four: speechFour.flatMap(AmountReading.Four.init(rawValue:)) ?? .tu)
    }
}
