import ChoSoCore
import Foundation
import Vapor

struct TeamMemberDTO: Content {
    var id: String
    var fullName: String
    var phone: String?
    var role: String?
    var affiliation: String?
    var activeFrom: String?
    var activeTo: String?
    /// Whether the member has a login (its user name is not shown to the team).
    var hasLogin: Bool

    init(_ model: TeamMemberModel) {
        id = model.id?.uuidString.lowercased() ?? ""
        fullName = model.fullName
        phone = model.phone
        role = model.role
        affiliation = model.affiliation
        activeFrom = model.activeFrom
        activeTo = model.activeTo
        hasLogin = model.userID != nil
    }
}

/// A member just added, with the one-time code of their new login (shown once).
struct NewTeamMemberDTO: Content {
    var member: TeamMemberDTO
    var oneTimeCode: String?
}

struct OneTimeCodeDTO: Content {
    var oneTimeCode: String
}

struct TargetDTO: Content {
    var item: String
    var period: String
    var start: String
    var target: Int
    /// Counted from the household records (never typed in).
    var done: Int
    var remaining: Int

    init(_ row: TeamProgress.Row) {
        item = row.target.item
        period = row.target.period.rawValue
        start = row.target.start.iso
        target = row.target.target
        done = row.done
        remaining = row.remaining
    }
}

struct TargetsDTO: Content {
    var planReference: String?
    var targets: [TargetDTO]
}

struct CommuneHamletDTO: Content {
    var id: String
    var name: String
    var commune: HamletDTO
}

struct FollowUpDTO: Content {
    var visit: String
    var household: String
    var headName: String
    var address: String
    var action: FollowUpAction
    var due: String
    var overdue: Bool

    init(_ line: CommunityService.FollowUpLine) {
        visit = line.open.visit
        household = line.open.household
        headName = line.headName
        address = line.address
        action = line.open.followUp.action
        due = line.open.followUp.due.iso
        overdue = line.open.isOverdue
    }
}
