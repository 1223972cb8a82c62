import Fluent

struct CreateOcopProducts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("ocop_products")
            .id()
            .field("name", .string, .required)
            .field("producer", .string, .required)
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("stars", .int, .required)
            .field("decision_number", .string, .required)
            .field("decision_date", .string, .required)
            .field("valid_until", .string, .required)
            .field("is_demo", .bool, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ocop_products").delete()
    }
}
