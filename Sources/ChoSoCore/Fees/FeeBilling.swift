import Foundation

/// What the period's bills come to, from the tariff in force and the stall's facts (issue 15).
/// Amounts are whole đồng; an area is kept in hundredths of a m² so no floating point is needed.
public enum FeeBilling {
    /// A stall as billing needs it.
    public struct Stall: Sendable, Hashable {
        public var id: String
        /// Area in hundredths of a square metre (4,5 m² = 450); nil when not measured yet.
        public var areaCentiSquareMetres: Int?
        public var positionClass: PositionClass?

        public init(id: String, areaCentiSquareMetres: Int?, positionClass: PositionClass?) {
            self.id = id
            self.areaCentiSquareMetres = areaCentiSquareMetres
            self.positionClass = positionClass
        }
    }

    /// A meter's two indexes for a period, in whole kWh.
    public struct MeterReading: Sendable, Hashable {
        public var previous: Int64
        public var current: Int64

        public init(previous: Int64, current: Int64) {
            self.previous = previous
            self.current = current
        }

        public var used: Int64 { current - previous }
    }

    public struct Draft: Sendable, Hashable {
        public var stallID: String
        public var lineCode: String
        public var period: FeePeriod
        public var amountDue: Int64
        /// How it was worked out, for the slip ("4,50 m² × 100.000 đ").
        public var basis: String
    }

    /// Why a stall gets no bill for a line this period (shown to the board, never silent).
    public enum Skip: Error, Sendable, Hashable {
        case noArea, noPositionClass, noPriceForClass, noReading, ticketNotBilledMonthly, nothingUsed

        public var label: LocalizedText {
            switch self {
            case .noArea: LocalizedText(vi: "chưa có diện tích quầy", en: "no area on the stall")
            case .noPositionClass: LocalizedText(vi: "chưa xếp hạng vị trí quầy", en: "no position class on the stall")
            case .noPriceForClass: LocalizedText(vi: "biểu phí không có giá cho hạng vị trí này", en: "the tariff has no price for this position class")
            case .noReading: LocalizedText(vi: "chưa ghi chỉ số công tơ", en: "no meter reading")
            case .ticketNotBilledMonthly: LocalizedText(vi: "vé ngày không lập phí tháng", en: "a daily ticket is not billed monthly")
            case .nothingUsed: LocalizedText(vi: "không dùng điện", en: "no electricity used")
            }
        }
    }

    public static func draft(
        _ stall: Stall, line: FeeLine, period: FeePeriod, reading: MeterReading?
    ) -> Result<Draft, Skip> {
        func made(_ amount: Int64, _ basis: String) -> Result<Draft, Skip> {
            .success(Draft(stallID: stall.id, lineCode: line.code, period: period, amountDue: amount, basis: basis))
        }
        switch line.kind {
        case .rentPerSquareMetre(let prices):
            guard let area = stall.areaCentiSquareMetres, area > 0 else { return .failure(.noArea) }
            guard let position = stall.positionClass else { return .failure(.noPositionClass) }
            guard let price = prices[position] else { return .failure(.noPriceForClass) }
            return made(roundedHundredths(price * Int64(area)), "\(Self.area(area)) m² × \(Money(dong: price).formatted)")
        case .flatMonthly(let amount), .cleaningMonthly(let amount):
            return made(amount, Money(dong: amount).formatted)
        case .electricityPerKWh(let price):
            guard let reading else { return .failure(.noReading) }
            guard reading.used > 0 else { return .failure(.nothingUsed) }
            return made(price * reading.used, "\(reading.used) kWh × \(Money(dong: price).formatted)")
        case .dailyTicket:
            return .failure(.ticketNotBilledMonthly)
        }
    }

    /// Half a đồng and up rounds up (amounts are never negative).
    static func roundedHundredths(_ value: Int64) -> Int64 { (value + 50) / 100 }

    /// 450 → "4,50".
    public static func area(_ centi: Int) -> String {
        "\(centi / 100),\(String(format: "%02d", centi % 100))"
    }

    /// "4,5", "4,50" or "4" m² as typed → hundredths; nil when not a positive area up to 10.000 m².
    public static func parseArea(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, parts[0].allSatisfy(\.isASCII) else { return nil }
        var hundredths = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(fraction) else { return nil }
            hundredths = fraction.count == 1 ? value * 10 : value
        }
        let total = whole * 100 + hundredths
        return (1...1_000_000).contains(total) ? total : nil
    }

    /// A new reading: its index may not go below the meter's last one.
    public static func check(current: Int64, lastIndex: Int64?) -> Validated<MeterReading> {
        let previous = lastIndex ?? 0
        guard current >= 0, current <= 100_000_000 else {
            return .invalid([FieldError(field: "current", code: "bad_index", message: LocalizedText(
                vi: "Chỉ số công tơ là số nguyên không âm", en: "A meter index is a whole number, not negative"))])
        }
        guard current >= previous else {
            return .invalid([FieldError(field: "current", code: "index_below_last", message: LocalizedText(
                vi: "Chỉ số mới \(current) thấp hơn chỉ số lần trước \(previous)", en: "The new index \(current) is below the last one, \(previous)"))])
        }
        return .valid(MeterReading(previous: previous, current: current))
    }
}
