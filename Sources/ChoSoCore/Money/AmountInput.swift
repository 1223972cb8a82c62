import VietQR

/// Why what a person typed is not an amount, with a message that says what to type instead.
/// The codes are stable (programs and tests rely on them); the messages are for people.
public enum AmountInputError: Error, Hashable, Sendable, CaseIterable {
    /// Nothing typed.
    case empty
    /// A decimal part: `1,5`, `12.5`, `12.50`, `180000.00`, `1.2500` (one dot followed by other
    /// than three digits). The đồng has no minor unit.
    case fraction
    /// Commas between thousands: `1,250,000`. In Vietnamese a comma starts a fraction.
    case commaGroups
    /// Groups that are not three digits after the first: `1.25.000`, `1250.000`, `1 25 000`,
    /// dots and spaces mixed.
    case grouping
    /// Anything but digits, group separators and a currency after them: `12k`, `abc`, `٥٠`.
    case notANumber
    /// A minus sign.
    case negative
    /// Zero, where an amount of money is asked for.
    case zero
    /// More than `VietQRBuilder.maxAmount` (9.999.999.999.999 đồng, 13 digits).
    case tooLarge

    public var code: String {
        switch self {
        case .empty: "amount_empty"
        case .fraction: "amount_fraction"
        case .commaGroups: "amount_comma"
        case .grouping: "amount_grouping"
        case .notANumber: "amount_not_a_number"
        case .negative: "amount_negative"
        case .zero: "amount_zero"
        case .tooLarge: "amount_too_large"
        }
    }

    public var message: LocalizedText {
        switch self {
        case .empty:
            LocalizedText(vi: "Hãy nhập số tiền", en: "Enter an amount")
        case .fraction:
            LocalizedText(
                vi: "Số tiền phải là số đồng chẵn, không có phần lẻ. Dấu chấm chỉ dùng để tách hàng nghìn: 12.500",
                en: "The amount must be whole đồng, with no fraction. Dots only separate thousands: 12.500")
        case .commaGroups:
            LocalizedText(
                vi: "Không dùng dấu phẩy: số tiền là số đồng chẵn, tách hàng nghìn bằng dấu chấm: 1.250.000",
                en: "No commas: the amount is whole đồng, with dots between thousands: 1.250.000")
        case .grouping:
            LocalizedText(
                vi: "Sau mỗi dấu chấm phải có đúng 3 chữ số: 1.250.000",
                en: "Each dot must be followed by exactly 3 digits: 1.250.000")
        case .notANumber:
            LocalizedText(vi: "Số tiền chỉ gồm chữ số, ví dụ 50.000", en: "The amount may only contain digits, e.g. 50.000")
        case .negative:
            LocalizedText(vi: "Số tiền không được là số âm", en: "The amount cannot be negative")
        case .zero:
            LocalizedText(vi: "Số tiền phải lớn hơn 0 đồng", en: "The amount must be above 0 đồng")
        case .tooLarge:
            LocalizedText(
                vi: "Số tiền quá lớn: tối đa \(Money.groupDigits(VietQRBuilder.maxAmount)) đồng",
                en: "The amount is too large: at most \(Money.groupDigits(VietQRBuilder.maxAmount)) đồng")
        }
    }

    /// The error as a form or API field problem.
    public func fieldError(field: String = "amount") -> FieldError {
        FieldError(field: field, code: code, message: message)
    }
}

extension Money {
    /// An amount as a person types it: digits, optionally in groups of three separated by dots
    /// (`1.250.000`) or by single spaces (`1 250 000`), optionally followed by the currency (`đ`,
    /// `₫`, `d`, `VND`, `VNĐ`, `đồng`, `dong`, with or without a space). Anything else is refused
    /// with the reason: a fraction or a comma (`1,5` was read as 15 đ and `12.5` as 125 đ), groups
    /// of other than three digits, letters, a minus sign, zero (unless `allowZero`), more than
    /// 9.999.999.999.999 đồng.
    public static func parseTyped(_ raw: String, allowZero: Bool = false) -> Result<Money, AmountInputError> {
        var text = Substring(raw.trimmingWhiteSpace)
        guard !text.isEmpty else { return .failure(.empty) }
        // The currency after the number, longest spelling first.
        let lowered = text.lowercased()
        for suffix in ["vnđ", "vnd", "đồng", "dong", "đ", "₫", "d"] where lowered.hasSuffix(suffix) {
            text = text.dropLast(suffix.count)
            text = Substring(String(text).trimmingWhiteSpace)
            break
        }
        guard !text.isEmpty else { return .failure(.notANumber) }
        if let first = text.first, first == "-" || first == "\u{2212}" {
            // A negative amount is named as such, once the rest is a number.
            return parseTyped(String(text.dropFirst()), allowZero: true).flatMap { _ in .failure(.negative) }
        }
        if text.contains(",") {
            let groups = text.split(separator: ",", omittingEmptySubsequences: false)
            let digitGroups = groups.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
            if digitGroups, groups.count >= 2, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) {
                return .failure(.commaGroups)
            }
            let wholeAndFraction = groups.count == 2 && groups.allSatisfy { $0.allSatisfy { $0.isASCIIDigit || $0 == "." || $0.isGroupSpace } }
            return .failure(wholeAndFraction ? .fraction : .notANumber)
        }
        guard text.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0.isGroupSpace }) else { return .failure(.notANumber) }
        let usesDots = text.contains("."), usesSpaces = text.contains(where: \.isGroupSpace)
        var digits = String(text)
        if usesDots || usesSpaces {
            let groups = text.split(omittingEmptySubsequences: false) { $0 == "." || $0.isGroupSpace }
            let wellGrouped = !(usesDots && usesSpaces) && groups.count >= 2 && (1...3).contains(groups[0].count)
                && groups.dropFirst().allSatisfy { $0.count == 3 }
            guard wellGrouped else {
                // One dot followed by other than three digits reads as a decimal point: `12.5`,
                // `12.50`, `180000.00`.
                let dots = groups.count - 1
                if usesDots, !usesSpaces, dots == 1, let last = groups.last, last.count != 3, !groups[0].isEmpty, !last.isEmpty {
                    return .failure(.fraction)
                }
                return .failure(.grouping)
            }
            digits = groups.joined()
        }
        // 13 digits at most before converting: no overflow, whatever the length.
        let significant = digits.drop { $0 == "0" }
        guard significant.count <= 13, let value = Int64(digits.isEmpty ? "0" : String(significant.isEmpty ? "0" : significant)),
              value <= VietQRBuilder.maxAmount
        else { return .failure(.tooLarge) }
        if value == 0 && !allowZero { return .failure(.zero) }
        return .success(Money(dong: value))
    }
}

/// How large one entry (a cash sale, a debt, a payment request) may be: above `ceiling` it is
/// refused, above `warnAbove` the person confirms it first. A market's board sets both; the
/// defaults are 50.000.000 đ and 10.000.000 đ. (A 1.000.000.000.000 đ cash sale was accepted and
/// set the market's cashless share to 0.)
public struct AmountLimits: Hashable, Sendable, Codable {
    public var ceiling: Money
    public var warnAbove: Money

    public init(ceiling: Money, warnAbove: Money) {
        self.ceiling = ceiling
        self.warnAbove = warnAbove
    }

    public static let standard = AmountLimits(ceiling: Money(dong: 50_000_000), warnAbove: Money(dong: 10_000_000))

    public enum Verdict: Hashable, Sendable {
        case ok
        /// Above the warning level: ask "is this right?" with this message, then accept.
        case needsConfirmation(LocalizedText)
        /// Above the ceiling (or not above zero): refused with this field error.
        case refused(FieldError)
    }

    /// The verdict on one entry's amount.
    public func check(_ amount: Money, field: String = "amount") -> Verdict {
        guard amount.dong > 0 else { return .refused(AmountInputError.zero.fieldError(field: field)) }
        if amount > ceiling {
            return .refused(FieldError(
                field: field, code: "amount_above_ceiling",
                message: LocalizedText(
                    vi: "Số tiền \(amount.formatted) vượt mức tối đa cho một lần ghi của chợ (\(ceiling.formatted))",
                    en: "\(amount.formatted) is above the market's limit for one entry (\(ceiling.formatted))")))
        }
        if amount > warnAbove {
            return .needsConfirmation(LocalizedText(
                vi: "Số tiền \(amount.formatted) lớn hơn \(warnAbove.formatted): hãy kiểm tra lại rồi xác nhận",
                en: "\(amount.formatted) is above \(warnAbove.formatted): check it, then confirm"))
        }
        return .ok
    }

    /// Limits a board sets: a ceiling above 0 and within what a transfer can carry, a warning
    /// level above 0 and not above the ceiling.
    public static func validate(ceiling: Money, warnAbove: Money) -> Validated<AmountLimits> {
        var errors: [FieldError] = []
        if ceiling.dong <= 0 || ceiling.dong > VietQRBuilder.maxAmount {
            errors.append(FieldError(
                field: "ceiling", code: "bad_ceiling",
                message: LocalizedText(
                    vi: "Mức tối đa phải từ 1 đến \(Money.groupDigits(VietQRBuilder.maxAmount)) đồng",
                    en: "The limit must be 1 to \(Money.groupDigits(VietQRBuilder.maxAmount)) đồng")))
        }
        if warnAbove.dong <= 0 || warnAbove > ceiling {
            errors.append(FieldError(
                field: "warnAbove", code: "bad_warning_level",
                message: LocalizedText(
                    vi: "Mức cần xác nhận phải lớn hơn 0 và không quá mức tối đa (\(ceiling.formatted))",
                    en: "The confirmation level must be above 0 and at most the limit (\(ceiling.formatted))")))
        }
        return errors.isEmpty ? .valid(AmountLimits(ceiling: ceiling, warnAbove: warnAbove)) : .invalid(errors)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    /// A space between digit groups: the space bar's, or the no-break spaces that formatted
    /// numbers carry when pasted (U+00A0, U+202F).
    var isGroupSpace: Bool { self == " " || self == "\u{00A0}" || self == "\u{202F}" }
}

extension String {
    /// Without leading and trailing white space (Unicode's, not only ASCII's).
    var trimmingWhiteSpace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
