import Fluent
import SQLKit

/// One counter per (door, client address, window): the processes behind one PostgreSQL share it.
struct CreateRateLimitHits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("rate_limit_hits")
            .field("door", .string, .required)
            .field("client_address", .string, .required)
            .field("window_start", .int64, .required)
            .field("hits", .int64, .required)
            .compositeIdentifier(over: "door", "client_address", "window_start")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rate_limit_hits").delete()
    }
}
