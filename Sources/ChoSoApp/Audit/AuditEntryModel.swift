import Fluent
import Foundation

/// Who changed what and when. Written in the same transaction as the change itself.
final class AuditEntryModel: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "action") var action: String
    @Field(key: "subject_type") var subjectType: String
    @Field(key: "subject_id") var subjectID: String
    @Field(key: "detail") var detail: String
    @Field(key: "at") var at: Date

    init() {}

    init(actorID: UUID?, action: String, subjectType: String, subjectID: String, detail: String, at: Date = Date()) {
        self.actorID = actorID
        self.action = action
        self.subjectType = subjectType
        self.subjectID = subjectID
        self.detail = detail
        self.at = at
    }
}

extension AuditEntryModel {
    static func record(
        on database: any Database, actor: UUID?, action: String, subjectType: String, subjectID: UUID?, detail: String
    ) async throws {
        try await AuditEntryModel(
            actorID: actor, action: action, subjectType: subjectType,
            subjectID: subjectID?.uuidString ?? "", detail: detail
        ).create(on: database)
    }
}
