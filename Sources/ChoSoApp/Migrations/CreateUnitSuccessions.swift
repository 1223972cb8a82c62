import Fluent

struct CreateUnitSuccessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("unit_successions")
            .id()
            .field("predecessor_id", .string, .required, .references("admin_units", "id"))
            .field("successor_id", .string, .required, .references("admin_units", "id"))
            .field("effective", .string, .required)
            .unique(on: "predecessor_id", "successor_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("unit_successions").delete()
    }
}
