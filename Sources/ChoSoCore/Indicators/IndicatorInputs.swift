/// An official number as an officer types it or a sheet holds it, checked.
public struct IndicatorBaselineEntry: Sendable, Hashable {
    public var unitID: String
    public var kind: IndicatorBaselineKind
    public var asOf: Day
    public var value: Int64
    public var source: String
}

/// A target as an officer types it, checked: the value in the indicator's own terms (hundredths
/// of a percent, a count, đồng) with the plan that set it.
public struct IndicatorTargetEntry: Sendable, Hashable {
    public var unitID: String
    public var code: String
    public var period: IndicatorPeriod
    public var value: Int64
    public var planNumber: String
    public var planDate: Day
    public var issuer: String
}

public enum IndicatorInputs {
    /// "2025-04-01" or "01/04/2025".
    public static func day(_ raw: String) -> Day? {
        let text = TextNormalization.clean(raw)
        if let day = Day(iso: text) { return day }
        // A date cell of a workbook arrives as its serial number (days since 30/12/1899).
        if let serial = Int(text), (36_526...73_050).contains(serial) {
            return Day(year: 1899, month: 12, day: 30).adding(days: serial)
        }
        let parts = text.split(separator: "/").map(String.init)
        guard parts.count == 3, let dd = Int(parts[0]), let mm = Int(parts[1]), let yyyy = Int(parts[2]), parts[2].count == 4 else { return nil }
        return Day(iso: String(format: "%04d-%02d-%02d", yyyy, mm, dd))
    }

    /// A whole number written the Vietnamese way ("8.150", "8 150") or plainly.
    /// A dot or a space only groups thousands ("2.5" is not 25, it is refused).
    public static func wholeNumber(_ raw: String) -> Int64? {
        let text = TextNormalization.clean(raw)
        let groups = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == " " }).map(String.init)
        guard let first = groups.first, !first.isEmpty, first.count <= (groups.count == 1 ? 15 : 3),
              groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        let digits = groups.joined()
        guard digits.count <= 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }

    /// A percentage in hundredths: "80", "80,5", "80.25", "80 %".
    public static func percentHundredths(_ raw: String) -> Int64? {
        var text = TextNormalization.clean(raw).replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
        text = text.replacingOccurrences(of: ",", with: ".")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), parts[0].allSatisfy(\.isNumber), parts[0].count <= 3 else { return nil }
        var hundredths: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy(\.isNumber), let digits = Int64(fraction) else { return nil }
            hundredths = fraction.count == 1 ? digits * 10 : digits
        }
        let value = whole * 100 + hundredths
        return value <= 10_000 ? value : nil
    }

    public static func kind(_ raw: String) -> IndicatorBaselineKind? {
        let key = TextNormalization.searchKey(raw)
        if let kind = IndicatorBaselineKind(rawValue: key) { return kind }
        switch key {
        case "so ho", "ho", "ho gia dinh", "so ho chinh thuc": return .households
        case "nguoi truong thanh", "so nguoi truong thanh", "nguoi tu 15 tuoi": return .adults
        case "dan so", "so dan", "nhan khau": return .population
        default: return IndicatorBaselineKind.allCases.first { TextNormalization.searchKey($0.label.vi) == key }
        }
    }

    public static func baseline(unitID: String, kind kindText: String, date dateText: String, value valueText: String, source sourceText: String,
                                knownUnits: Set<String>, today: Day) -> Validated<IndicatorBaselineEntry> {
        var problems: [FieldError] = []
        let unit = TextNormalization.clean(unitID)
        if !knownUnits.contains(unit) {
            problems.append(FieldError(field: "unit", code: "unknown_unit", message: LocalizedText(
                vi: "không có đơn vị mã \"\(unit.prefix(40))\" trong phạm vi của bạn", en: "no unit \"\(unit.prefix(40))\" within your units")))
        }
        let kind = kind(kindText)
        if kind == nil {
            problems.append(FieldError(field: "kind", code: "bad_kind", message: LocalizedText(
                vi: "loại số liệu phải là số hộ, số người trưởng thành hoặc dân số", en: "the kind must be households, adults or population")))
        }
        let day = day(dateText)
        if day == nil || day! > today || day!.year < 2000 {
            problems.append(FieldError(field: "date", code: "bad_date", message: LocalizedText(
                vi: "ngày số liệu phải có dạng 01/04/2025 và không ở tương lai", en: "the date must read 01/04/2025 (or 2025-04-01) and not be in the future")))
        }
        let value = wholeNumber(valueText)
        if value == nil || value! < 1 || value! > 100_000_000 {
            problems.append(FieldError(field: "value", code: "bad_value", message: LocalizedText(
                vi: "số phải là số nguyên từ 1 đến 100.000.000", en: "the number must be a whole number from 1 to 100,000,000")))
        }
        let source = TextNormalization.clean(sourceText)
        if source.isEmpty || source.count > 200 {
            problems.append(FieldError(field: "source", code: "bad_source", message: LocalizedText(
                vi: "ghi nguồn số liệu (tối đa 200 ký tự), ví dụ: Chi cục Thống kê", en: "name the source (at most 200 characters), e.g. the statistics office")))
        }
        guard problems.isEmpty, let kind, let day, let value else { return .invalid(problems) }
        return .valid(IndicatorBaselineEntry(unitID: unit, kind: kind, asOf: day, value: value, source: source))
    }

    public static func target(unitID: String, definition: IndicatorDefinition?, period periodText: String, value valueText: String,
                              planNumber: String, planDate: String, issuer: String, knownUnits: Set<String>, today: Day) -> Validated<IndicatorTargetEntry> {
        var problems: [FieldError] = []
        let unit = TextNormalization.clean(unitID)
        if !knownUnits.contains(unit) {
            problems.append(FieldError(field: "unit", code: "unknown_unit", message: LocalizedText(
                vi: "không có đơn vị mã \"\(unit.prefix(40))\" trong phạm vi của bạn", en: "no unit \"\(unit.prefix(40))\" within your units")))
        }
        if definition == nil {
            problems.append(FieldError(field: "code", code: "unknown_indicator", message: LocalizedText(vi: "chọn một chỉ tiêu trong danh mục", en: "choose an indicator of the catalogue")))
        }
        let period = IndicatorPeriod(TextNormalization.clean(periodText))
        if period == nil {
            problems.append(FieldError(field: "period", code: "bad_period", message: LocalizedText(
                vi: "kỳ phải có dạng 2026-10 (tháng), 2026-Q3 (quý) hoặc 2030 (năm)", en: "the period must be 2026-10 (month), 2026-Q3 (quarter) or 2030 (year)")))
        }
        var value: Int64?
        if let definition {
            value = definition.unit == .percent ? percentHundredths(valueText) : wholeNumber(valueText)
            if value == nil {
                problems.append(FieldError(field: "value", code: "bad_value", message: definition.unit == .percent
                    ? LocalizedText(vi: "tỷ lệ từ 0 đến 100, ví dụ 80 hoặc 80,5", en: "a percentage from 0 to 100, e.g. 80 or 80.5")
                    : LocalizedText(vi: "số nguyên không âm, ví dụ 12", en: "a whole number, e.g. 12")))
            }
        }
        let number = TextNormalization.clean(planNumber), issuerText = TextNormalization.clean(issuer)
        if number.isEmpty || number.count > 60 {
            problems.append(FieldError(field: "planNumber", code: "bad_plan", message: LocalizedText(
                vi: "ghi số văn bản đặt chỉ tiêu, ví dụ 07-NQ/TU", en: "give the number of the plan or resolution, e.g. 07-NQ/TU")))
        }
        let date = day(planDate)
        if date == nil || date! > today {
            problems.append(FieldError(field: "planDate", code: "bad_date", message: LocalizedText(
                vi: "ngày văn bản phải có dạng 27/10/2021 và không ở tương lai", en: "the plan's date must read 27/10/2021 and not be in the future")))
        }
        if issuerText.isEmpty || issuerText.count > 120 {
            problems.append(FieldError(field: "issuer", code: "bad_issuer", message: LocalizedText(
                vi: "ghi cơ quan ban hành, ví dụ UBND xã", en: "name the issuing body, e.g. the commune's people's committee")))
        }
        guard problems.isEmpty, let definition, let period, let value, let date else { return .invalid(problems) }
        return .valid(IndicatorTargetEntry(unitID: unit, code: definition.code, period: period, value: value, planNumber: number, planDate: date, issuer: issuerText))
    }

    /// Baselines from a sheet with the columns Mã đơn vị | Loại | Ngày | Số | Nguồn (in any order,
    /// under a header row in the first 20 rows): every row checked, all or nothing.
    public static func baselines(_ table: [[String]], knownUnits: Set<String>, today: Day) -> Result<[IndicatorBaselineEntry], Statement.Failure> {
        let columns: [(key: String, names: Set<String>)] = [
            ("unit", ["ma don vi", "ma dvhc", "don vi", "unit"]), ("kind", ["loai", "loai so lieu", "kind"]), ("date", ["ngay", "ngay so lieu", "date"]),
            ("value", ["so", "so luong", "gia tri", "value"]), ("source", ["nguon", "nguon so lieu", "source"]),
        ]
        guard let headerIndex = table.prefix(20).firstIndex(where: { row in
            let keys = Set(row.map(TextNormalization.searchKey))
            return columns.allSatisfy { !$0.names.isDisjoint(with: keys) }
        }) else {
            return .failure(.noHeader(LocalizedText(
                vi: "Không thấy dòng tiêu đề có đủ các cột Mã đơn vị, Loại, Ngày, Số, Nguồn trong 20 dòng đầu",
                en: "No header row with the columns Mã đơn vị, Loại, Ngày, Số, Nguồn in the first 20 rows")))
        }
        var index: [String: Int] = [:]
        for (position, header) in table[headerIndex].enumerated() {
            let key = TextNormalization.searchKey(header)
            if let column = columns.first(where: { $0.names.contains(key) }), index[column.key] == nil { index[column.key] = position }
        }
        var entries: [IndicatorBaselineEntry] = [], errors: [Statement.RowError] = [], seen: [String: Int] = [:]
        for (offset, cells) in table.enumerated().dropFirst(headerIndex + 1) {
            let line = offset + 1
            func cell(_ key: String) -> String { index[key].flatMap { $0 < cells.count ? cells[$0] : nil } ?? "" }
            if columns.allSatisfy({ TextNormalization.clean(cell($0.key)).isEmpty }) { continue }
            let checked = baseline(unitID: cell("unit"), kind: cell("kind"), date: cell("date"), value: cell("value"), source: cell("source"),
                                   knownUnits: knownUnits, today: today)
            var problems = checked.errors.map(\.message)
            if case .valid(let entry) = checked {
                let key = "\(entry.unitID)|\(entry.kind.rawValue)|\(entry.asOf.iso)"
                if let first = seen[key] { problems.append(LocalizedText(vi: "trùng với dòng \(first)", en: "the same as row \(first)")) } else { seen[key] = line }
                if problems.isEmpty { entries.append(entry) }
            }
            if !problems.isEmpty {
                errors.append(Statement.RowError(line: line, message: LocalizedText(
                    vi: "Dòng \(line): " + problems.map(\.vi).joined(separator: "; "), en: "Row \(line): " + problems.map(\.en).joined(separator: "; "))))
            }
        }
        if !errors.isEmpty { return .failure(.rows(errors)) }
        if entries.isEmpty { return .failure(.noHeader(LocalizedText(vi: "Tệp không có dòng số liệu nào", en: "The file has no rows of figures"))) }
        return .success(entries)
    }
}

extension IndicatorInputs {
    /// An indicator of the catalogue as the administrator types it: a code such as "XH-06", the
    /// names, a numerator among ChoSo's measures and, for a percentage, a denominator.
    public static func definition(code codeText: String, nameVI: String, nameEN: String, pillar pillarText: String, unit unitText: String,
                                  numerator numeratorText: String, denominator denominatorText: String) -> Validated<IndicatorDefinition> {
        var problems: [FieldError] = []
        let code = TextNormalization.clean(codeText).uppercased()
        if code.isEmpty || code.count > 12 || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) {
            problems.append(FieldError(field: "code", code: "bad_code", message: LocalizedText(
                vi: "mã chỉ tiêu gồm chữ, số và dấu gạch, tối đa 12 ký tự, ví dụ XH-06", en: "the code is letters, digits and dashes, at most 12, e.g. XH-06")))
        }
        let vi = TextNormalization.clean(nameVI), en = TextNormalization.clean(nameEN)
        if vi.isEmpty || vi.count > 200 {
            problems.append(FieldError(field: "nameVi", code: "bad_name", message: LocalizedText(vi: "ghi tên chỉ tiêu (tối đa 200 ký tự)", en: "give the Vietnamese name (at most 200 characters)")))
        }
        if en.count > 200 {
            problems.append(FieldError(field: "nameEn", code: "bad_name", message: LocalizedText(vi: "tên tiếng Anh tối đa 200 ký tự", en: "the English name is at most 200 characters")))
        }
        let pillar = IndicatorPillar(rawValue: TextNormalization.clean(pillarText))
        if pillar == nil {
            problems.append(FieldError(field: "pillar", code: "bad_pillar", message: LocalizedText(vi: "chọn một trụ cột", en: "choose a pillar")))
        }
        let unit = IndicatorUnit(rawValue: TextNormalization.clean(unitText))
        let numerator = IndicatorMeasure(rawValue: TextNormalization.clean(numeratorText))
        if numerator == nil {
            problems.append(FieldError(field: "numerator", code: "unknown_measure", message: LocalizedText(vi: "chọn tử số trong các số đo của ChoSo", en: "choose the numerator among ChoSo's measures")))
        }
        var denominator: IndicatorDenominator?
        let denominatorKey = TextNormalization.clean(denominatorText)
        if denominatorKey.hasPrefix("measure:"), let measure = IndicatorMeasure(rawValue: String(denominatorKey.dropFirst(8))) {
            denominator = .measure(measure.rawValue)
        } else if denominatorKey.hasPrefix("baseline:"), let kind = IndicatorBaselineKind(rawValue: String(denominatorKey.dropFirst(9))) {
            denominator = .baseline(kind.rawValue)
        } else if !denominatorKey.isEmpty {
            problems.append(FieldError(field: "denominator", code: "unknown_denominator", message: LocalizedText(
                vi: "chọn mẫu số trong các số đo hoặc số chính thức", en: "choose the denominator among the measures or official counts")))
        }
        switch unit {
        case nil:
            problems.append(FieldError(field: "unit", code: "bad_unit", message: LocalizedText(vi: "chọn đơn vị tính", en: "choose the unit")))
        case .percent? where denominator == nil && denominatorKey.isEmpty:
            problems.append(FieldError(field: "denominator", code: "denominator_required", message: LocalizedText(
                vi: "một tỷ lệ cần mẫu số", en: "a percentage needs a denominator")))
        case .count?, .dong?:
            if !denominatorKey.isEmpty {
                problems.append(FieldError(field: "denominator", code: "no_denominator", message: LocalizedText(
                    vi: "số lượng hay số tiền không có mẫu số", en: "a count or an amount has no denominator")))
            }
            if let numerator, (unit == .dong) != numerator.isMoney {
                problems.append(FieldError(field: "unit", code: "unit_mismatch", message: LocalizedText(
                    vi: "đơn vị tính không hợp với tử số (đồng cho số tiền, số lượng cho số đếm)", en: "the unit does not fit the numerator (đồng for money, count for counts)")))
            }
        default: break
        }
        guard problems.isEmpty, let pillar, let unit, let numerator else { return .invalid(problems) }
        return .valid(IndicatorDefinition(code: code, name: LocalizedText(vi: vi, en: en.isEmpty ? vi : en), pillar: pillar, unit: unit,
                                          numerator: numerator.rawValue, denominator: denominator))
    }
}
