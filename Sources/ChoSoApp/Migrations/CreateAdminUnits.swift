import Fluent

struct CreateAdminUnits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("admin_units")
            .field("id", .string, .identifier(auto: false))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("type", .string, .required)
            .field("parent_id", .string)
            .field("valid_from", .string)
            .field("valid_to", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("admin_units").delete()
    }
}
