import Fluent

struct CreateStalls: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("stalls")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("number", .string, .required)
            .field("name", .string, .required)
            .field("trade", .string)
            .field("keeper_name", .string, .required)
            .field("phone", .string)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "market_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("stalls").delete()
    }
}
