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
