import ChoSoCore
import Fluent
import Foundation

/// An indicator of the catalogue, as the administrator may edit it.
final class IndicatorDefinitionModel: Model, @unchecked Sendable {
    static let schema = "indicator_definitions"

    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "position") var position: Int
    @Field(key: "name_vi") var nameVI: String
    @Field(key: "name_en") var nameEN: String
    @Field(key: "pillar") var pillar: String
    @Field(key: "unit") var unit: String
    @Field(key: "numerator") var numerator: String
    /// "measure:households.registered" or "baseline:households"; nil for a count or an amount.
    @OptionalField(key: "denominator") var denominator: String?
    @Field(key: "source_note") var sourceNote: String

    init() {}

    init(_ definition: IndicatorDefinition, position: Int) {
        id = definition.code
        self.position = position
        nameVI = definition.name.vi
        nameEN = definition.name.en
        pillar = definition.pillar.rawValue
        unit = definition.unit.rawValue
        numerator = definition.numerator
        denominator = definition.denominator?.key
        sourceNote = Self.sourceNote(definition)
    }

    /// nil when a stored row names a pillar, unit or denominator this version does not know.
    var definition: IndicatorDefinition? {
        guard let code = id, let pillar = IndicatorPillar(rawValue: pillar), let unit = IndicatorUnit(rawValue: unit) else { return nil }
        var parsed: IndicatorDenominator?
        if let denominator {
            let parts = denominator.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            switch parts[0] {
            case "measure": parsed = .measure(parts[1])
            case "baseline": parsed = .baseline(parts[1])
            default: return nil
            }
        }
        return IndicatorDefinition(code: code, name: LocalizedText(vi: nameVI, en: nameEN), pillar: pillar, unit: unit, numerator: numerator, denominator: parsed)
    }

    static func sourceNote(_ definition: IndicatorDefinition) -> String {
        let numerator = IndicatorMeasure(rawValue: definition.numerator)?.label.vi ?? definition.numerator
        switch definition.denominator {
        case .baseline(let kind)?:
            let official = IndicatorBaselineKind(rawValue: kind)?.label.vi ?? kind
            return "Tử số: \(numerator), từ sổ của ChoSo. Mẫu số: \(official), theo số liệu cán bộ xã nhập."
        case .measure(let code)?:
            return "Tử số: \(numerator). Mẫu số: \(IndicatorMeasure(rawValue: code)?.label.vi ?? code). Cả hai từ sổ của ChoSo."
        case nil:
            return "\(numerator), từ sổ của ChoSo."
        }
    }
}

/// An official number of households, adults or people for a unit on a date, with its source.
final class IndicatorBaselineModel: Model, @unchecked Sendable {
    static let schema = "indicator_baselines"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: String
    @Field(key: "kind") var kind: String
    @Field(key: "as_of") var asOf: String
    @Field(key: "value") var value: Int64
    @Field(key: "source") var source: String
    @OptionalField(key: "entered_by") var enteredBy: UUID?
    @Field(key: "entered_at") var enteredAt: Date

    init() {}
}

/// A target for a unit, indicator and period, with the plan or resolution that set it.
final class IndicatorTargetModel: Model, @unchecked Sendable {
    static let schema = "indicator_targets"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: String
    @Field(key: "code") var code: String
    @Field(key: "period") var period: String
    /// Hundredths of a percent, or a count, or đồng (the indicator's unit).
    @Field(key: "value") var value: Int64
    @Field(key: "plan_number") var planNumber: String
    @Field(key: "plan_date") var planDate: String
    @Field(key: "issuer") var issuer: String
    @Field(key: "is_demo") var isDemo: Bool

    init() {}
}

/// A frozen period report: the figures as they stood when an officer froze them, with who and when.
final class IndicatorReportModel: Model, @unchecked Sendable {
    static let schema = "indicator_reports"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: String
    @Field(key: "tree") var tree: String
    @Field(key: "period") var period: String
    @Field(key: "version") var version: Int
    /// The `IndicatorService.Table` as JSON.
    @Field(key: "content") var content: String
    @OptionalField(key: "frozen_by") var frozenBy: UUID?
    @Field(key: "frozen_by_name") var frozenByName: String
    @Field(key: "frozen_at") var frozenAt: Date

    init() {}

    var table: IndicatorService.Table? { CommunityJSON.decode(IndicatorService.Table.self, content) }
}
