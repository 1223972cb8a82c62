import ChoSoCore
import Foundation

/// A figures table as the pages show it: one row per unit (the unit itself first, then the units
/// below it), one cell per indicator with its value, n / N, target and gap; and the charts.
struct IndicatorTableView: Encodable, Sendable {
    struct Column: Encodable, Sendable { var code: String, name: String, unit: String }
    struct Cell: Encodable, Sendable {
        var value: String
        var fraction: String
        var hasFraction: Bool
        var target: String
        var hasTarget: Bool
        var gap: String
        /// For the template: Leaf treats an empty string as true.
        var hasGap: Bool
        var reached: Bool
        var source: String
    }
    struct Row: Encodable, Sendable {
        var id: String
        var name: String
        var isTotal: Bool
        /// Where its own table is (a drill-down), nil for a hamlet.
        var link: String?
        var coverage: String
        var cells: [Cell]
    }

    var columns: [Column]
    var rows: [Row]
    var charts: [String]

    init(_ table: IndicatorService.Table, language: Language) {
        let definitions = table.definitions
        columns = definitions.map { Column(code: $0.code, name: $0.name.text(in: language), unit: IndicatorSheet.unitLabel($0.unit)) }
        func cells(_ figures: IndicatorService.UnitFigures) -> [Cell] {
            zip(definitions, figures.results).map { definition, result in
                let gap = result.gapText(numerator: IndicatorMeasure(rawValue: definition.numerator))?.text(in: language)
                return Cell(
                    value: IndicatorResult.text(result.valueHundredths, unit: definition.unit), fraction: result.fraction(of: definition) ?? "",
                    hasFraction: definition.denominator != nil,
                    target: IndicatorResult.text(result.targetHundredths, unit: definition.unit), hasTarget: result.targetHundredths != nil,
                    gap: gap ?? "", hasGap: gap != nil, reached: result.gap == 0, source: Self.source(result.denominatorSource, language: language))
            }
        }
        let query = "tree=\(table.query.tree.rawValue)&period=\(table.query.period)&asOf=\(table.query.asOf.iso)"
        func row(_ figures: IndicatorService.UnitFigures, isTotal: Bool) -> Row {
            let leaf = figures.unit.type == .hamlet
            return Row(
                id: figures.unit.id, name: figures.unit.name, isTotal: isTotal,
                link: leaf || isTotal ? nil : "/indicators/\(figures.unit.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? figures.unit.id)?\(query)",
                coverage: figures.coverage.map { "\(IndicatorResult.text($0.valueHundredths, unit: .percent)) (\($0.fraction(of: IndicatorService.coverage) ?? ""))" } ?? "—",
                cells: cells(figures))
        }
        rows = [row(table.unit, isTotal: true)] + table.children.map { row($0, isTotal: false) }
        charts = Self.charts(table, language: language)
    }

    /// "measure:stalls" → "Quầy, sạp (sổ ChoSo)"; an official source as given.
    static func source(_ source: String?, language: Language) -> String {
        guard let source else { return "" }
        guard source.hasPrefix("measure:") else { return source }
        let label = IndicatorMeasure(rawValue: String(source.dropFirst(8)))?.label.text(in: language) ?? source
        return LocalizedText(vi: "\(label) (sổ ChoSo)", en: "\(label) (ChoSo's records)").text(in: language)
    }

    /// The unit's shares against their targets, and the first share across the units below it.
    static func charts(_ table: IndicatorService.Table, language: Language) -> [String] {
        let percent = zip(table.definitions, table.unit.results).filter { $0.0.unit == .percent && $0.1.valueHundredths != nil }
        var charts: [String] = []
        if !percent.isEmpty {
            charts.append(BarChart(title: LocalizedText(vi: "\(table.unit.unit.name): tỷ lệ đạt", en: "\(table.unit.unit.name): shares").text(in: language),
                                   bars: percent.map { definition, result in
                let value = result.valueHundredths ?? 0
                let target = result.targetHundredths.map { " / \(IndicatorResult.text($0, unit: .percent))" } ?? ""
                return BarChart.Bar(label: definition.code, value: value, title: "\(definition.name.text(in: language)): \(IndicatorResult.text(value, unit: .percent))\(target)",
                                    valueLabel: IndicatorResult.text(value, unit: .percent))
            }, width: 480, height: 240, valueAxis: "%", categoryAxis: LocalizedText(vi: "chỉ tiêu", en: "indicator").text(in: language)).svg)
        }
        if let first = percent.first?.0, let index = table.definitions.firstIndex(of: first), !table.children.isEmpty {
            let bars = table.children.compactMap { child -> BarChart.Bar? in
                let result = child.results[index]
                guard let value = result.valueHundredths else { return nil }
                return BarChart.Bar(label: String(child.unit.name.prefix(12)), value: value,
                                    title: "\(child.unit.name): \(IndicatorResult.text(value, unit: .percent)) (\(result.fraction(of: first) ?? ""))",
                                    valueLabel: IndicatorResult.text(value, unit: .percent))
            }
            if !bars.isEmpty {
                charts.append(BarChart(title: "\(first.code) — \(first.name.text(in: language))", bars: bars, width: 480, height: 240,
                                       valueAxis: "%", categoryAxis: LocalizedText(vi: "đơn vị", en: "unit").text(in: language)).svg)
            }
        }
        return charts
    }
}
