import Fluent

struct CreateSpeakerDevices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("speaker_devices")
            .id()
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("name", .string, .required)
            .field("pairing_code_hash", .string)
            .field("pairing_expires_at", .datetime)
            .field("token_hash", .string)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("paired_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("speaker_devices").delete()
    }
}
