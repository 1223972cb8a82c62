/// Reads any Vietnamese EMV QR payload, checks it against the VietQR rules S1–S10 of
/// `shared/reference/vietqr.md` §9, and says what it is. Strict mode refuses what a careful
/// generator never emits; lenient mode reads what real bank apps print and says what it forgave.
public enum VietQRParser {
    public enum Mode: Sendable { case strict, lenient }

    /// EMV payloads are at most 512 characters; anything longer is refused before any work.
    public static let maxPayloadLength = 512
    public static let napasGUID = "A000000727"
    public static let vnpayGUID = "A000000775"

    public static func parse(
        _ input: String, mode: Mode = .strict, directory: BankDirectory = .bundled
    ) -> Result<DecodedQR, QRDecodeError> {
        var reader = Reading(mode: mode, directory: directory)
        do {
            return .success(try reader.read(input))
        } catch {
            return .failure(error)
        }
    }
}

private struct Reading {
    let mode: VietQRParser.Mode
    let directory: BankDirectory
    var warnings: [QRWarning] = []
    var lengthUnit = TLVLengthUnit.characters

    init(mode: VietQRParser.Mode, directory: BankDirectory) {
        self.mode = mode
        self.directory = directory
    }

    var lenient: Bool { mode == .lenient }

    mutating func warn(_ code: QRWarningCode, _ vi: String, _ en: String) {
        warnings.append(QRWarning(code, vi, en: en))
    }

    func fail(_ code: QRErrorCode, _ vi: String, _ en: String) -> QRDecodeError {
        QRDecodeError(code, vi, en: en)
    }

    // MARK: Whole payload

    mutating func read(_ input: String) throws(QRDecodeError) -> DecodedQR {
        var text = input
        // Scanners and copy-paste add line ends; only lenient mode forgives them.
        if lenient {
            let trimmed = String(text.unicodeScalars.drop { $0.properties.isWhitespace }.reversed().drop { $0.properties.isWhitespace }.reversed().map(Character.init))
            if trimmed != text {
                warn(.surroundingWhitespace, "Đã bỏ khoảng trắng ở đầu hoặc cuối mã", "Whitespace around the payload was removed")
                text = trimmed
            }
        }
        let length = text.unicodeScalars.count
        guard length > 0 else { throw fail(.empty, "Mã QR trống", "The payload is empty") }
        guard length <= VietQRParser.maxPayloadLength else {
            throw fail(.payloadTooLong, "Mã dài \(length) ký tự, quá giới hạn 512 của chuẩn EMV", "The payload has \(length) characters; EMV allows 512")
        }
        guard text.hasPrefix("0002") else {
            throw fail(.notEMV, "Đây không phải mã thanh toán EMV/VietQR", "This is not an EMV/VietQR payment payload")
        }
        var fields: [EMVField]
        var unit = TLVLengthUnit.characters
        switch TLVReader.read(text) {
        case .success(let parsed): fields = parsed
        case .failure(let error):
            // Some generators count UTF-8 bytes in lengths; a lenient reading tries that too.
            if lenient, !text.unicodeScalars.allSatisfy(\.isASCII), case .success(let parsed) = TLVReader.read(text, unit: .utf8Bytes) {
                fields = parsed
                unit = .utf8Bytes
                warn(.lengthsInBytes, "Độ dài các trường được đếm theo byte UTF-8, không theo ký tự", "Field lengths count UTF-8 bytes, not characters")
            } else {
                throw fail(.malformedTLV, "Cấu trúc mã bị hỏng ở ký tự thứ \(error.offset + 1)", "The payload's structure breaks at character \(error.offset + 1)")
            }
        }
        lengthUnit = unit
        guard fields.first?.id == "00", fields.first?.value == "01" else {
            throw fail(.badFormatIndicator, "Trường 00 phải là 01", "Field 00 (payload format indicator) must be 01")
        }
        var seen: Set<String> = []
        for field in fields where !seen.insert(field.id).inserted {
            throw fail(.duplicateTag, "Trường \(field.id) xuất hiện hai lần", "Field \(field.id) appears twice")
        }
        guard let last = fields.last, last.id == "63", last.value.unicodeScalars.count == 4 else {
            throw fail(.crcMissing, "Thiếu mã kiểm tra CRC (trường 63) ở cuối", "The CRC (field 63) is missing at the end")
        }
        try checkCRC(text, written: last.value)
        try checkCharacters(fields)

        var decoded = DecodedQR(scheme: .emvOther, crc: last.value, warnings: [], fields: [])
        var parsedFields: [EMVField] = []
        for field in fields {
            parsedFields.append(try parseTemplate(field))
        }
        decoded.fields = parsedFields
        decoded.lengthUnit = lengthUnit
        try readRoot(parsedFields, into: &decoded)
        try classify(parsedFields, into: &decoded)
        decoded.warnings = warnings
        return decoded
    }

    mutating func checkCRC(_ text: String, written: String) throws(QRDecodeError) {
        guard written.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
            throw fail(.crcMissing, "Mã CRC phải là 4 chữ số hex", "The CRC must be 4 hex digits")
        }
        let covered = String(text.unicodeScalars.dropLast(4).map(Character.init))
        let expected = CRC16.hex(covered)
        if written == expected { return }
        if written.uppercased() == expected {
            guard lenient else {
                throw fail(.crcNotUppercase, "Mã CRC \(written) phải viết hoa (\(expected))", "The CRC \(written) must be upper-case (\(expected))")
            }
            warn(.lowercaseCRC, "Mã CRC viết thường", "The CRC is written in lower case")
            return
        }
        throw fail(.crcMismatch, "Mã CRC sai: ghi \(written), tính được \(expected). Mã có thể bị sửa hoặc quét sai", "CRC mismatch: written \(written), computed \(expected); the payload was altered or misread")
    }

    // MARK: Characters (S1)

    /// Text fields where non-ASCII may appear: the language template always, names and
    /// additional data only in lenient mode.
    mutating func checkCharacters(_ fields: [EMVField]) throws(QRDecodeError) {
        for field in fields {
            let printable = field.value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
            let ascii = field.value.unicodeScalars.allSatisfy { $0.isASCII }
            guard printable else {
                throw fail(.nonASCII, "Trường \(field.id) chứa ký tự điều khiển", "Field \(field.id) holds control characters")
            }
            if ascii { continue }
            if field.id == "64" { continue }
            if lenient, ["59", "60", "62"].contains(field.id) {
                warn(.nonASCIIText, "Trường \(field.id) có chữ có dấu hoặc ký tự ngoài ASCII", "Field \(field.id) has non-ASCII text")
                continue
            }
            throw fail(.nonASCII, "Trường \(field.id) chỉ được chứa ký tự ASCII", "Field \(field.id) must be ASCII")
        }
    }

    // MARK: Templates

    static func isTemplate(_ id: String) -> Bool {
        guard let number = Int(id) else { return false }
        return (26...51).contains(number) || number == 62 || number == 64 || (80...99).contains(number)
    }

    /// Parses a template's children. 62, 64 and a NAPAS 38 must parse; other allocable templates
    /// keep their raw value when they do not (MoMo's root 80 is three digits, not TLV).
    func parseTemplate(_ field: EMVField) throws(QRDecodeError) -> EMVField {
        guard Self.isTemplate(field.id) else { return field }
        switch TLVReader.read(field.value, unit: lengthUnit) {
        case .success(var children):
            if field.id == "38", let account = children.firstIndex(where: { $0.id == "01" }),
               case .success(let inner) = TLVReader.read(children[account].value, unit: lengthUnit) {
                children[account].children = inner
            }
            return EMVField(id: field.id, value: field.value, children: children)
        case .failure(let error):
            if ["62", "64", "38"].contains(field.id) {
                throw fail(.malformedTLV, "Trường \(field.id) bị hỏng ở ký tự thứ \(error.offset + 1) bên trong", "Template \(field.id) breaks at its character \(error.offset + 1)")
            }
            return field
        }
    }

    // MARK: Root fields (S4, S6, S7, S8, S9)

    mutating func readRoot(_ fields: [EMVField], into decoded: inout DecodedQR) throws(QRDecodeError) {
        let byID = Dictionary(fields.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let initiation = byID["01"] {
            switch initiation.value {
            case "11": decoded.initiation = .static
            case "12": decoded.initiation = .dynamic
            default: throw fail(.badInitiation, "Trường 01 phải là 11 (mã tĩnh) hoặc 12 (mã động)", "Field 01 must be 11 (static) or 12 (dynamic)")
            }
        }
        guard byID["53"]?.value == "704" else {
            throw fail(.badCurrency, "Tiền tệ (trường 53) phải là 704 — đồng Việt Nam", "Currency (field 53) must be 704, Vietnamese đồng")
        }
        guard byID["58"]?.value == "VN" else {
            throw fail(.badCountry, "Quốc gia (trường 58) phải là VN", "Country (field 58) must be VN")
        }
        if let amount = byID["54"] {
            decoded.amount = try readAmount(amount.value)
        }
        try checkFormat(byID["52"], digits: 4, name: "MCC")
        try checkFormat(byID["55"], oneOf: ["01", "02", "03"], name: "tip indicator")
        // A fixed fee (55 = 02) needs its value in 56, a percentage (55 = 03) in 57.
        if byID["55"]?.value == "02", byID["56"] == nil || byID["57"] != nil {
            throw fail(.badFieldFormat, "Phí cố định (55 = 02) cần giá trị ở trường 56", "A fixed fee (55 = 02) needs its value in field 56")
        }
        if byID["55"]?.value == "03", byID["57"] == nil || byID["56"] != nil {
            throw fail(.badFieldFormat, "Phí phần trăm (55 = 03) cần giá trị ở trường 57", "A percentage fee (55 = 03) needs its value in field 57")
        }
        try checkLength(byID["59"], max: 25)
        try checkLength(byID["60"], max: 15)
        try checkLength(byID["61"], max: 10)
        decoded.merchantName = byID["59"]?.value
        decoded.merchantCity = byID["60"]?.value
        for field in fields {
            guard let number = Int(field.id), (65...79).contains(number) else { continue }
            guard lenient else {
                throw fail(.rfuTag, "Trường \(field.id) dành riêng cho EMVCo, không được có trong mã", "Field \(field.id) is reserved for EMVCo and must not appear")
            }
            warn(.rfuTagIgnored, "Đã bỏ qua trường dành riêng \(field.id)", "Reserved field \(field.id) was ignored")
        }
        if let additional = byID["62"] {
            try readAdditionalData(additional, into: &decoded)
        }
        if let language = byID["64"] {
            let ids = Set(language.children?.map(\.id) ?? [])
            guard ids.contains("00"), ids.contains("01") else {
                throw fail(.badLanguageTemplate, "Trường 64 phải có ngôn ngữ (00) và tên (01)", "Template 64 needs a language (00) and a name (01)")
            }
        }
    }

    mutating func readAmount(_ text: String) throws(QRDecodeError) -> Int64? {
        var digits = Substring(text)
        let invalid = fail(.badAmount, "Số tiền (trường 54) chỉ gồm chữ số, tối đa 13 chữ số: \"\(text)\"", "The amount (field 54) must be 1–13 digits: \"\(text)\"")
        if lenient, let dot = text.firstIndex(of: "."), case let fraction = text[text.index(after: dot)...],
           fraction.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            digits = text[..<dot]
            if fraction.allSatisfy({ $0 == "0" }) {
                warn(.amountDecimal, "Số tiền có phần thập phân .0, đồng không có xu", "The amount has a .0 decimal part; the đồng has no minor unit")
            } else {
                // Some generators write `180000.50`. The fraction is dropped (truncated), not
                // refused and not rounded: no account or coin holds a fraction of a đồng, so the
                // whole đồng is what a payer can send; truncating never asks for more than the
                // payee wrote, where rounding up would; and refusing would make the lenient reader
                // turn away payloads that bank apps scan, which is what lenient mode is for. The
                // warning says the amount was changed; strict mode still refuses (`bad_amount`).
                warn(
                    .amountFractionDropped, "Số tiền \(text) có phần lẻ .\(fraction): đồng không có xu, đọc là \(digits) đồng",
                    "The amount \(text) has a fraction .\(fraction): the đồng has no minor unit; read as \(digits) đồng")
            }
        }
        guard (1...13).contains(digits.count), digits.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
              let value = Int64(digits)
        else { throw invalid }
        if value == 0 {
            warn(.amountZero, "Số tiền bằng 0: coi như không ghi số tiền", "The amount is 0; read as no amount")
            return nil
        }
        return value
    }

    func checkFormat(_ field: EMVField?, digits: Int, name: String) throws(QRDecodeError) {
        guard let field else { return }
        guard field.value.count == digits, field.value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else {
            throw fail(.badFieldFormat, "Trường \(field.id) (\(name)) phải gồm \(digits) chữ số", "Field \(field.id) (\(name)) must be \(digits) digits")
        }
    }

    func checkFormat(_ field: EMVField?, oneOf values: Set<String>, name: String) throws(QRDecodeError) {
        guard let field, !values.contains(field.value) else { return }
        throw fail(.badFieldFormat, "Trường \(field.id) (\(name)) không hợp lệ: \(field.value)", "Field \(field.id) (\(name)) is not valid: \(field.value)")
    }

    mutating func checkLength(_ field: EMVField?, max: Int, within template: String? = nil) throws(QRDecodeError) {
        guard let field, field.value.unicodeScalars.count > max else { return }
        let name = template.map { "\($0).\(field.id)" } ?? field.id
        guard lenient else {
            throw fail(.fieldTooLong, "Trường \(name) dài quá \(max) ký tự", "Field \(name) is longer than \(max) characters")
        }
        warn(.fieldTooLong, "Trường \(name) dài quá \(max) ký tự; một số ngân hàng cắt bớt", "Field \(name) is longer than \(max) characters; some banks cut it")
    }

    mutating func readAdditionalData(_ template: EMVField, into decoded: inout DecodedQR) throws(QRDecodeError) {
        for child in template.children ?? [] {
            guard let number = Int(child.id) else { continue }
            switch number {
            case 1...8: try checkLength(child, max: 25, within: "62")
            case 9: try checkLength(child, max: 3, within: "62")
            case 10...49:
                guard lenient else {
                    throw fail(.rfuTag, "Trường 62.\(child.id) dành riêng cho EMVCo", "Field 62.\(child.id) is reserved for EMVCo")
                }
                warn(.rfuTagIgnored, "Đã bỏ qua trường dành riêng 62.\(child.id)", "Reserved field 62.\(child.id) was ignored")
            default: break  // 50–99: payment-system templates, kept as they are
            }
        }
        decoded.purpose = template.child("08")?.value
    }

    // MARK: Scheme (S5)

    mutating func classify(_ fields: [EMVField], into decoded: inout DecodedQR) throws(QRDecodeError) {
        let byID = Dictionary(fields.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let napas = byID["38"] {
            let guid = napas.child("00")?.value
            if guid == VietQRParser.napasGUID || (lenient && guid?.uppercased() == VietQRParser.napasGUID) {
                try readNapas(napas, into: &decoded)
                return
            }
            guard lenient else {
                throw fail(.notNapasGUID, "Trường 38 không mang mã NAPAS A000000727 (thấy \(guid ?? "không có"))", "Field 38 does not carry the NAPAS GUID A000000727 (found \(guid ?? "none"))")
            }
            warn(.foreignGUID, "Trường 38 mang mã khác NAPAS: \(guid ?? "không có")", "Field 38 carries a non-NAPAS GUID: \(guid ?? "none")")
        }
        if byID["26"]?.child("00")?.value == VietQRParser.vnpayGUID {
            decoded.scheme = .vnpay
            decoded.account = byID["26"]?.child("01")?.value
            return
        }
        let hasAccountTemplate = fields.contains { Int($0.id).map { (2...51).contains($0) } ?? false }
        guard hasAccountTemplate else {
            throw fail(.missingAccountInfo, "Mã không có thông tin tài khoản nhận (trường 38)", "The payload has no receiving account (field 38)")
        }
        decoded.scheme = .emvOther
    }

    mutating func readNapas(_ napas: EMVField, into decoded: inout DecodedQR) throws(QRDecodeError) {
        guard let beneficiary = napas.child("01"), let parts = beneficiary.children else {
            throw fail(.missingAccountInfo, "Thiếu ngân hàng và số tài khoản (trường 38.01)", "The bank and account (field 38.01) are missing")
        }
        var misplacedService: String?
        for part in parts where part.id != "00" && part.id != "01" {
            if part.id == "02" {
                guard lenient else {
                    throw fail(.missingServiceCode, "Mã dịch vụ nằm sai chỗ (38.01.02 thay vì 38.02)", "The service code is in the wrong place (38.01.02 instead of 38.02)")
                }
                warn(.serviceCodeMisplaced, "Mã dịch vụ nằm ở 38.01.02 thay vì 38.02", "The service code is at 38.01.02 instead of 38.02")
                misplacedService = part.value
            } else {
                throw fail(.unexpectedSubfield, "Trường 38.01 có mục lạ \(part.id)", "Field 38.01 has an unexpected sub-field \(part.id)")
            }
        }
        guard let bin = beneficiary.child("00")?.value, VietQRRules.isWellFormedBIN(bin) else {
            throw fail(.badBIN, "Mã ngân hàng (BIN, trường 38.01.00) phải gồm 6 chữ số", "The bank BIN (field 38.01.00) must be 6 digits")
        }
        guard let account = beneficiary.child("01")?.value, VietQRRules.isValidAccountID(account) else {
            throw fail(.badAccount, "Số tài khoản (38.01.01) chỉ gồm chữ và số, tối đa 19 ký tự", "The account (38.01.01) must be 1–19 letters or digits")
        }
        decoded.bin = bin
        decoded.account = account
        decoded.bank = directory.bank(bin: bin)
        if let bank = decoded.bank {
            if !bank.verified {
                warn(.unverifiedBIN, "BIN \(bin) (\(bank.shortName)) chưa được xác nhận từ nguồn chính thức", "BIN \(bin) (\(bank.shortName)) is not confirmed by a primary source")
            }
        } else {
            warn(.unknownBIN, "BIN \(bin) không có trong danh sách ngân hàng NAPAS", "BIN \(bin) is not in the NAPAS member list")
        }
        let service = napas.child("02")?.value ?? misplacedService
        decoded.service = service
        switch service {
        case TransferService.toAccount.rawValue?, TransferService.toCard.rawValue?:
            decoded.scheme = .vietqr
        case "QRPUSH"?, nil:
            decoded.scheme = .napasQRPush
        case "QRCASH"?:
            decoded.scheme = .napasQRCash
            let additional = decoded.fields.first { $0.id == "62" }
            if additional?.child("05") == nil || additional?.child("07") == nil {
                warn(.cashFieldsMissing, "Mã rút tiền thiếu 62.05 hoặc 62.07", "A cash-withdrawal QR lacks 62.05 or 62.07")
            }
        case let other?:
            throw fail(.badServiceCode, "Mã dịch vụ 38.02 không hợp lệ: \(other)", "The service code 38.02 is not valid: \(other)")
        }
    }
}
