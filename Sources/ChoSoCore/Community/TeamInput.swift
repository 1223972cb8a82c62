/// What a commune officer types to manage a team (issue 14): the team and the hamlets it serves,
/// its members, its targets. Checked here, stored by the app.
public struct TeamInput: Sendable {
    public var name: String
    /// The commune (or ward, township) the team belongs to.
    public var unit: String
    /// Hamlets of that commune it serves; none means the whole commune.
    public var hamlets: [String]

    public init(name: String, unit: String, hamlets: [String]) {
        self.name = name
        self.unit = unit
        self.hamlets = hamlets
    }
}

public struct TeamFields: Sendable, Hashable {
    public var name: String
    public var unit: String
    public var hamlets: [String]
}

public struct TeamMemberInput: Sendable {
    public var fullName: String
    public var phone: String
    public var role: String
    public var affiliation: String
    /// YYYY-MM-DD; empty means today.
    public var activeFrom: String
    /// YYYY-MM-DD; empty means still active.
    public var activeTo: String
    /// A login to make for the member; empty means none.
    public var username: String

    public init(fullName: String, phone: String, role: String, affiliation: String, activeFrom: String, activeTo: String, username: String) {
        self.fullName = fullName
        self.phone = phone
        self.role = role
        self.affiliation = affiliation
        self.activeFrom = activeFrom
        self.activeTo = activeTo
        self.username = username
    }
}

public struct TeamMemberFields: Sendable, Hashable {
    public var fullName: String
    public var phone: String?
    public var role: TeamRole
    public var affiliation: Affiliation
    public var activeFrom: Day
    public var activeTo: Day?
    public var username: String?
}

public struct TargetInput: Sendable {
    /// A checklist item or `households_visited`.
    public var item: String
    public var period: String
    /// The period's first day, YYYY-MM-DD (a month's first, a quarter's first, 1 January).
    public var start: String
    public var target: String
    /// The plan that sets it, e.g. "KH số 12/KH-UBND".
    public var planReference: String

    public init(item: String, period: String, start: String, target: String, planReference: String) {
        self.item = item
        self.period = period
        self.start = start
        self.target = target
        self.planReference = planReference
    }
}

public struct TargetFields: Sendable, Hashable {
    public var item: String
    public var period: TeamProgress.Period
    public var start: Day
    public var target: Int
    public var planReference: String?
}

public enum TeamValidation {
    /// The team's name and hamlets, against the unit tree as of `today`: the unit is a commune,
    /// ward or township in force, each hamlet is one of its hamlets in force.
    public static func validate(_ input: TeamInput, tree: UnitTree, today: Day) -> Validated<TeamFields> {
        var problems: [FieldError] = []
        let name = SyncRecords.text(input.name, field: "name", max: 100, required: true, into: &problems, what: ("Tên tổ", "The team's name"))
        let unit = TextNormalization.clean(input.unit)
        let communeTypes: Set<UnitType> = [.commune, .ward, .township]
        if let commune = tree.units[unit], communeTypes.contains(commune.type), commune.isValid(on: today) {
            let served = Set(tree.children(of: unit, on: today).filter { $0.type == .hamlet }.map(\.id))
            if input.hamlets.contains(where: { !served.contains($0) }) {
                problems.append(SyncRecords.error("hamlets", "hamlet_not_in_commune", "Có ấp không thuộc xã này", "A hamlet is not one of this commune's"))
            }
        } else {
            problems.append(SyncRecords.error("unit", "unknown_commune", "Chọn một xã, phường hoặc thị trấn đang có hiệu lực", "Choose a commune, ward or township in force"))
        }
        guard problems.isEmpty else { return .invalid(problems) }
        return .valid(TeamFields(name: name, unit: unit, hamlets: Array(Set(input.hamlets)).sorted()))
    }

    public static func validate(_ input: TeamMemberInput, today: Day) -> Validated<TeamMemberFields> {
        var problems: [FieldError] = []
        let fullName = SyncRecords.text(input.fullName, field: "fullName", max: 100, required: true, into: &problems, what: ("Họ tên", "The name"))
        if SyncRecords.looksLikeIDNumber(fullName) {
            problems.append(SyncRecords.error("fullName", "id_number", "Không ghi số căn cước, CMND", "No ID-card numbers"))
        }
        var phone: String?
        let typedPhone = TextNormalization.clean(input.phone)
        if !typedPhone.isEmpty {
            phone = RegistryValidation.normalizedPhone(typedPhone)
            if phone == nil { problems.append(SyncRecords.error("phone", "bad_phone", "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0", "A phone number has 10 digits starting with 0")) }
        }
        let role = TeamRole(rawValue: input.role)
        if role == nil { problems.append(SyncRecords.error("role", "bad_role", "Vai trò: tổ trưởng, tổ phó hoặc thành viên", "Role: leader, deputy or member")) }
        let affiliation = Affiliation(rawValue: input.affiliation)
        if affiliation == nil { problems.append(SyncRecords.error("affiliation", "bad_affiliation", "Chọn nơi công tác trong danh sách", "Choose an affiliation from the list")) }
        let from = input.activeFrom.isEmpty ? today : Day(iso: input.activeFrom)
        if from == nil { problems.append(SyncRecords.error("activeFrom", "bad_date", "Ngày bắt đầu theo dạng YYYY-MM-DD", "The start date as YYYY-MM-DD")) }
        var to: Day?
        if !input.activeTo.isEmpty {
            to = Day(iso: input.activeTo)
            if to == nil || from.map({ to! < $0 }) == true {
                problems.append(SyncRecords.error("activeTo", "bad_end_date", "Ngày kết thúc theo dạng YYYY-MM-DD, không trước ngày bắt đầu", "The end date as YYYY-MM-DD, not before the start"))
            }
        }
        let username = input.username.trimmingCharacters(in: .whitespaces).lowercased()
        guard problems.isEmpty, let role, let affiliation, let from else { return .invalid(problems) }
        return .valid(TeamMemberFields(
            fullName: fullName, phone: phone, role: role, affiliation: affiliation, activeFrom: from, activeTo: to,
            username: username.isEmpty ? nil : username))
    }

    /// A target's period starts from 2020 (the national programme) to five years ahead.
    public static func validate(_ input: TargetInput, today: Day) -> Validated<TargetFields> {
        var problems: [FieldError] = []
        if input.item != TeamProgress.householdsVisited && ChecklistItem(rawValue: input.item) == nil {
            problems.append(SyncRecords.error("item", "bad_item", "Chỉ tiêu phải là một mục của phiếu hoặc số hộ được thăm", "The item is a checklist item or households visited"))
        }
        let period = TeamProgress.Period(rawValue: input.period)
        if period == nil { problems.append(SyncRecords.error("period", "bad_period", "Kỳ: month, quarter hoặc year", "Period: month, quarter or year")) }
        let start = Day(iso: input.start)
        if let period, let start, !period.isStart(start) {
            problems.append(SyncRecords.error("start", "not_period_start", "Ngày đầu kỳ: mùng 1 của tháng (quý: tháng 1, 4, 7, 10; năm: 1/1)",
                                              "The period's first day: the 1st of a month (quarter: Jan, Apr, Jul, Oct; year: 1 Jan)"))
        } else if start == nil {
            problems.append(SyncRecords.error("start", "bad_date", "Ngày đầu kỳ theo dạng YYYY-MM-DD", "The period's first day as YYYY-MM-DD"))
        }
        if let start, !(2020...(today.year + 5)).contains(start.year) {
            problems.append(SyncRecords.error("start", "start_out_of_range", "Kỳ chỉ tiêu từ năm 2020 đến \(today.year + 5)", "A target's period from 2020 to \(today.year + 5)"))
        }
        let target = Int(input.target.trimmingCharacters(in: .whitespaces))
        if target == nil || !(1...100_000).contains(target!) {
            problems.append(SyncRecords.error("target", "bad_target", "Chỉ tiêu là số nguyên từ 1 đến 100.000", "The target is a whole number from 1 to 100,000"))
        }
        let plan = SyncRecords.text(input.planReference, field: "planReference", max: 120, required: false, into: &problems, what: ("Số kế hoạch", "The plan's reference"))
        guard problems.isEmpty, let period, let start, let target else { return .invalid(problems) }
        return .valid(TargetFields(item: input.item, period: period, start: start, target: target, planReference: plan.isEmpty ? nil : plan))
    }
}

extension TeamProgress.Period {
    /// Whether `day` is this kind of period's first day.
    public func isStart(_ day: Day) -> Bool {
        guard day.day == 1 else { return false }
        switch self {
        case .month: return true
        case .quarter: return [1, 4, 7, 10].contains(day.month)
        case .year: return day.month == 1
        }
    }

    public var label: LocalizedText {
        switch self {
        case .month: LocalizedText(vi: "Tháng", en: "Month")
        case .quarter: LocalizedText(vi: "Quý", en: "Quarter")
        case .year: LocalizedText(vi: "Năm", en: "Year")
        }
    }
}
