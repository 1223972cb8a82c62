import Fluent

/// One row per (caller, key): the request's fingerprint and, once answered, the answer to replay.
/// The unique constraint is what makes two simultaneous taps create one thing.
struct CreateIdempotencyKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("idempotency_keys")
            .id()
            .field("caller", .string, .required)
            .field("key", .string, .required)
            .field("fingerprint", .string, .required)
            .field("status", .int)
            .field("content_type", .string)
            .field("location", .string)
            .field("body", .data)
            .field("created_at", .datetime, .required)
            .unique(on: "caller", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("idempotency_keys").delete()
    }
}
