/// The papers behind a product besides its OCOP decision: the food-safety certificate, the
/// quality declaration and the trademark (number, issuer, date), as the officer types them.
public enum OcopEvidenceKind: String, Sendable, Hashable, CaseIterable, Codable {
    case foodSafety = "food_safety", qualityDeclaration = "quality_declaration", trademark

    public var label: LocalizedText {
        switch self {
        case .foodSafety: LocalizedText(vi: "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", en: "Food-safety certificate")
        case .qualityDeclaration: LocalizedText(vi: "Bản tự công bố / công bố chất lượng", en: "Quality declaration")
        case .trademark: LocalizedText(vi: "Giấy chứng nhận đăng ký nhãn hiệu", en: "Trademark registration")
        }
    }
}

public struct OcopEvidenceInput: Sendable, Hashable {
    public var kind: String, number: String, issuer: String, issuedOn: String

    public init(kind: String, number: String, issuer: String, issuedOn: String) {
        self.kind = kind
        self.number = number
        self.issuer = issuer
        self.issuedOn = issuedOn
    }

    public struct Clean: Sendable, Hashable {
        public var kind: OcopEvidenceKind, number: String, issuer: String, issuedOn: Day
    }

    /// `today`: a paper cannot be issued in the future.
    public func validate(today: Day) -> Validated<Clean> {
        var errors: [FieldError] = []
        let kind = OcopEvidenceKind(rawValue: kind)
        if kind == nil {
            errors.append(FieldError(field: "kind", code: "bad_kind", message: .init(
                vi: "Chọn loại giấy tờ: an toàn thực phẩm, công bố chất lượng hoặc nhãn hiệu",
                en: "Choose the kind of paper: food safety, quality declaration or trademark")))
        }
        let number = TextNormalization.clean(number), issuer = TextNormalization.clean(issuer)
        if number.isEmpty || number.count > 60 {
            errors.append(FieldError(field: "number", code: "required", message: .init(vi: "Ghi số giấy tờ (tối đa 60 ký tự)", en: "Enter the paper's number (60 characters at most)")))
        }
        if issuer.isEmpty || issuer.count > 120 {
            errors.append(FieldError(field: "issuer", code: "required", message: .init(vi: "Ghi cơ quan cấp (tối đa 120 ký tự)", en: "Enter who issued it (120 characters at most)")))
        }
        let day = Day(iso: TextNormalization.clean(issuedOn))
        if day == nil || day! > today {
            errors.append(FieldError(field: "issuedOn", code: "bad_date", message: .init(vi: "Ngày cấp theo dạng năm-tháng-ngày, không sau hôm nay", en: "The issue date is year-month-day, not after today")))
        }
        guard errors.isEmpty, let kind, let day else { return .invalid(errors) }
        return .valid(Clean(kind: kind, number: number, issuer: issuer, issuedOn: day))
    }
}
