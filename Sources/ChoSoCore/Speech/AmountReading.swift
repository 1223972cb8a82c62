/// Amounts read out in Vietnamese, in full and with the unit, always: 200 → "hai trăm đồng",
/// 200000 → "hai trăm nghìn đồng" (DESIGN.md §5). A speaker that says only "hai trăm" lets a
/// 200 đ transfer pass for 200.000 đ; this reading cannot be mistaken.
public struct AmountReading: Sendable, Hashable {
    /// Zero tens after hundreds: "lẻ" (south) or "linh" (north).
    public enum ZeroTens: String, Sendable, CaseIterable { case le = "lẻ", linh }
    public enum Thousand: String, Sendable, CaseIterable { case nghin = "nghìn", ngan = "ngàn" }
    /// A final 4 after "mươi": "tư" or "bốn".
    public enum Four: String, Sendable, CaseIterable { case tu = "tư", bon = "bốn" }

    public var zeroTens: ZeroTens
    public var thousand: Thousand
    public var four: Four

    public init(zeroTens: ZeroTens = .le, thousand: Thousand = .ngan, four: Four = .tu) {
        self.zeroTens = zeroTens
        self.thousand = thousand
        self.four = four
    }

    /// Mekong Delta usage: lẻ, ngàn, tư.
    public static let south = AmountReading(zeroTens: .le, thousand: .ngan, four: .tu)
    /// Northern usage: linh, nghìn, tư.
    public static let north = AmountReading(zeroTens: .linh, thousand: .nghin, four: .tu)

    private static let digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]

    /// The amount in words followed by "đồng"; negative amounts start with "âm".
    public func words(_ amount: Int64) -> String {
        (amount < 0 ? "âm " : "") + number(amount.magnitude) + " đồng"
    }

    /// The number alone, without the unit.
    public func number(_ value: UInt64) -> String {
        if value == 0 { return Self.digits[0] }
        // Groups of three digits, least significant first.
        var groups: [Int] = []
        var rest = value
        while rest > 0 {
            groups.append(Int(rest % 1000))
            rest /= 1000
        }
        var words: [String] = []
        for index in stride(from: groups.count - 1, through: 0, by: -1) where groups[index] != 0 {
            let leading = index == groups.count - 1
            words.append(group(groups[index], full: !leading))
            if let scale = scaleWord(index) { words.append(scale) }
        }
        return words.joined(separator: " ")
    }

    /// nghìn, triệu, tỷ, then nghìn tỷ, triệu tỷ… as Vietnamese counts past a billion.
    private func scaleWord(_ index: Int) -> String? {
        switch index % 3 {
        case 1: return ([thousand.rawValue] + Array(repeating: "tỷ", count: index / 3)).joined(separator: " ")
        case 2: return (["triệu"] + Array(repeating: "tỷ", count: index / 3)).joined(separator: " ")
        default: return index == 0 ? nil : Array(repeating: "tỷ", count: index / 3).joined(separator: " ")
        }
    }

    /// One group of three digits. Inside a larger number (`full`) the hundreds are always said,
    /// "không trăm" included: 1.005.000 is "một triệu không trăm lẻ năm nghìn".
    private func group(_ value: Int, full: Bool) -> String {
        let hundreds = value / 100, tens = (value / 10) % 10, units = value % 10
        var words: [String] = []
        if full || hundreds > 0 {
            words += [Self.digits[hundreds], "trăm"]
        }
        let saidHundreds = !words.isEmpty
        switch tens {
        case 0:
            if units > 0 {
                if saidHundreds { words.append(zeroTens.rawValue) }
                words.append(Self.digits[units])
            }
        case 1:
            words.append("mười")
            if units == 5 { words.append("lăm") } else if units > 0 { words.append(Self.digits[units]) }
        default:
            words += [Self.digits[tens], "mươi"]
            switch units {
            case 0: break
            case 1: words.append("mốt")
            case 4: words.append(four.rawValue)
            case 5: words.append("lăm")
            default: words.append(Self.digits[units])
            }
        }
        return words.joined(separator: " ")
    }
}
