import Fluent

struct CreateAccountChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("account_changes")
            .id()
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("kind", .string, .required)
            .field("bin", .string, .required)
            .field("account_number", .string, .required)
            .field("holder_name", .string, .required)
            .field("display_name", .string)
            .field("requested_by", .uuid, .required)
            .field("requested_at", .datetime, .required)
            .field("status", .string, .required)
            .field("decided_by", .uuid)
            .field("decided_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("account_changes").delete()
    }
}
