import ChoSoCore
import Foundation
import Vapor

struct HouseholdDTO: Content {
    var id: String
    var version: Int
    var hamlet: String
    var address: String
    var headName: String
    var phone: String?
    var members: Int
    var adults: Int
    var language: String
    var checklist: [String: ChecklistAnswer]
    var barriers: [Barrier]
    var updatedAt: Date
    /// Settled as the same household as this one: the phone drops it from its list.
    var mergedInto: String?

    init(_ model: HouseholdModel) {
        let content = model.content
        id = model.id?.uuidString.lowercased() ?? ""
        version = model.currentVersion
        hamlet = content.hamlet
        address = content.address
        headName = content.headName
        phone = content.phone
        members = content.members
        adults = content.adults
        language = content.language.rawValue
        checklist = content.checklist
        barriers = content.barriers
        updatedAt = model.updatedAt
        mergedInto = model.mergedInto?.uuidString.lowercased()
    }
}

struct VisitDTO: Content {
    var id: String
    var household: String
    var date: String
    var help: [Help]
    var barriers: [Barrier]
    var outcome: VisitOutcome?
    var note: String
    var corrects: String?
    var followUp: FollowUp?
    var memberId: String?
    var recordedAt: Date

    init(_ model: VisitModel) {
        let content = model.content
        id = model.id?.uuidString.lowercased() ?? ""
        household = content.household
        date = model.visitDate
        help = content.help
        barriers = content.barriers
        outcome = content.outcome
        note = content.note
        corrects = content.corrects
        followUp = content.followUp
        memberId = model.memberID?.uuidString
        recordedAt = model.recordedAt
    }
}

/// `GET /api/v1/sync?since=`: what changed in the caller's hamlets, and the cursor to ask from next.
struct ChangesDTO: Content {
    var cursor: String
    var households: [HouseholdDTO]
    var visits: [VisitDTO]
}

struct SyncAnswerDTO: Content {
    var results: [SyncService.Result]
}

struct HamletDTO: Content {
    var id: String
    var name: String
}

struct TeamDTO: Content {
    var id: String
    var name: String
    var unit: HamletDTO
    /// The hamlets the team serves today.
    var hamlets: [HamletDTO]
    /// Whether the caller leads this team (settles its review list).
    var isLeader: Bool
}

/// One item of a team's review list.
struct ReviewDTO: Content {
    struct Version: Content {
        var version: Int
        var headName: String
        var address: String
        var members: Int
        var adults: Int
        var checklist: [String: ChecklistAnswer]
        var recordedBy: String?
    }
    struct Twin: Content { var id: String, headName: String, address: String }

    var id: String
    var kind: String
    var hamlet: String
    var household: String?
    var versions: [Version]
    var twin: Twin?
    var visit: String?
    var openedAt: Date
    var canSettle: Bool
    /// The ways it may be settled: version (with a version number), distinct, same, keep, replace.
    var choices: [String]

    init(_ item: ReviewService.Item) {
        id = item.review.id?.uuidString ?? ""
        kind = item.review.kind
        hamlet = item.review.hamletID
        household = item.review.householdID?.uuidString.lowercased()
        versions = item.versions.map {
            Version(version: $0.version, headName: $0.content.headName, address: $0.content.address, members: $0.content.members,
                    adults: $0.content.adults, checklist: $0.content.checklist, recordedBy: $0.by?.uuidString)
        }
        twin = item.twin.map { Twin(id: $0.id?.uuidString.lowercased() ?? "", headName: $0.headName, address: $0.address) }
        visit = item.review.visitID?.uuidString.lowercased()
        openedAt = item.review.openedAt
        canSettle = item.canSettle
        choices = ReviewService.allowed(item.review.kind).map(\.rawValue)
    }
}
