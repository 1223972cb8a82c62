/// What kind of body makes an OCOP product (the programme's "chủ thể").
public enum OcopProducerKind: String, Sendable, Hashable, CaseIterable, Codable {
    case company, cooperative, cooperativeGroup = "cooperative_group", household

    public var label: LocalizedText {
        switch self {
        case .company: LocalizedText(vi: "Doanh nghiệp", en: "Company")
        case .cooperative: LocalizedText(vi: "Hợp tác xã", en: "Cooperative")
        case .cooperativeGroup: LocalizedText(vi: "Tổ hợp tác", en: "Cooperative group")
        case .household: LocalizedText(vi: "Hộ sản xuất, kinh doanh", en: "Business household")
        }
    }
}

/// The officer's form for a producer. The shop (where buyers' transfers arrive) is a stall of an
/// OCOP shop market, registered by that market's board with the same checks and two-person rule
/// as any stall's account; the form only links it, so it is not validated here.
public struct OcopProducerInput: Sendable, Hashable {
    public var name: String, kind: String, registrationNumber: String, address: String, phone: String

    public init(name: String, kind: String, registrationNumber: String, address: String, phone: String) {
        self.name = name
        self.kind = kind
        self.registrationNumber = registrationNumber
        self.address = address
        self.phone = phone
    }

    public struct Clean: Sendable, Hashable {
        public var name: String, kind: OcopProducerKind, registrationNumber: String?, address: String, phone: String?
    }

    public func validate() -> Validated<Clean> {
        var errors: [FieldError] = []
        let name = TextNormalization.clean(name)
        if name.isEmpty || name.count > 200 {
            errors.append(FieldError(field: "name", code: "required", message: .init(vi: "Ghi tên chủ thể (tối đa 200 ký tự)", en: "Enter the producer's name (200 characters at most)")))
        }
        let kind = OcopProducerKind(rawValue: kind)
        if kind == nil {
            errors.append(FieldError(field: "kind", code: "bad_kind", message: .init(vi: "Chọn loại chủ thể", en: "Choose the kind of producer")))
        }
        // Enterprise and cooperative codes are digits (a branch adds "-001"); a household's
        // registration may carry letters ("59A8001234").
        let registration = TextNormalization.clean(registrationNumber).uppercased()
        if registration.count > 20 || !registration.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("A"..."Z").contains($0) || $0 == "-" }) {
            errors.append(FieldError(field: "registrationNumber", code: "bad_registration", message: .init(
                vi: "Mã số đăng ký / mã số thuế chỉ gồm chữ số, chữ cái và dấu gạch, tối đa 20 ký tự",
                en: "The registration or tax number has digits, letters and hyphens only, 20 at most")))
        }
        let address = TextNormalization.clean(address)
        if address.count > 300 {
            errors.append(FieldError(field: "address", code: "too_long", message: .init(vi: "Địa chỉ tối đa 300 ký tự", en: "The address is 300 characters at most")))
        }
        let phoneText = TextNormalization.clean(phone)
        let phone = phoneText.isEmpty ? nil : RegistryValidation.normalizedPhone(phoneText)
        if !phoneText.isEmpty && phone == nil {
            errors.append(FieldError(field: "phone", code: "bad_phone", message: .init(
                vi: "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912 345 678)", en: "A phone number has 10 digits starting with 0 (e.g. 0912 345 678)")))
        }
        guard errors.isEmpty, let kind else { return .invalid(errors) }
        return .valid(Clean(name: name, kind: kind, registrationNumber: registration.isEmpty ? nil : registration, address: address, phone: phone))
    }
}
