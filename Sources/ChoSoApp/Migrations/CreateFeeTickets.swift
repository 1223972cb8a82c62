import Fluent
import SQLKit

/// Daily market tickets (vé chợ) for sellers without a fixed stall (issue 15): sold by a board
/// member on a phone, paid by VietQR to the fee account (found by its code) or in cash; each with
/// its own number, which the public receipt page confirms once it is paid.
struct CreateFeeTickets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("fee_tickets")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("line_code", .string, .required)
            .field("line_name", .string, .required)
            .field("price", .int64, .required)
            .field("code", .string, .required)
            .field("number", .string, .required)
            .field("status", .string, .required)
            .field("method", .string)
            .field("amount_received", .int64, .required)
            .field("transfer_id", .uuid)
            .field("request_key", .string)
            .field("sold_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("paid_at", .datetime)
            .unique(on: "code")
            .unique(on: "number")
            .unique(on: "request_key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "fee_tickets_market_time").on("fee_tickets").column("market_id").column("created_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("fee_tickets").delete()
    }
}
