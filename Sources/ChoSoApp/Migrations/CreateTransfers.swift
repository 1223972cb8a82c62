import Fluent
import SQLKit

/// The raw bodies of accepted deliveries, and every transfer ChoSo learned of, once.
struct CreateTransfers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("webhook_deliveries")
            .id()
            .field("connection_id", .uuid, .required, .references("webhook_connections", "id"))
            .field("received_at", .datetime, .required)
            .field("raw_body", .string, .required)
            .create()

        try await database.schema("transfers")
            .id()
            // `webhook:<connection>:<provider id>` or `statement:<account>:<reference>`: one row per
            // real transfer whatever the number of deliveries.
            .field("idempotency_key", .string, .required)
            .field("source", .string, .required)
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("connection_id", .uuid)
            .field("delivery_id", .uuid)
            .field("provider", .string, .required)
            .field("provider_transaction_id", .string, .required)
            .field("account_number", .string, .required)
            .field("bin", .string)
            .field("amount", .int64, .required)
            .field("direction", .string, .required)
            .field("description", .string, .required)
            .field("reference", .string)
            .field("counter_account_name", .string)
            .field("counter_account_number", .string)
            .field("bank_time", .datetime)
            .field("received_at", .datetime, .required)
            .field("business_day", .string, .required)
            .field("stall_id", .uuid)
            .field("payment_request_id", .uuid)
            .field("status", .string, .required)
            .field("difference", .int64)
            .field("reason_vi", .string, .required)
            .field("reason_en", .string, .required)
            // Set when a person corrects the matcher: assigned, refund_due, dismissed.
            .field("resolution", .string)
            .field("resolution_note", .string)
            .unique(on: "idempotency_key")
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "transfers_stall_day").on("transfers").column("stall_id").column("business_day").run()
        try await sql.create(index: "transfers_market_status").on("transfers").column("market_id").column("status").run()
        try await sql.create(index: "transfers_account_amount").on("transfers").column("account_number").column("amount").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("transfers").delete()
        try await database.schema("webhook_deliveries").delete()
    }
}
