/// What a community digital-technology team asks at each household (issue 14): the checklist, the
/// barriers that stand in the way, the help a visit gives. The raw values are the sync contract's.
public enum ChecklistItem: String, Sendable, Codable, CaseIterable, Comparable {
    case smartphone
    case paymentAccount
    case vneidLevel2
    case dvcAccount
    case broadband
    case paysCashless
    case sellsOnline

    /// Counted in adults (15 and over), or a yes/no for the whole household (0 or 1).
    public var isPerHousehold: Bool { self == .broadband || self == .sellsOnline }

    public var label: LocalizedText {
        switch self {
        case .smartphone: LocalizedText(vi: "Có điện thoại thông minh", en: "Smartphone")
        case .paymentAccount: LocalizedText(vi: "Có tài khoản thanh toán (ngân hàng hoặc Mobile Money)", en: "Payment account (bank or Mobile Money)")
        case .vneidLevel2: LocalizedText(vi: "VNeID mức 2", en: "VNeID level 2")
        case .dvcAccount: LocalizedText(vi: "Tài khoản dịch vụ công trực tuyến", en: "Online public-service account")
        case .broadband: LocalizedText(vi: "Internet cáp quang tại nhà", en: "Home broadband / fibre")
        case .paysCashless: LocalizedText(vi: "Trả tiền không dùng tiền mặt ở chợ", en: "Pays cashless at the market")
        case .sellsOnline: LocalizedText(vi: "Bán hàng trực tuyến", en: "Sells online")
        }
    }

    public static func < (lhs: ChecklistItem, rhs: ChecklistItem) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How a checklist answer is known: the resident said so, or the member saw it on the phone or app.
public enum Evidence: String, Sendable, Codable, CaseIterable {
    case selfReported = "self_reported"
    case seen
}

public enum Barrier: String, Sendable, Codable, CaseIterable {
    case noSmartphone = "no_smartphone"
    case noIDCard = "no_id_card"
    case noMoneyForData = "no_money_for_data"
    case elderlyOrDisabled = "elderly_or_disabled"
    case language
    case notInterested = "not_interested"
    case other

    public var label: LocalizedText {
        switch self {
        case .noSmartphone: LocalizedText(vi: "Không có điện thoại thông minh", en: "No smartphone")
        case .noIDCard: LocalizedText(vi: "Chưa có căn cước", en: "No ID card")
        case .noMoneyForData: LocalizedText(vi: "Không có tiền mua dữ liệu di động", en: "No money for mobile data")
        case .elderlyOrDisabled: LocalizedText(vi: "Người cao tuổi hoặc khuyết tật", en: "Elderly or disabled")
        case .language: LocalizedText(vi: "Ngôn ngữ", en: "Language")
        case .notInterested: LocalizedText(vi: "Chưa quan tâm", en: "Not interested")
        case .other: LocalizedText(vi: "Khác", en: "Other")
        }
    }
}

/// The help a visit gives, from a list (plus free text in the visit's note).
public enum Help: String, Sendable, Codable, CaseIterable {
    case installPaymentApp = "install_payment_app"
    case openAccount = "open_account"
    case vneidLevel1 = "vneid_level1"
    case vneidLevel2 = "vneid_level2"
    case dvcAccount = "dvc_account"
    case scamWarning = "scam_warning"
    case broadband
    case other

    public var label: LocalizedText {
        switch self {
        case .installPaymentApp: LocalizedText(vi: "Cài ứng dụng thanh toán", en: "Installed a payment app")
        case .openAccount: LocalizedText(vi: "Mở tài khoản", en: "Opened an account")
        case .vneidLevel1: LocalizedText(vi: "Kích hoạt VNeID mức 1", en: "Activated VNeID level 1")
        case .vneidLevel2: LocalizedText(vi: "Hướng dẫn VNeID mức 2", en: "VNeID level 2")
        case .dvcAccount: LocalizedText(vi: "Tài khoản dịch vụ công", en: "Public-service account")
        case .scamWarning: LocalizedText(vi: "Cảnh báo lừa đảo", en: "Scam warning")
        case .broadband: LocalizedText(vi: "Internet tại nhà", en: "Home internet")
        case .other: LocalizedText(vi: "Khác", en: "Other")
        }
    }
}

public enum VisitOutcome: String, Sendable, Codable, CaseIterable {
    case done
    case followUp = "follow_up"
    case refused

    public var label: LocalizedText {
        switch self {
        case .done: LocalizedText(vi: "Xong", en: "Done")
        case .followUp: LocalizedText(vi: "Hẹn lần sau", en: "Follow up")
        case .refused: LocalizedText(vi: "Hộ chưa muốn", en: "Declined")
        }
    }
}

/// The household's preferred language (not its ethnicity: the minimum the work needs).
public enum HouseholdLanguage: String, Sendable, Codable, CaseIterable {
    case vi
    case km
    case other

    public var label: LocalizedText {
        switch self {
        case .vi: LocalizedText(vi: "Tiếng Việt", en: "Vietnamese")
        case .km: LocalizedText(vi: "Tiếng Khmer", en: "Khmer")
        case .other: LocalizedText(vi: "Khác", en: "Other")
        }
    }
}

public enum TeamRole: String, Sendable, Codable, CaseIterable {
    case leader
    case deputy
    case member

    public var label: LocalizedText {
        switch self {
        case .leader: LocalizedText(vi: "Tổ trưởng", en: "Leader")
        case .deputy: LocalizedText(vi: "Tổ phó", en: "Deputy")
        case .member: LocalizedText(vi: "Thành viên", en: "Member")
        }
    }
}

/// Where a team member comes from.
public enum Affiliation: String, Sendable, Codable, CaseIterable {
    case villageHead = "village_head"
    case youthUnion = "youth_union"
    case womensUnion = "womens_union"
    case police
    case telecomOrBank = "telecom_or_bank"
    case teacher
    case volunteer

    public var label: LocalizedText {
        switch self {
        case .villageHead: LocalizedText(vi: "Trưởng ấp, khóm", en: "Village head")
        case .youthUnion: LocalizedText(vi: "Đoàn thanh niên", en: "Youth union")
        case .womensUnion: LocalizedText(vi: "Hội phụ nữ", en: "Women's union")
        case .police: LocalizedText(vi: "Công an", en: "Police")
        case .telecomOrBank: LocalizedText(vi: "Nhân viên viễn thông, ngân hàng", en: "Telecom or bank staff")
        case .teacher: LocalizedText(vi: "Giáo viên", en: "Teacher")
        case .volunteer: LocalizedText(vi: "Tình nguyện viên", en: "Volunteer")
        }
    }
}
