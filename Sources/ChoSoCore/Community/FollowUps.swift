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
    public struct Visit: Sendable, Hashable {
        public var id: String
        public var household: String
        public var date: Day
        public var followUp: FollowUp?

        public init(id: String, household: String, date: Day, followUp: FollowUp?) {
            self.id = id
            self.household = household
            self.date = date
            self.followUp = followUp
        }
    }

    public struct Open: Sendable, Hashable {
        public var visit: String
        public var household: String
        public var followUp: FollowUp
        public var isOverdue: Bool
    }

    /// The open follow-ups, soonest due first. A household's follow-up is the one made on its
    /// latest day with one (the latest due, if several); a visit on a later day closes it. Visits
    /// of the same day do not: they are that day's work, sent in any order.
    public static func open(_ visits: [Visit], today: Day) -> [Open] {
        var asked: [String: Visit] = [:]
        var lastDay: [String: Day] = [:]
        for visit in visits {
            lastDay[visit.household] = max(lastDay[visit.household] ?? visit.date, visit.date)
            guard let followUp = visit.followUp else { continue }
            if let seen = asked[visit.household], let seenDue = seen.followUp?.due,
               (seen.date, seenDue, seen.id) >= (visit.date, followUp.due, visit.id) { continue }
            asked[visit.household] = visit
        }
        return asked.values.compactMap { visit -> Open? in
            guard let followUp = visit.followUp, lastDay[visit.household] ?? visit.date <= visit.date else { return nil }
            return Open(visit: visit.id, household: visit.household, followUp: followUp, isOverdue: followUp.due < today)
        }.sorted { ($0.followUp.due, $0.household) < ($1.followUp.due, $1.household) }
    }
}
