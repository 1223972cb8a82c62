import Fluent
import SQLKit

/// Paying market fees (issue 15): the market's collection account (changed only by two people of
/// its board, like a stall's), and each payment with its receipt number — one per transfer, one
/// per tap of the board's cash form.
struct CreateFeePayments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("market_accounts")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("bin", .string, .required)
            .field("account_number", .string, .required)
            .field("holder_name", .string, .required)
            // The market's id while the account is in use, NULL after: one account in use per market.
            .field("active_market", .uuid)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("deactivated_at", .datetime)
            .unique(on: "active_market")
            .create()
        try await database.schema("market_account_changes")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("bin", .string, .required)
            .field("account_number", .string, .required)
            .field("holder_name", .string, .required)
            .field("requested_by", .uuid, .required)
            .field("requested_at", .datetime, .required)
            .field("status", .string, .required)
            .field("decided_by", .uuid)
            .field("decided_at", .datetime)
            .create()
        try await database.schema("fee_payments")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("amount", .int64, .required)
            .field("method", .string, .required)
            .field("transfer_id", .uuid)
            .field("receipt_number", .string, .required)
            // The cash form's one-time key (or the API's Idempotency-Key): a double tap records once.
            .field("request_key", .string)
            .field("payer", .string)
            .field("note", .string)
            .field("recorded_by", .uuid)
            .field("paid_at", .datetime, .required)
            .unique(on: "receipt_number")
            .unique(on: "transfer_id")
            .unique(on: "request_key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "fee_payments_stall").on("fee_payments").column("stall_id").run()
            try await sql.create(index: "fee_payments_market_time").on("fee_payments").column("market_id").column("paid_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["fee_payments", "market_account_changes", "market_accounts"] { try await database.schema(table).delete() }
    }
}
