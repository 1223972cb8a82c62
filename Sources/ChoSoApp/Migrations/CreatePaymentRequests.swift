import Fluent

struct CreatePaymentRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("payment_requests")
            .id()
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("code", .string, .required)
            .field("amount", .int64, .required)
            .field("note", .string)
            .field("status", .string, .required)
            .field("payload", .string, .required)
            .field("received_amount", .int64, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("business_day", .string, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("payment_requests").delete()
    }
}
