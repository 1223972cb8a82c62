import Fluent
import FluentSQL

/// How long a stall's payment requests stay open; 15 minutes unless the stall says otherwise.
struct AddStallRequestExpiry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("stalls")
            .field("request_expiry_minutes", .int, .required, .sql(.default(15)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("stalls").deleteField("request_expiry_minutes").update()
    }
}
