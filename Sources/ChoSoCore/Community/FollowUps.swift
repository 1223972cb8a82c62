/// What a member promised to come back for (issue 14): VNeID level 1 done today → an appointment at
/// the commune police for level 2, an account to open once the ID card comes, … A follow-up rides
/// on the visit that made it and stays open until a later visit to the same household.
public enum FollowUpAction: String, Sendable, Codable, CaseIterable {
    case vneidLevel2AtPolice = "vneid_level2_at_police"
    case dvcAccount = "dvc_account"
    case openAccount = "open_account"
    case revisit

    public var label: LocalizedText {
        switch self {
        case .vneidLevel2AtPolice: LocalizedText(vi: "Hẹn công an xã kích hoạt VNeID mức 2", en: "Appointment at the commune police for VNeID level 2")
        case .dvcAccount: LocalizedText(vi: "Quay lại làm tài khoản dịch vụ công", en: "Come back for the public-service account")
        case .openAccount: LocalizedText(vi: "Quay lại mở tài khoản thanh toán", en: "Come back to open a payment account")
        case .revisit: LocalizedText(vi: "Thăm lại", en: "Visit again")
        }
    }

    /// The follow-up a visit's help suggests (the phone proposes it; the member can change it).
    public static func suggested(after help: [Help]) -> FollowUpAction? {
        if help.contains(.vneidLevel1) && !help.contains(.vneidLevel2) { return .vneidLevel2AtPolice }
        return nil
    }
}

public struct FollowUp: Sendable, Hashable, Codable {
    public var action: FollowUpAction
    public var due: Day

    public init(action: FollowUpAction, due: Day) {
        self.action = action
        self.due = due
    }
}

public enum FollowUps {
    /// A visit as the follow-up list needs it; `order` breaks ties between visits of one day.
    public struct Visit: Sendable, Hashable {
        public var id: String
        public var household: String
        public var date: Day
        public var order: Int
        public var followUp: FollowUp?

        public init(id: String, household: String, date: Day, order: Int, followUp: FollowUp?) {
            self.id = id
            self.household = household
            self.date = date
            self.order = order
            self.followUp = followUp
        }
    }

    public struct Open: Sendable, Hashable {
        public var visit: String
        public var household: String
        public var followUp: FollowUp
        public var isOverdue: Bool
    }

    /// The open follow-ups, soonest due first: each household's latest visit, when it asked for one.
    public static func open(_ visits: [Visit], today: Day) -> [Open] {
        var latest: [String: Visit] = [:]
        for visit in visits {
            if let seen = latest[visit.household], (seen.date, seen.order) >= (visit.date, visit.order) { continue }
            latest[visit.household] = visit
        }
        return latest.values.compactMap { visit -> Open? in
            guard let followUp = visit.followUp else { return nil }
            return Open(visit: visit.id, household: visit.household, followUp: followUp, isOverdue: followUp.due < today)
        }.sorted { ($0.followUp.due, $0.household) < ($1.followUp.due, $1.household) }
    }
}
