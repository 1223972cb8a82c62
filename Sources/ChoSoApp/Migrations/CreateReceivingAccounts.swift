import Fluent

struct CreateReceivingAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("receiving_accounts")
            .id()
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("kind", .string, .required)
            .field("bin", .string, .required)
            .field("account_number", .string, .required)
            .field("holder_name", .string, .required)
            .field("display_name", .string)
            .field("active_kind", .string)
            .field("created_at", .datetime)
            .field("deactivated_at", .datetime)
            // NULLs are distinct in unique constraints on both databases: one active account per kind.
            .unique(on: "stall_id", "active_kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("receiving_accounts").delete()
    }
}
