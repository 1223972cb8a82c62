/// What a VietQR transfer code should say.
public struct VietQRRequest: Hashable, Sendable {
    public var bin: String
    /// Account number, or card number with `.toCard`.
    public var account: String
    public var service: TransferService
    /// Whole đồng, > 0; nil for a code the payer fills in.
    public var amount: Int64?
    /// Transfer content; cleaned by `TransferContent.sanitize`, `paymentCode` first.
    public var purpose: String?
    public var paymentCode: String?
    public var merchantName: String?
    public var merchantCity: String?
    /// Defaults to dynamic with an amount, static without.
    public var initiation: QRInitiation?

    public init(
        bin: String, account: String, service: TransferService = .toAccount, amount: Int64? = nil,
        purpose: String? = nil, paymentCode: String? = nil, merchantName: String? = nil, merchantCity: String? = nil,
        initiation: QRInitiation? = nil
    ) {
        self.bin = bin
        self.account = account
        self.service = service
        self.amount = amount
        self.purpose = purpose
        self.paymentCode = paymentCode
        self.merchantName = merchantName
        self.merchantCity = merchantCity
        self.initiation = initiation
    }
}

/// Builds VietQR payloads that the strict parser accepts, always: every field is checked or
/// cleaned here first (the property tests hold it to that).
public enum VietQRBuilder {
    public static let maxAmount: Int64 = 9_999_999_999_999

    public static func build(_ request: VietQRRequest) throws(QRDecodeError) -> String {
        guard VietQRRules.isWellFormedBIN(request.bin) else {
            throw QRDecodeError(.badBIN, "Mã ngân hàng (BIN) phải gồm 6 chữ số", en: "The bank BIN must be 6 digits")
        }
        let accountValid = request.service == .toCard
            ? (1...19).contains(request.account.count) && request.account.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
            : VietQRRules.isValidAccountID(request.account)
        guard accountValid else {
            throw request.service == .toCard
                ? QRDecodeError(.badAccount, "Số thẻ chỉ gồm chữ số, tối đa 19", en: "A card number has at most 19 digits")
                : QRDecodeError(.badAccount, "Số tài khoản chỉ gồm chữ và số, tối đa 19 ký tự", en: "The account has 1–19 letters or digits")
        }
        if let amount = request.amount, !(1...maxAmount).contains(amount) {
            throw QRDecodeError(.badAmount, "Số tiền phải lớn hơn 0 và tối đa 13 chữ số", en: "The amount must be above 0 and at most 13 digits")
        }
        let beneficiary = EMVField.encode(id: "00", value: request.bin) + EMVField.encode(id: "01", value: request.account)
        let napas = EMVField.encode(id: "00", value: VietQRParser.napasGUID)
            + EMVField.encode(id: "01", value: beneficiary)
            + EMVField.encode(id: "02", value: request.service.rawValue)
        let initiation = request.initiation ?? (request.amount == nil ? .static : .dynamic)

        var payload = EMVField.encode(id: "00", value: "01")
        payload += EMVField.encode(id: "01", value: initiation == .static ? "11" : "12")
        payload += EMVField.encode(id: "38", value: napas)
        payload += EMVField.encode(id: "53", value: "704")
        if let amount = request.amount { payload += EMVField.encode(id: "54", value: String(amount)) }
        payload += EMVField.encode(id: "58", value: "VN")
        if let name = request.merchantName.map({ TransferContent.sanitizeName($0, maxLength: 25) }), !name.isEmpty {
            payload += EMVField.encode(id: "59", value: name)
        }
        if let city = request.merchantCity.map({ TransferContent.sanitizeName($0, maxLength: 15) }), !city.isEmpty {
            payload += EMVField.encode(id: "60", value: city)
        }
        let purpose = TransferContent.sanitize(request.purpose ?? "", code: request.paymentCode)
        if !purpose.isEmpty {
            payload += EMVField.encode(id: "62", value: EMVField.encode(id: "08", value: String(purpose.prefix(25))))
        }
        payload += "6304"
        return payload + CRC16.hex(payload)
    }
}
