/// An amount of Vietnamese đồng. Always whole đồng in an `Int64`: the đồng has no minor unit in use,
/// and floating point never touches money (DESIGN.md §5).
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var dong: Int64

    public init(dong: Int64) { self.dong = dong }

    public static let zero = Money(dong: 0)

    /// An amount as people type it (`Money.parseTyped`): "50.000", "50 000", "50000 đ"; 0 is a
    /// number here (`choso say 0`), an entry refuses it with `parseTyped`. Nil for anything else:
    /// "1,5" and "12.5" used to be read as 15 đ and 125 đ. Callers that show the reason use
    /// `parseTyped`.
    public init?(typed text: String) {
        guard case .success(let money) = Money.parseTyped(text, allowZero: true) else { return nil }
        self = money
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.dong < rhs.dong }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(dong: lhs.dong + rhs.dong) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(dong: lhs.dong - rhs.dong) }

    /// `50.000 đ`: dot-grouped thousands, as Vietnamese receipts and bank apps write it.
    public var formatted: String { "\(Money.groupDigits(dong)) đ" }

    public var description: String { formatted }

    public init(from decoder: Decoder) throws {
        dong = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dong)
    }

    /// Groups digits by three with dots: 1234567 → "1.234.567".
    public static func groupDigits(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }
}
