import Fluent
import Foundation

/// When each web session was last used (`ExpiringSessions`); the sessions there are count from now.
struct AddSessionLastSeen: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SessionRecord.schema).field("last_seen", .datetime).update()
        try await WebSessionModel.query(on: database).set(\.$lastSeen, to: Date()).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SessionRecord.schema).deleteField("last_seen").update()
    }
}
