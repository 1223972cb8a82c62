import Fluent
import SQLKit

/// A shop stall serves one producer, so that its transfers are one producer's orders: two
/// officers linking the same stall at once cannot both succeed (PostgreSQL runs them side by side).
struct AddOcopShopUniqueness: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "ocop_producers_stall_unique").unique().on("ocop_producers").column("stall_id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "ocop_producers_stall_unique").run()
    }
}
