import Foundation

/// The board's tariff form: a decision and the prices of the market's usual fee lines. A price
/// left empty is a line the market does not charge.
public struct TariffInput: Sendable, Hashable {
    public var decisionNumber: String
    public var decisionDate: String
    public var issuer: String
    public var effectiveFrom: String
    public var rent: [PositionClass: String]
    public var cleaning: String
    public var electricity: String
    public var ticket: String

    public init(decisionNumber: String, decisionDate: String, issuer: String, effectiveFrom: String,
                rent: [PositionClass: String], cleaning: String, electricity: String, ticket: String) {
        self.decisionNumber = decisionNumber
        self.decisionDate = decisionDate
        self.issuer = issuer
        self.effectiveFrom = effectiveFrom
        self.rent = rent
        self.cleaning = cleaning
        self.electricity = electricity
        self.ticket = ticket
    }

    /// The line codes bills and tickets carry.
    public enum Code {
        public static let rent = "rent", electricity = "electricity", cleaning = "cleaning", ticket = "ticket"
    }

    public func validate() -> Validated<TariffVersion> {
        var errors: [FieldError] = []
        func text(_ value: String, _ field: String, _ vi: String, _ en: String) -> String {
            let cleaned = TextNormalization.clean(value)
            if cleaned.isEmpty || cleaned.count > 120 {
                errors.append(FieldError(field: field, code: "required", message: LocalizedText(vi: vi, en: en)))
            }
            return cleaned
        }
        func day(_ value: String, _ field: String) -> Day? {
            guard let day = Day(iso: value.trimmingCharacters(in: .whitespaces)) else {
                errors.append(FieldError(field: field, code: "bad_date", message: LocalizedText(vi: "Ngày theo dạng năm-tháng-ngày", en: "A date is year-month-day")))
                return nil
            }
            return day
        }
        func price(_ value: String, _ field: String) -> Int64? {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            switch Money.parseTyped(trimmed) {
            case .success(let money) where money.dong <= 100_000_000: return money.dong
            default:
                errors.append(FieldError(field: field, code: "bad_price", message: LocalizedText(
                    vi: "Giá là số tiền từ 1 đ đến 100.000.000 đ, hoặc để trống", en: "A price is 1 đ to 100,000,000 đ, or empty")))
                return nil
            }
        }
        let number = text(decisionNumber, "decisionNumber", "Hãy ghi số quyết định", "Give the decision's number")
        let issuedBy = text(issuer, "issuer", "Hãy ghi cơ quan ban hành", "Give who issued the decision")
        let date = day(decisionDate, "decisionDate")
        let from = day(effectiveFrom, "effectiveFrom")
        if let date, let from, from < date {
            errors.append(FieldError(field: "effectiveFrom", code: "before_decision", message: LocalizedText(
                vi: "Ngày có hiệu lực không thể trước ngày quyết định", en: "A tariff cannot take effect before its decision")))
        }
        var rentPrices: [PositionClass: Int64] = [:]
        for position in PositionClass.allCases {
            if let value = price(rent[position] ?? "", "rent_\(position.rawValue)") { rentPrices[position] = value }
        }
        let cleaningPrice = price(cleaning, "cleaning")
        let electricityPrice = price(electricity, "electricity")
        let ticketPrice = price(ticket, "ticket")
        var lines: [FeeLine] = []
        if !rentPrices.isEmpty { lines.append(FeeLine(code: Code.rent, name: "Tiền thuê quầy", kind: .rentPerSquareMetre(rentPrices))) }
        if let electricityPrice { lines.append(FeeLine(code: Code.electricity, name: "Tiền điện", kind: .electricityPerKWh(electricityPrice))) }
        if let cleaningPrice { lines.append(FeeLine(code: Code.cleaning, name: "Phí vệ sinh", kind: .cleaningMonthly(cleaningPrice))) }
        if let ticketPrice { lines.append(FeeLine(code: Code.ticket, name: "Vé chợ", kind: .dailyTicket(ticketPrice))) }
        if lines.isEmpty && errors.isEmpty {
            errors.append(FieldError(field: "cleaning", code: "no_lines", message: LocalizedText(
                vi: "Biểu phí cần ít nhất một khoản có giá", en: "A tariff needs at least one priced fee")))
        }
        guard errors.isEmpty, let date, let from else { return .invalid(errors) }
        return .valid(TariffVersion(decision: FeeDecision(number: number, date: date, issuer: issuedBy), effectiveFrom: from, effectiveTo: nil, lines: lines))
    }
}
