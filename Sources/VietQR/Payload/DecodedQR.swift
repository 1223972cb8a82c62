/// The kind of QR a payload is, by its merchant-account template and GUID.
public enum QRScheme: String, Sendable, Codable, CaseIterable {
    /// NAPAS 247 transfer to an account (QRIBFTTA) or a card (QRIBFTTC).
    case vietqr
    /// NAPAS merchant payment (service QRPUSH, or no service code).
    case napasQRPush = "napas-qrpush"
    /// NAPAS ATM cash withdrawal (QRCASH).
    case napasQRCash = "napas-qrcash"
    /// VNPAY-QR merchant code (root 26, GUID A000000775).
    case vnpay
    /// Another EMV merchant-presented payload.
    case emvOther = "emv-other"
    /// Not an EMV payload at all.
    case notEMV = "not-emv"
}

public enum QRInitiation: String, Sendable, Codable {
    /// `11`: printed once, used for many payments.
    case `static`
    /// `12`: for one payment.
    case dynamic
}

/// The NAPAS service in 38.02 of a transfer QR.
public enum TransferService: String, Sendable, Codable, CaseIterable {
    case toAccount = "QRIBFTTA"
    case toCard = "QRIBFTTC"
}

/// Everything a payload says, read by `VietQRParser`.
public struct DecodedQR: Hashable, Sendable {
    public var scheme: QRScheme
    public var initiation: QRInitiation?
    public var bin: String?
    /// The directory's entry for `bin`, when it has one.
    public var bank: Bank?
    public var account: String?
    /// The raw 38.02 value (`QRIBFTTA`, `QRIBFTTC`, `QRPUSH`, `QRCASH`) when present.
    public var service: String?
    /// Whole đồng; nil when absent or `0`.
    public var amount: Int64?
    /// 62.08, the transfer content a bank app pre-fills.
    public var purpose: String?
    public var merchantName: String?
    public var merchantCity: String?
    /// The four hex digits of tag 63, as written.
    public var crc: String
    public var warnings: [QRWarning]
    /// Every root data object in payload order, templates with their children.
    public var fields: [EMVField]
    /// How the payload's lengths were counted (bytes only in a lenient reading of such a payload).
    public var lengthUnit: TLVLengthUnit = .characters

    /// The payload again, from the fields: identical to the input (byte-exact round trip).
    public var reencoded: String { TLVWriter.encode(fields, unit: lengthUnit) }
}
