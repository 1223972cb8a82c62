/// The officer's form for a product's facts: what the public page, the feeds and the label law
/// need. Stars and validity are not here: they come from decisions, never typed.
public struct OcopProductInput: Sendable, Hashable {
    public var name: String
    public var description: String
    public var groupCode: String
    /// As typed, "150.000" or "150000 đ"; empty while the price is not known.
    public var price: String
    public var availability: String
    public var label: OcopLabel

    public init(name: String, description: String, groupCode: String, price: String, availability: String, label: OcopLabel) {
        self.name = name
        self.description = description
        self.groupCode = groupCode
        self.price = price
        self.availability = availability
        self.label = label
    }

    public struct Clean: Sendable, Hashable {
        public var name: String, description: String, groupCode: String, priceDong: Int64?, availability: OcopAvailability, label: OcopLabel
    }

    /// `groups`: the classification codes in force.
    public func validate(groups: Set<String>) -> Validated<Clean> {
        var errors: [FieldError] = []
        func text(_ value: String, _ field: String, max: Int, required: Bool = false) -> String {
            // Multi-line fields keep their line breaks, each line cleaned.
            let cleaned = value.split(separator: "\n", omittingEmptySubsequences: false)
                .map { TextNormalization.clean(String($0)) }.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if cleaned.count > max {
                errors.append(FieldError(field: field, code: "too_long", message: .init(vi: "Tối đa \(max) ký tự", en: "\(max) characters at most")))
            } else if required && cleaned.isEmpty {
                errors.append(FieldError(field: field, code: "required", message: .init(vi: "Không được để trống", en: "Required")))
            }
            return cleaned
        }
        let name = text(name, "name", max: 200, required: true)
        // Stars come from decisions: a name that claims them would say so after they lapse.
        if OcopWording.claims(name) {
            errors.append(FieldError(field: "name", code: "claim_in_name", message: .init(
                vi: "Tên sản phẩm không ghi chữ OCOP hay số sao: trang và dữ liệu tự ghi theo quyết định công nhận",
                en: "The product's name carries no OCOP or star wording: the pages and feeds add it from the decision")))
        }
        let description = text(description, "description", max: 4_000)
        let group = TextNormalization.clean(groupCode)
        if !groups.contains(group) {
            errors.append(FieldError(field: "groupCode", code: "unknown_group", message: .init(vi: "Chọn một phân nhóm trong bảng", en: "Choose a classification from the table")))
        }
        var priceDong: Int64?
        if !price.trimmingCharacters(in: .whitespaces).isEmpty {
            switch Money.parseTyped(price) {
            case .success(let money): priceDong = money.dong
            case .failure(let error): errors.append(error.fieldError(field: "price"))
            }
        }
        let availability = OcopAvailability(rawValue: availability)
        if availability == nil {
            errors.append(FieldError(field: "availability", code: "unknown", message: .init(vi: "Chọn tình trạng hàng", en: "Choose the availability")))
        }
        let label = OcopLabel(
            netQuantity: text(label.netQuantity, "netQuantity", max: 100), ingredients: text(label.ingredients, "ingredients", max: 2_000),
            usage: text(label.usage, "usage", max: 2_000), storage: text(label.storage, "storage", max: 1_000),
            warnings: text(label.warnings, "warnings", max: 1_000), shelfLife: text(label.shelfLife, "shelfLife", max: 200),
            origin: text(label.origin, "origin", max: 200), responsibleEntity: text(label.responsibleEntity, "responsibleEntity", max: 400))
        guard errors.isEmpty, let availability else { return .invalid(errors) }
        return .valid(Clean(name: name, description: description, groupCode: group, priceDong: priceDong, availability: availability, label: label))
    }
}
