import Fluent

struct CreateMarkets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("markets")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("address", .string, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("markets").delete()
    }
}
