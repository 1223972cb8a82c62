import Fluent

/// Every change of where a stall's money goes waits for a second person, not only a replacement:
/// `action` is add (nil in older rows), deactivate or reactivate; `account_id` names the account a
/// deactivation or reactivation is about.
struct AddAccountChangeAction: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("account_changes").field("action", .string).update()
        try await database.schema("account_changes").field("account_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("account_changes").deleteField("account_id").update()
        try await database.schema("account_changes").deleteField("action").update()
    }
}
