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
