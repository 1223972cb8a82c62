import Foundation
import VietQR

/// The rules for what may be registered at a market. Pure: the app passes raw text in and gets
/// clean values or every problem, each with its Vietnamese and English message.
public enum RegistryValidation {
    public static let maxStallNumberLength = 10
    public static let maxNameLength = 100
    public static let maxTradeLength = 60
    public static let maxHolderNameLength = 50

    public static func validate(_ input: StallInput) -> Validated<StallFields> {
        var errors: [FieldError] = []
        let number = normalizedStallNumber(input.number)
        if number.isEmpty || number.count > maxStallNumberLength
            || !number.unicodeScalars.allSatisfy({ isASCIIAlphanumeric($0) || $0 == "-" }) {
            errors.append(FieldError(
                field: "number", code: "bad_stall_number",
                message: LocalizedText(
                    vi: "Số quầy là bắt buộc, tối đa \(maxStallNumberLength) ký tự gồm chữ, số hoặc dấu gạch ngang",
                    en: "The stall number is required: at most \(maxStallNumberLength) letters, digits or hyphens")))
        }
        let name = TextNormalization.clean(input.name)
        if name.isEmpty || name.count > maxNameLength {
            errors.append(FieldError(
                field: "name", code: "bad_stall_name",
                message: LocalizedText(
                    vi: "Tên quầy là bắt buộc, tối đa \(maxNameLength) ký tự",
                    en: "The stall name is required, at most \(maxNameLength) characters")))
        }
        let trade = TextNormalization.clean(input.trade)
        if trade.count > maxTradeLength {
            errors.append(FieldError(
                field: "trade", code: "bad_trade",
                message: LocalizedText(
                    vi: "Mặt hàng tối đa \(maxTradeLength) ký tự",
                    en: "The trade is at most \(maxTradeLength) characters")))
        }
        let keeper = TextNormalization.clean(input.keeperName)
        if keeper.isEmpty || keeper.count > maxNameLength {
            errors.append(FieldError(
                field: "keeperName", code: "bad_keeper_name",
                message: LocalizedText(
                    vi: "Tên chủ quầy là bắt buộc, tối đa \(maxNameLength) ký tự",
                    en: "The stall keeper's name is required, at most \(maxNameLength) characters")))
        }
        let phoneText = TextNormalization.clean(input.phone)
        var phone: String?
        if !phoneText.isEmpty {
            phone = normalizedPhone(phoneText)
            if phone == nil {
                errors.append(FieldError(
                    field: "phone", code: "bad_phone",
                    message: LocalizedText(
                        vi: "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678)",
                        en: "A phone number has 10 digits starting with 0 (e.g. 0912 345 678)")))
            }
        }
        let areaText = input.area.trimmingCharacters(in: .whitespaces)
        let area = areaText.isEmpty ? nil : FeeBilling.parseArea(areaText)
        if !areaText.isEmpty && area == nil {
            errors.append(FieldError(field: "area", code: "bad_area", message: LocalizedText(
                vi: "Diện tích là số m², ví dụ 4,5 (tối đa 10.000)", en: "The area is in m², e.g. 4.5 (at most 10,000)")))
        }
        let positionText = input.positionClass.trimmingCharacters(in: .whitespaces)
        let position = PositionClass(rawValue: positionText)
        if !positionText.isEmpty && position == nil {
            errors.append(FieldError(field: "positionClass", code: "bad_position_class", message: LocalizedText(
                vi: "Vị trí là một trong: \(PositionClass.allCases.map(\.rawValue).joined(separator: ", "))",
                en: "The position is one of: \(PositionClass.allCases.map(\.rawValue).joined(separator: ", "))")))
        }
        guard errors.isEmpty else { return .invalid(errors) }
        return .valid(StallFields(
            number: number, name: name, trade: trade.isEmpty ? nil : trade,
            keeperName: keeper, phone: phone, areaCentiSquareMetres: area, positionClass: position))
    }

    public static let requestExpiryRange = 1...120

    /// How long a stall's payment requests stay open, in minutes.
    public static func validateRequestExpiry(_ minutes: Int) -> Validated<Int> {
        guard requestExpiryRange.contains(minutes) else {
            return .invalid([FieldError(
                field: "requestExpiryMinutes", code: "bad_request_expiry",
                message: LocalizedText(
                    vi: "Thời hạn mã thu tiền từ \(requestExpiryRange.lowerBound) đến \(requestExpiryRange.upperBound) phút",
                    en: "A payment request lasts \(requestExpiryRange.lowerBound) to \(requestExpiryRange.upperBound) minutes"))])
        }
        return .valid(minutes)
    }

    /// A stall number as stored: trimmed and upper-case, so "12a" and " 12A" are the same stall.
    public static func normalizedStallNumber(_ text: String) -> String {
        TextNormalization.clean(text).uppercased()
    }

    /// Vietnamese mobile and landline numbers in national form: `0` and nine digits.
    /// Accepts `+84`/`84` prefixes and spaces, dots or hyphens between digit groups.
    public static func normalizedPhone(_ text: String) -> String? {
        var digits = text.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        else if digits.hasPrefix("84") && digits.count == 11 { digits = "0" + digits.dropFirst(2) }
        guard digits.count == 10, digits.hasPrefix("0"), digits.allSatisfy(\.isASCIIDigitCharacter) else { return nil }
        return digits
    }

    public static func validate(_ input: ReceivingAccountInput, directory: BankDirectory = .bundled) -> Validated<ReceivingAccountFields> {
        var errors: [FieldError] = []
        let kind = AccountKind(rawValue: input.kind.trimmingCharacters(in: .whitespaces))
        if kind == nil {
            errors.append(FieldError(
                field: "kind", code: "bad_account_kind",
                message: LocalizedText(
                    vi: "Hãy chọn loại tài khoản: ngân hàng hoặc Mobile Money",
                    en: "Choose the kind of account: bank or Mobile Money")))
        }
        let bin = input.bin.trimmingCharacters(in: .whitespaces)
        let bank = directory.bank(bin: bin)
        if let bank {
            if let kind, kind != bank.accountKind {
                errors.append(FieldError(
                    field: "bin", code: "bank_kind_mismatch",
                    message: kind == .bank
                        ? LocalizedText(
                            vi: "\(bank.shortName) là Mobile Money, không phải ngân hàng: hãy chọn loại Mobile Money",
                            en: "\(bank.shortName) is Mobile Money, not a bank: choose the Mobile Money kind")
                        : LocalizedText(
                            vi: "\(bank.shortName) là ngân hàng, không phải Mobile Money: hãy chọn loại tài khoản ngân hàng",
                            en: "\(bank.shortName) is a bank, not Mobile Money: choose the bank account kind")))
            }
        } else {
            errors.append(FieldError(
                field: "bin", code: "unknown_bank",
                message: LocalizedText(
                    vi: "Hãy chọn ngân hàng hoặc ví có trong danh sách NAPAS",
                    en: "Choose a bank or wallet from the NAPAS list")))
        }
        let account = input.accountNumber.filter { $0 != " " }
        if !VietQRRules.isValidAccountID(account) {
            errors.append(FieldError(
                field: "accountNumber", code: "bad_account_number",
                message: LocalizedText(
                    vi: "Số tài khoản chỉ gồm chữ và số, tối đa \(VietQRRules.maxAccountIDLength) ký tự",
                    en: "The account number has only letters and digits, at most \(VietQRRules.maxAccountIDLength) characters")))
        }
        let holder = TextNormalization.clean(TextNormalization.asciiFolded(input.holderName)).uppercased()
        if holder.isEmpty || holder.count > maxHolderNameLength
            || !holder.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || $0 == " " }) {
            errors.append(FieldError(
                field: "holderName", code: "bad_holder_name",
                message: LocalizedText(
                    vi: "Tên chủ tài khoản ghi như ngân hàng ghi: chữ cái, tối đa \(maxHolderNameLength) ký tự (ví dụ NGUYEN THI BA)",
                    en: "The holder name as the bank writes it: letters only, at most \(maxHolderNameLength) characters (e.g. NGUYEN THI BA)")))
        }
        let display = TextNormalization.clean(input.displayName)
        if display.count > maxNameLength {
            errors.append(FieldError(
                field: "displayName", code: "bad_display_name",
                message: LocalizedText(
                    vi: "Tên hiển thị tối đa \(maxNameLength) ký tự",
                    en: "The display name is at most \(maxNameLength) characters")))
        }
        guard errors.isEmpty, let kind, let bank else { return .invalid(errors) }
        return .valid(ReceivingAccountFields(
            kind: kind, bank: bank, accountNumber: account, holderName: holder,
            displayName: display.isEmpty ? nil : display))
    }

    static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
    }
}

extension Bank {
    /// Banks take bank accounts; Mobile Money and e-wallet BINs take wallet accounts.
    public var accountKind: AccountKind { kind == .bank ? .bank : .mobileMoney }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

