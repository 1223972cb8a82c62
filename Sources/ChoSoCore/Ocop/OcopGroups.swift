/// The OCOP classification: group → subgroup → sub-subgroup, coded "I", "I.2", "I.2.a" after the
/// annex of QĐ 148/QĐ-TTg (2023). This is the table ChoSo ships; the database copy is what is
/// used and an administrator may correct or extend it.
public struct OcopGroup: Sendable, Hashable, Codable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    /// "I.2" for "I.2.a", "I" for "I.2", nil for a group.
    public var parentCode: String? {
        guard let dot = code.lastIndex(of: ".") else { return nil }
        return String(code[..<dot])
    }

    public static let shipped: [OcopGroup] = [
        .init(code: "I", name: "Thực phẩm"),
        .init(code: "I.1", name: "Thực phẩm tươi sống"),
        .init(code: "I.1.a", name: "Rau, củ, quả, hạt tươi"),
        .init(code: "I.1.b", name: "Thịt, trứng, sữa tươi"),
        .init(code: "I.2", name: "Thực phẩm thô, sơ chế"),
        .init(code: "I.2.a", name: "Gạo, ngũ cốc"),
        .init(code: "I.2.b", name: "Mật ong, sản phẩm từ mật ong"),
        .init(code: "I.2.c", name: "Rau, củ, quả, hạt sơ chế"),
        .init(code: "I.2.d", name: "Thịt, thủy sản sơ chế"),
        .init(code: "I.3", name: "Thực phẩm chế biến"),
        .init(code: "I.3.a", name: "Chế biến từ gạo, ngũ cốc"),
        .init(code: "I.3.b", name: "Chế biến từ rau, củ, quả, hạt"),
        .init(code: "I.3.c", name: "Chế biến từ thịt, trứng, sữa"),
        .init(code: "I.3.d", name: "Chế biến từ thủy sản"),
        .init(code: "I.4", name: "Gia vị"),
        .init(code: "I.4.a", name: "Nước mắm, tương và gia vị dạng lỏng"),
        .init(code: "I.4.b", name: "Gia vị khác"),
        .init(code: "I.5", name: "Chè"),
        .init(code: "I.6", name: "Cà phê, ca cao"),
        .init(code: "II", name: "Đồ uống"),
        .init(code: "II.1", name: "Đồ uống có cồn"),
        .init(code: "II.2", name: "Đồ uống không cồn"),
        .init(code: "III", name: "Thảo dược"),
        .init(code: "III.1", name: "Sản phẩm có thành phần từ thảo dược"),
        .init(code: "IV", name: "Vải và may mặc"),
        .init(code: "V", name: "Lưu niệm – nội thất – trang trí"),
        .init(code: "VI", name: "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
    ]
}

extension OcopGroup {
    /// A code typed by an administrator, as the table writes it: a group in Roman numerals, a
    /// subgroup number, a sub-subgroup letter ("i.2.A" → "I.2.a"), under a parent already in the
    /// table. A known code keeps its place and takes the new name.
    public static func validate(code: String, name: String, existing: Set<String>) -> Validated<OcopGroup> {
        var errors: [FieldError] = []
        let parts = TextNormalization.clean(code).replacingOccurrences(of: " ", with: "").split(separator: ".", omittingEmptySubsequences: false)
        var normalized: String?
        if (1...3).contains(parts.count) {
            let group = parts[0].uppercased()
            let groupOK = !group.isEmpty && group.count <= 4 && group.allSatisfy { "IVX".contains($0) }
            let subOK = parts.count < 2 || (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isASCIIDigitCharacter) && parts[1] != "0"
            let letterOK = parts.count < 3 || parts[2].count == 1 && parts[2].lowercased().allSatisfy { ("a"..."z").contains($0) }
            if groupOK && subOK && letterOK {
                normalized = ([group] + (parts.count > 1 ? [String(parts[1])] : []) + (parts.count > 2 ? [parts[2].lowercased()] : [])).joined(separator: ".")
            }
        }
        if normalized == nil {
            errors.append(FieldError(field: "code", code: "bad_code", message: .init(
                vi: "Mã phân nhóm có dạng I, I.2 hoặc I.2.a", en: "A classification code looks like I, I.2 or I.2.a")))
        } else if let parent = OcopGroup(code: normalized!, name: "").parentCode, !existing.contains(parent) {
            errors.append(FieldError(field: "code", code: "no_parent", message: .init(
                vi: "Chưa có nhóm cha \(parent) trong bảng: thêm nhóm cha trước", en: "The parent \(parent) is not in the table: add it first")))
        }
        let name = TextNormalization.clean(name)
        if name.isEmpty || name.count > 120 {
            errors.append(FieldError(field: "name", code: "required", message: .init(vi: "Ghi tên phân nhóm (tối đa 120 ký tự)", en: "Enter the name (120 characters at most)")))
        }
        guard errors.isEmpty, let normalized else { return .invalid(errors) }
        return .valid(OcopGroup(code: normalized, name: name))
    }
}
