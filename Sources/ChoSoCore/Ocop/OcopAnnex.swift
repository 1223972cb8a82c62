/// The annex of a provincial recognition decision, as provinces publish it in Excel: one row per
/// product with columns such as STT | Tên sản phẩm | Chủ thể | Địa chỉ | Phân nhóm | Số sao.
/// Read all or nothing: every bad row is named, and one bad row imports nothing.
public enum OcopAnnex {
    public struct Row: Sendable, Hashable {
        /// The spreadsheet's own row number (1-based), for messages.
        public var line: Int
        public var name: String
        public var producer: String
        public var address: String
        public var groupCode: String
        public var stars: Int
    }

    public enum Failure: Error, Sendable, Equatable {
        case noHeader(LocalizedText)
        case rows([Statement.RowError])
    }

    /// How names are compared across files and the register: accents, case and punctuation
    /// aside ("HTX Nông nghiệp  Trần Đề" is "htx nong nghiep tran de").
    /// Names compared without case, accents or punctuation; a name with no Latin letter or digit
    /// (Khmer, Chinese, only symbols) is compared as written, so that two such names never match.
    public static func matchKey(_ name: String) -> String {
        let key = Statement.key(name)
        guard key.isEmpty else { return key }
        return "=" + TextNormalization.clean(name).lowercased()
    }

    /// A producer's kind guessed from how Vietnamese names begin; the officer corrects it.
    public static func producerKind(for name: String) -> String {
        let key = matchKey(name)
        if key.hasPrefix("htx") || key.hasPrefix("hop tac xa") { return "cooperative" }
        if key.hasPrefix("tht") || key.hasPrefix("to hop tac") { return "cooperative_group" }
        if key.hasPrefix("cong ty") || key.hasPrefix("cty") || key.hasPrefix("dntn") || key.hasPrefix("doanh nghiep") { return "company" }
        return "household"
    }

    enum Column: CaseIterable { case name, producer, address, group, stars }

    /// Which column holds what, from a header's folded words.
    static func column(_ header: String) -> Column? {
        let key = Statement.key(header)
        if key.contains("ten san pham") || key == "san pham" { return .name }
        if key.contains("chu the") || key.contains("co so san xuat") || key.contains("don vi san xuat") { return .producer }
        if key.contains("dia chi") { return .address }
        if key.contains("phan nhom") || key.contains("nhom san pham") || key == "nhom" || key.contains("ma nhom") { return .group }
        if key.contains("so sao") || key.contains("hang sao") || key.contains("xep hang") || key == "sao" { return .stars }
        return nil
    }

    /// One product of a decision, from an annex's row or typed into the officer's form: the
    /// group may be a code ("I.2.a") or a name, the stars "4" or "4 sao".
    public static func row(line: Int, name: String, producer: String, address: String, group groupText: String, stars starText: String,
                           groups: [OcopGroup]) -> Validated<Row> {
        let name = TextNormalization.clean(name), producer = TextNormalization.clean(producer)
        let groupText = TextNormalization.clean(groupText), starText = TextNormalization.clean(starText)
        var problems: [FieldError] = []
        if name.isEmpty { problems.append(FieldError(field: "name", code: "required", message: LocalizedText(vi: "thiếu tên sản phẩm", en: "no product name"))) }
        if name.count > 200 { problems.append(FieldError(field: "name", code: "too_long", message: LocalizedText(vi: "tên sản phẩm dài quá 200 ký tự", en: "the product name is over 200 characters"))) }
        if OcopWording.claims(name) {
            problems.append(FieldError(field: "name", code: "claim_in_name", message: LocalizedText(
                vi: "tên sản phẩm không ghi chữ OCOP hay số sao (ChoSo ghi theo quyết định)", en: "the product name carries no OCOP or star wording")))
        }
        if producer.isEmpty { problems.append(FieldError(field: "producer", code: "required", message: LocalizedText(vi: "thiếu chủ thể", en: "no producer"))) }
        if producer.count > 200 { problems.append(FieldError(field: "producer", code: "too_long", message: LocalizedText(vi: "tên chủ thể dài quá 200 ký tự", en: "the producer's name is over 200 characters"))) }
        let stars = Int(starText.filter(\.isNumber).prefix(2))
        if stars == nil || !(3...5).contains(stars!) {
            problems.append(FieldError(field: "stars", code: "bad_stars", message: LocalizedText(
                vi: "số sao phải là 3, 4 hoặc 5 (đọc được: \"\(starText.prefix(20))\")",
                en: "stars must be 3, 4 or 5 (read: \"\(starText.prefix(20))\")")))
        }
        let byCode = Dictionary(groups.map { ($0.code.uppercased(), $0.code) }, uniquingKeysWith: { a, _ in a })
        let byName = Dictionary(groups.map { (Statement.key($0.name), $0.code) }, uniquingKeysWith: { a, _ in a })
        let group = groupText.isEmpty ? "I" : (byCode[groupText.uppercased()] ?? byName[Statement.key(groupText)])
        if group == nil {
            problems.append(FieldError(field: "groupCode", code: "unknown_group", message: LocalizedText(
                vi: "không có phân nhóm \"\(groupText.prefix(40))\" trong bảng phân nhóm",
                en: "no classification \"\(groupText.prefix(40))\" in the table")))
        }
        guard problems.isEmpty, let stars, let group else { return .invalid(problems) }
        return .valid(Row(line: line, name: name, producer: producer, address: String(TextNormalization.clean(address).prefix(300)),
                            groupCode: group, stars: stars))
    }

    /// `groups`: the classification table in force; a cell may hold a code ("I.2.a") or a name.
    public static func read(_ table: [[String]], groups: [OcopGroup]) -> Result<[Row], Failure> {
        guard let headerIndex = table.prefix(30).firstIndex(where: { row in
            let columns = Set(row.compactMap(column))
            return columns.contains(.name) && columns.contains(.stars)
        }) else {
            return .failure(.noHeader(LocalizedText(
                vi: "Không thấy dòng tiêu đề có cột \"Tên sản phẩm\" và \"Số sao\" trong 30 dòng đầu",
                en: "No header row with \"Tên sản phẩm\" (product name) and \"Số sao\" (stars) columns in the first 30 rows")))
        }
        var index: [Column: Int] = [:]
        for (position, header) in table[headerIndex].enumerated() {
            if let column = column(header), index[column] == nil { index[column] = position }
        }
        guard index[.producer] != nil else {
            return .failure(.noHeader(LocalizedText(vi: "Thiếu cột \"Chủ thể\" (tên chủ thể sản xuất)", en: "The \"Chủ thể\" (producer) column is missing")))
        }
        var rows: [Row] = [], errors: [Statement.RowError] = [], seen: [String: Int] = [:]
        for (offset, cells) in table.enumerated().dropFirst(headerIndex + 1) {
            let line = offset + 1
            func cell(_ column: Column) -> String {
                guard let position = index[column], position < cells.count else { return "" }
                return TextNormalization.clean(cells[position])
            }
            let name = cell(.name), producer = cell(.producer), starText = cell(.stars)
            if name.isEmpty && producer.isEmpty && starText.isEmpty { continue }   // blank or a footer's signature block
            let checked = row(line: line, name: name, producer: producer, address: cell(.address), group: cell(.group), stars: starText, groups: groups)
            var problems = checked.errors
            let key = Statement.key(name) + "|" + Statement.key(producer)
            if let first = seen[key], !name.isEmpty {
                problems.append(FieldError(field: "name", code: "duplicate", message: LocalizedText(vi: "trùng với dòng \(first)", en: "the same as row \(first)")))
            }
            seen[key] = seen[key] ?? line
            guard problems.isEmpty, case .valid(let row) = checked else {
                errors.append(Statement.RowError(line: line, message: LocalizedText(
                    vi: "Dòng \(line): " + problems.map(\.message.vi).joined(separator: "; "),
                    en: "Row \(line): " + problems.map(\.message.en).joined(separator: "; "))))
                continue
            }
            rows.append(row)
        }
        if !errors.isEmpty { return .failure(.rows(errors)) }
        if rows.isEmpty { return .failure(.noHeader(LocalizedText(vi: "Phụ lục không có dòng sản phẩm nào", en: "The annex has no product rows"))) }
        return .success(rows)
    }
}
