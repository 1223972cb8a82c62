import ChoSoCore
import Vapor

/// An indicator of the catalogue on the wire.
struct IndicatorDefinitionDTO: Content {
    var code: String
    var name: String
    var nameEn: String
    var pillar: String
    var unit: String
    var numerator: String
    @ExplicitNull var denominator: String?

    init(_ definition: IndicatorDefinition) {
        code = definition.code
        name = definition.name.vi
        nameEn = definition.name.en
        pillar = definition.pillar.rawValue
        unit = definition.unit.rawValue
        numerator = definition.numerator
        denominator = definition.denominator?.key
    }
}

/// One indicator's figure for a unit: n, N and which N, the value (a percentage, a count or
/// đồng), the target in the same terms and what is still missing in the numerator's own unit.
struct IndicatorFigureDTO: Content {
    var code: String
    var numerator: Int64
    @ExplicitNull var denominator: Int64?
    @ExplicitNull var denominatorSource: String?
    @ExplicitNull var value: Double?
    @ExplicitNull var target: Double?
    @ExplicitNull var gap: Int64?
    @ExplicitNull var gapText: String?

    init(_ result: IndicatorResult, unit: IndicatorUnit, language: Language) {
        code = result.code
        numerator = result.numerator
        denominator = result.denominator
        denominatorSource = result.denominatorSource
        let scale: Double = unit == .percent ? 100 : 1
        value = result.valueHundredths.map { Double($0) / scale }
        target = result.targetHundredths.map { Double($0) / scale }
        gap = result.gap
        gapText = nil
    }
}

struct UnitIndicatorsDTO: Content {
    var id: String
    var name: String
    var type: String
    /// Households registered in ChoSo over the official count.
    @ExplicitNull var coverage: IndicatorFigureDTO?
    var indicators: [IndicatorFigureDTO]
}

struct IndicatorTableDTO: Content {
    var asOf: String
    var tree: String
    /// The day whose unit tree the figures are placed on (30/6/2025 for the former tree).
    var treeDate: String
    var period: String
    var unit: UnitIndicatorsDTO
    var units: [UnitIndicatorsDTO]

    init(_ table: IndicatorService.Table, language: Language) {
        asOf = table.query.asOf.iso
        tree = table.query.tree.rawValue
        treeDate = table.treeDay.iso
        period = table.query.period.description
        let definitions = Dictionary(uniqueKeysWithValues: table.definitions.map { ($0.code, $0) })
        func dto(_ figures: IndicatorService.UnitFigures) -> UnitIndicatorsDTO {
            UnitIndicatorsDTO(
                id: figures.unit.id, name: figures.unit.name, type: figures.unit.type.rawValue,
                coverage: figures.coverage.map { IndicatorFigureDTO($0, unit: .percent, language: language) },
                indicators: figures.results.map { result in
                    var figure = IndicatorFigureDTO(result, unit: definitions[result.code]?.unit ?? .count, language: language)
                    let measure = definitions[result.code].flatMap { IndicatorMeasure(rawValue: $0.numerator) }
                    figure.gapText = result.gapText(numerator: measure)?.text(in: language)
                    return figure
                })
        }
        unit = dto(table.unit)
        units = table.children.map(dto)
    }
}

/// A frozen report in a list.
struct IndicatorReportSummaryDTO: Content {
    var id: String
    var unitId: String
    var tree: String
    var period: String
    var version: Int
    var frozenAt: Date
    var frozenBy: String

    init(_ model: IndicatorReportModel) {
        id = model.id?.uuidString.lowercased() ?? ""
        unitId = model.unitID
        tree = model.tree
        period = model.period
        version = model.version
        frozenAt = model.frozenAt
        frozenBy = model.frozenByName
    }
}

/// One indicator of one unit that differs between two versions, or since the freeze.
struct IndicatorChangeDTO: Content {
    var unitId: String
    var code: String
    @ExplicitNull var beforeNumerator: Int64?
    @ExplicitNull var beforeDenominator: Int64?
    @ExplicitNull var afterNumerator: Int64?
    @ExplicitNull var afterDenominator: Int64?

    init(_ change: IndicatorSnapshot.Change) {
        unitId = change.unitID
        code = change.code
        beforeNumerator = change.before?.numerator
        beforeDenominator = change.before?.denominator
        afterNumerator = change.after?.numerator
        afterDenominator = change.after?.denominator
    }
}

/// A frozen report: its figures as frozen, what changed from the version before, and whether
/// data has arrived for its period since (`late`).
struct IndicatorReportDTO: Content {
    var report: IndicatorReportSummaryDTO
    var late: Bool
    var figures: IndicatorTableDTO
    var changesSincePrevious: [IndicatorChangeDTO]
    var lateChanges: [IndicatorChangeDTO]

    init(_ frozen: IndicatorReportService.Frozen, language: Language) {
        report = IndicatorReportSummaryDTO(frozen.model)
        late = !frozen.lateChanges.isEmpty
        figures = IndicatorTableDTO(frozen.table, language: language)
        changesSincePrevious = frozen.changesSincePrevious.map(IndicatorChangeDTO.init)
        lateChanges = frozen.lateChanges.map(IndicatorChangeDTO.init)
    }
}
