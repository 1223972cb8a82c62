import Fluent

struct CreateBoardPrints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("board_prints")
            .id()
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("account_id", .uuid, .required, .references("receiving_accounts", "id"))
            .field("printed_by", .uuid)
            .field("printed_at", .datetime, .required)
            .field("handed_over_by", .uuid)
            .field("handed_over_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("board_prints").delete()
    }
}
