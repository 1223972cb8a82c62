/// The three pillars of Resolution 07-NQ/TU's digital transformation.
public enum IndicatorPillar: String, Sendable, Hashable, CaseIterable, Codable {
    case government, economy, society

    public var label: LocalizedText {
        switch self {
        case .government: LocalizedText(vi: "Chính quyền số", en: "Digital government")
        case .economy: LocalizedText(vi: "Kinh tế số", en: "Digital economy")
        case .society: LocalizedText(vi: "Xã hội số", en: "Digital society")
        }
    }
}

/// What an indicator's value is counted in.
public enum IndicatorUnit: String, Sendable, Hashable, CaseIterable, Codable {
    case percent, count, dong
}

/// Where an indicator's N comes from: another measure of ChoSo's records, or an official
/// baseline (the statistics office's households, a commune report's adults).
public enum IndicatorDenominator: Sendable, Hashable, Codable {
    case measure(String)
    case baseline(String)

    public var key: String {
        switch self {
        case .measure(let code): "measure:\(code)"
        case .baseline(let kind): "baseline:\(kind)"
        }
    }
}

/// An indicator of the catalogue: numerator / denominator in its unit, computed from records.
public struct IndicatorDefinition: Sendable, Hashable, Codable {
    public var code: String
    public var name: LocalizedText
    public var pillar: IndicatorPillar
    public var unit: IndicatorUnit
    public var numerator: String
    /// nil for a count or an amount.
    public var denominator: IndicatorDenominator?

    public init(code: String, name: LocalizedText, pillar: IndicatorPillar, unit: IndicatorUnit, numerator: String, denominator: IndicatorDenominator?) {
        self.code = code
        self.name = name
        self.pillar = pillar
        self.unit = unit
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// A baseline number with where it comes from ("Chi cục Thống kê, 01/04/2025").
public struct IndicatorBaseline: Sendable, Hashable, Codable {
    public var value: Int64
    public var source: String

    public init(value: Int64, source: String) {
        self.value = value
        self.source = source
    }
}

/// A figure for one unit: n, N and which N, the value, the target and what is still missing.
public struct IndicatorResult: Sendable, Hashable, Codable {
    public var code: String
    public var numerator: Int64
    public var denominator: Int64?
    /// "measure:households.registered" or the baseline's source.
    public var denominatorSource: String?
    /// A percentage in hundredths (8750 = 87,50 %), or the count or đồng itself; nil when N is 0
    /// or unknown.
    public var valueHundredths: Int64?
    /// The target in the same terms (a percentage in hundredths, a count, đồng).
    public var targetHundredths: Int64?
    /// What is missing to reach the target, in the numerator's own unit (households, stalls,
    /// đồng); 0 once reached, nil without a target or an N.
    public var gap: Int64?

    /// Evaluates `definition` on a unit's counts; `baseline` is the unit's official number when the
    /// denominator is one; `target` is in hundredths of a percent, or a count / đồng.
    public static func evaluate(_ definition: IndicatorDefinition, counts: MeasureCounts, baseline: IndicatorBaseline?,
                                target: Int64?) -> IndicatorResult {
        let n = counts[definition.numerator]
        var denominator: Int64?
        var source: String?
        switch definition.denominator {
        case .measure(let code)?:
            denominator = counts[code]
            source = "measure:\(code)"
        case .baseline?:
            denominator = baseline?.value
            source = baseline?.source
        case nil:
            break
        }
        var result = IndicatorResult(code: definition.code, numerator: n, denominator: denominator, denominatorSource: source,
                                     valueHundredths: nil, targetHundredths: target, gap: nil)
        if definition.unit == .percent {
            if let big = denominator, big > 0 { result.valueHundredths = roundedDivision(n * 10_000, big) }
            if let target, let big = denominator, big > 0 {
                // The households (or stalls) still needed: ceil(target × N) − n, never below zero.
                let needed = (target * big + 9_999) / 10_000
                result.gap = max(0, needed - n)
            }
        } else {
            result.valueHundredths = n
            if let target { result.gap = max(0, target - n) }
        }
        return result
    }

    private static func roundedDivision(_ numerator: Int64, _ denominator: Int64) -> Int64 {
        (numerator + denominator / 2) / denominator
    }

    /// "Đạt chỉ tiêu" or "Còn thiếu 312 hộ" (in the numerator's own unit), nil without a gap.
    public func gapText(numerator measure: IndicatorMeasure?) -> LocalizedText? {
        guard let gap else { return nil }
        if gap == 0 { return LocalizedText(vi: "Đạt chỉ tiêu", en: "Target reached") }
        let noun = measure?.noun ?? LocalizedText(vi: "", en: "")
        let count = Money.groupDigits(gap)
        return LocalizedText(vi: "Còn thiếu \(count) \(noun.vi)".trimmingCharacters(in: .whitespaces),
                             en: "\(count) \(noun.en) short".replacingOccurrences(of: "  ", with: " "))
    }
}

extension IndicatorResult {
    /// A figure as read aloud in a report: "56,44 %", "12", "1.234.000 đ"; "—" without one.
    public static func text(_ value: Int64?, unit: IndicatorUnit) -> String {
        guard let value else { return "—" }
        switch unit {
        case .percent:
            let whole = Money.groupDigits(value / 100)
            let hundredths = value.magnitude % 100
            let fraction = hundredths == 0 ? "" : hundredths % 10 == 0 ? ",\(hundredths / 10)" : String(format: ",%02d", hundredths)
            return "\(value < 0 ? "-" : "")\(whole)\(fraction) %"
        case .count: return Money.groupDigits(value)
        case .dong: return Money(dong: value).formatted
        }
    }

    /// "46 / 8.150", so a share is never read without its N — "46 / ?" while the official count
    /// is missing; nil for a count or an amount.
    public func fraction(of definition: IndicatorDefinition) -> String? {
        guard definition.denominator != nil else { return nil }
        return "\(Money.groupDigits(numerator)) / \(denominator.map(Money.groupDigits) ?? "?")"
    }
}
