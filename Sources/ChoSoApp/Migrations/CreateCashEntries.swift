import Fluent

struct CreateCashEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cash_entries")
            .id()
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("kind", .string, .required)
            .field("amount", .int64, .required)
            .field("customer_name", .string)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("business_day", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cash_entries").delete()
    }
}
