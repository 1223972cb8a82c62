import Fluent
import SQLKit

/// Market fees (issue 15): stalls get an area and a position class; tariffs versioned by the
/// decision that set them; bills, one per stall, fee line and period — the database makes it so —
/// and the append-only ledger that says what each bill has been paid.
struct CreateFees: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("stalls").field("area_centi_m2", .int).update()
        try await database.schema("stalls").field("position_class", .string).update()
        try await database.schema("fee_tariffs")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("decision_number", .string, .required)
            .field("decision_date", .string, .required)
            .field("issuer", .string, .required)
            .field("effective_from", .string, .required)
            .field("effective_to", .string)
            // The fee lines as canonical JSON ([FeeLine]): a version never changes once bills use it.
            .field("lines", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("fee_bills")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("line_code", .string, .required)
            .field("line_name", .string, .required)
            .field("period", .string, .required)
            .field("tariff_id", .uuid, .required, .references("fee_tariffs", "id"))
            .field("amount_due", .int64, .required)
            .field("basis", .string, .required)
            .field("code", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            // Exactly one bill per stall, fee line and period, whoever issues it and however often.
            .unique(on: "stall_id", "line_code", "period")
            .unique(on: "code")
            .create()
        try await database.schema("fee_ledger")
            .id()
            .field("market_id", .uuid, .required, .references("markets", "id"))
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("kind", .string, .required)
            .field("bill_id", .uuid, .references("fee_bills", "id"))
            .field("payment_id", .uuid)
            .field("amount", .int64, .required)
            .field("reverses", .uuid)
            .field("reason", .string)
            .field("actor", .uuid)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema("meter_readings")
            .id()
            .field("stall_id", .uuid, .required, .references("stalls", "id"))
            .field("period", .string, .required)
            .field("previous_index", .int64, .required)
            .field("current_index", .int64, .required)
            .field("recorded_by", .uuid)
            .field("recorded_at", .datetime, .required)
            .unique(on: "stall_id", "period")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "fee_bills_market_period").on("fee_bills").column("market_id").column("period").run()
            try await sql.create(index: "fee_ledger_stall").on("fee_ledger").column("stall_id").run()
            try await sql.create(index: "fee_ledger_bill").on("fee_ledger").column("bill_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["meter_readings", "fee_ledger", "fee_bills", "fee_tariffs"] { try await database.schema(table).delete() }
        try await database.schema("stalls").deleteField("position_class").update()
        try await database.schema("stalls").deleteField("area_centi_m2").update()
    }
}
