import Fluent

struct CreateUserScopes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("user_scopes")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("scope_id", .string, .required)
            .unique(on: "user_id", "scope_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("user_scopes").delete()
    }
}
