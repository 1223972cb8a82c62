import ChoSoCore
import Fluent
import Foundation

/// A household's current version, as the register shows it; every version is kept in
/// `household_versions`.
final class HouseholdModel: Model, @unchecked Sendable {
    static let schema = "households"

    @ID(custom: .id, generatedBy: .user) var id: UUID?
    @Field(key: "hamlet_id") var hamletID: String
    @Field(key: "current_version") var currentVersion: Int
    @Field(key: "address") var address: String
    @Field(key: "head_name") var headName: String
    /// Without diacritics or case, for search and the duplicate warning.
    @Field(key: "head_name_folded") var headNameFolded: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "members") var members: Int
    @Field(key: "adults") var adults: Int
    @Field(key: "language") var language: String
    /// JSON: item → {count, evidence}.
    @Field(key: "checklist") var checklist: String
    /// JSON list of barrier codes.
    @Field(key: "barriers") var barriers: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "updated_by") var updatedBy: UUID?
    @Field(key: "updated_at") var updatedAt: Date
    /// The household this one turned out to be (settled duplicate): kept, not counted or listed.
    @OptionalField(key: "merged_into") var mergedInto: UUID?

    init() {}

    func apply(_ content: HouseholdRecord.Content, version: Int, by user: UUID?, at time: Date) {
        hamletID = content.hamlet
        currentVersion = version
        address = content.address
        headName = content.headName
        headNameFolded = HouseholdIdentity.folded(content.headName)
        phone = content.phone
        members = content.members
        adults = content.adults
        language = content.language.rawValue
        checklist = CommunityJSON.encode(content.checklist)
        barriers = CommunityJSON.encode(content.barriers)
        updatedBy = user
        updatedAt = time
    }

    var content: HouseholdRecord.Content {
        HouseholdRecord.Content(
            hamlet: hamletID, address: address, headName: headName, phone: phone, members: members, adults: adults,
            language: HouseholdLanguage(rawValue: language) ?? .vi,
            checklist: CommunityJSON.decode([String: ChecklistAnswer].self, checklist) ?? [:],
            barriers: CommunityJSON.decode([Barrier].self, barriers) ?? [])
    }
}

final class HouseholdVersionModel: Model, @unchecked Sendable {
    static let schema = "household_versions"

    @ID(key: .id) var id: UUID?
    @Field(key: "household_id") var householdID: UUID
    @Field(key: "version") var version: Int
    @OptionalField(key: "base_version") var baseVersion: Int?
    /// The version's content as canonical JSON.
    @Field(key: "content") var content: String
    @Field(key: "content_hash") var contentHash: String
    /// The current version this one did not build on: two phones edited the household.
    @OptionalField(key: "conflict_with") var conflictWith: Int?
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @OptionalField(key: "device_id") var deviceID: String?
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}

    var stored: SyncDecision.StoredVersion {
        SyncDecision.StoredVersion(version: version, baseVersion: baseVersion, hash: contentHash)
    }
}

/// A visit: never edited; a correction is a new visit whose `corrects` names the old one.
final class VisitModel: Model, @unchecked Sendable {
    static let schema = "visits"

    @ID(custom: .id, generatedBy: .user) var id: UUID?
    @Field(key: "household_id") var householdID: UUID
    /// The household's hamlet when the visit was recorded, for a hamlet's log and access.
    @Field(key: "hamlet_id") var hamletID: String
    @OptionalField(key: "member_id") var memberID: UUID?
    @Field(key: "visit_date") var visitDate: String
    @Field(key: "help") var help: String
    @Field(key: "barriers") var barriers: String
    @OptionalField(key: "outcome") var outcome: String?
    @Field(key: "note") var note: String
    @OptionalField(key: "corrects") var corrects: UUID?
    @OptionalField(key: "follow_up") var followUp: String?
    @Field(key: "content_hash") var contentHash: String
    @OptionalField(key: "device_id") var deviceID: String?
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}

    init(id: UUID, householdID: UUID, hamletID: String, memberID: UUID?, content: VisitRecord.Content, deviceID: String?, recordedAt: Date) {
        self.id = id
        self.householdID = householdID
        self.hamletID = hamletID
        self.memberID = memberID
        self.visitDate = content.date.iso
        self.help = CommunityJSON.encode(content.help)
        self.barriers = CommunityJSON.encode(content.barriers)
        self.outcome = content.outcome?.rawValue
        self.note = content.note
        self.corrects = content.corrects.flatMap(UUID.init(uuidString:))
        self.followUp = content.followUp.map(CommunityJSON.encode)
        self.contentHash = VisitRecord(id: id.uuidString.lowercased(), content: content).contentHash
        self.deviceID = deviceID
        self.recordedAt = recordedAt
    }

    var content: VisitRecord.Content {
        VisitRecord.Content(
            household: householdID.uuidString.lowercased(), date: Day(iso: visitDate) ?? Day(year: 1970, month: 1, day: 1),
            help: CommunityJSON.decode([Help].self, help) ?? [], barriers: CommunityJSON.decode([Barrier].self, barriers) ?? [],
            outcome: outcome.flatMap(VisitOutcome.init(rawValue:)), note: note, corrects: corrects?.uuidString.lowercased(),
            followUp: followUp.flatMap { CommunityJSON.decode(FollowUp.self, $0) })
    }
}

/// What the team's leader settles: two versions of a household from two phones, a visit id sent
/// twice with other content, a household that may be registered twice.
final class CommunityReviewModel: Model, @unchecked Sendable {
    static let schema = "community_reviews"

    enum Kind: String { case householdConflict = "household_conflict", visitConflict = "visit_conflict", duplicate }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "hamlet_id") var hamletID: String
    @OptionalField(key: "household_id") var householdID: UUID?
    @OptionalField(key: "version") var version: Int?
    @OptionalField(key: "other_version") var otherVersion: Int?
    @OptionalField(key: "visit_id") var visitID: UUID?
    /// A visit's other content, kept here since the id is taken.
    @OptionalField(key: "content") var content: String?
    @OptionalField(key: "opened_by") var openedBy: UUID?
    @Field(key: "opened_at") var openedAt: Date
    @OptionalField(key: "settled_by") var settledBy: UUID?
    @OptionalField(key: "settled_at") var settledAt: Date?
    @OptionalField(key: "settlement") var settlement: String?

    init() {}
}

final class CommunityTargetModel: Model, @unchecked Sendable {
    static let schema = "community_targets"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "team_id") var teamID: UUID?
    @OptionalField(key: "hamlet_id") var hamletID: String?
    /// month, quarter or year.
    @Field(key: "period") var period: String
    @Field(key: "period_start") var periodStart: String
    @Field(key: "item") var item: String
    @Field(key: "target") var target: Int
    @OptionalField(key: "plan_reference") var planReference: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "target_key") var targetKey: String

    init() {}

    /// What makes a target one of a kind: whose, which period, which item.
    static func key(teamID: UUID?, hamletID: String?, period: String, start: String, item: String) -> String {
        [teamID.map { "team:\($0.uuidString.lowercased())" } ?? "hamlet:\(hamletID ?? "")", period, start, item].joined(separator: "/")
    }
}

/// The JSON columns: canonical (sorted keys), so equal content is equal text.
enum CommunityJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        String(decoding: SyncRecords.canonicalJSON(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
