import Fluent

struct CreateTeamMembers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("team_members")
            .id()
            .field("team_id", .uuid, .required, .references("teams", "id", onDelete: .cascade))
            .field("full_name", .string, .required)
            .field("phone", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("team_members").delete()
    }
}
