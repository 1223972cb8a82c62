import VietQR

/// What a market board types to register or edit a stall. Every field is raw text as it arrived.
public struct StallInput: Sendable, Hashable {
    public var number: String
    public var name: String
    public var trade: String
    public var keeperName: String
    public var phone: String
    /// The stall's area in m² as typed ("4,5"), and its position class (`front_row`…), for fees;
    /// both may be empty.
    public var area: String
    public var positionClass: String

    public init(number: String, name: String, trade: String = "", keeperName: String, phone: String = "", area: String = "", positionClass: String = "") {
        self.number = number
        self.name = name
        self.trade = trade
        self.keeperName = keeperName
        self.phone = phone
        self.area = area
        self.positionClass = positionClass
    }
}

/// A stall's fields after validation: NFC, trimmed, phone in the national `0xxxxxxxxx` form.
public struct StallFields: Sendable, Hashable {
    public var number: String
    public var name: String
    public var trade: String?
    public var keeperName: String
    public var phone: String?
    public var areaCentiSquareMetres: Int?
    public var positionClass: PositionClass?
}

/// Where a stall is paid: a bank account or a Mobile Money account.
public enum AccountKind: String, Sendable, Codable, CaseIterable {
    case bank
    case mobileMoney = "mobile_money"

    public var label: LocalizedText {
        switch self {
        case .bank: LocalizedText(vi: "Tài khoản ngân hàng", en: "Bank account")
        case .mobileMoney: LocalizedText(vi: "Mobile Money / ví", en: "Mobile Money / wallet")
        }
    }
}

public struct ReceivingAccountInput: Sendable, Hashable {
    public var kind: String
    public var bin: String
    public var accountNumber: String
    public var holderName: String
    public var displayName: String

    public init(kind: String, bin: String, accountNumber: String, holderName: String, displayName: String = "") {
        self.kind = kind
        self.bin = bin
        self.accountNumber = accountNumber
        self.holderName = holderName
        self.displayName = displayName
    }
}

public struct ReceivingAccountFields: Sendable, Hashable {
    public var kind: AccountKind
    public var bank: Bank
    public var accountNumber: String
    /// As the bank writes it on the transfer screen: upper-case ASCII.
    public var holderName: String
    /// As the stall keeper writes their name, with diacritics.
    public var displayName: String?
}
