import Fluent

struct CreateWebhookConnections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("webhook_connections")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("provider", .string, .required)
            .field("auth", .string, .required)
            .field("secret_hash", .string)
            .field("secret_sealed", .string)
            .field("secret_hint", .string, .required)
            .field("label", .string)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("rotated_at", .datetime)
            .field("deleted_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("webhook_connections").delete()
    }
}
