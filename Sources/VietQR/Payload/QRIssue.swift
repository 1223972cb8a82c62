/// A finding about a payload: a stable code for programs and a message for people, in
/// Vietnamese (`message`) and English (`messageEn`). Errors refuse a payload; warnings do not.
public struct QRIssue<Code: RawRepresentable & Hashable & Sendable & Codable>: Hashable, Sendable, Codable
where Code.RawValue == String {
    public var code: Code
    public var message: String
    public var messageEn: String

    public init(_ code: Code, _ message: String, en messageEn: String) {
        self.code = code
        self.message = message
        self.messageEn = messageEn
    }
}

/// Why a payload was refused. Documented in docs/vietqr.md; never renamed.
public typealias QRDecodeError = QRIssue<QRErrorCode>
/// Something a lenient reading let through, or a fact worth telling.
public typealias QRWarning = QRIssue<QRWarningCode>

extension QRIssue: Error where Code == QRErrorCode {}

public enum QRErrorCode: String, Sendable, CaseIterable, Codable {
    case empty
    case payloadTooLong = "payload_too_long"
    case notEMV = "not_emv"
    case malformedTLV = "malformed_tlv"
    case duplicateTag = "duplicate_tag"
    case nonASCII = "non_ascii"
    case crcMissing = "crc_missing"
    case crcMismatch = "crc_mismatch"
    case crcNotUppercase = "crc_not_uppercase"
    case badFormatIndicator = "bad_format_indicator"
    case badInitiation = "bad_initiation"
    case missingAccountInfo = "missing_account_info"
    case notNapasGUID = "not_napas_guid"
    case badBIN = "bad_bin"
    case badAccount = "bad_account"
    case unexpectedSubfield = "unexpected_subfield"
    case missingServiceCode = "missing_service_code"
    case badServiceCode = "bad_service_code"
    case badCurrency = "bad_currency"
    case badCountry = "bad_country"
    case badAmount = "bad_amount"
    case badFieldFormat = "bad_field_format"
    case fieldTooLong = "field_too_long"
    case rfuTag = "rfu_tag"
    case badLanguageTemplate = "bad_language_template"
}

public enum QRWarningCode: String, Sendable, CaseIterable, Codable {
    case amountZero = "amount_zero"
    case amountDecimal = "amount_decimal"
    /// 54 has a nonzero fraction (`180000.50`): read as the whole đồng, the fraction dropped.
    case amountFractionDropped = "amount_fraction_dropped"
    case lowercaseCRC = "lowercase_crc"
    case nonASCIIText = "non_ascii_text"
    case fieldTooLong = "field_too_long"
    case rfuTagIgnored = "rfu_tag_ignored"
    case serviceCodeMisplaced = "service_code_misplaced"
    case unknownBIN = "unknown_bin"
    case unverifiedBIN = "unverified_bin"
    case foreignGUID = "foreign_guid"
    case surroundingWhitespace = "surrounding_whitespace"
    case cashFieldsMissing = "cash_fields_missing"
    case lengthsInBytes = "lengths_in_bytes"
}
