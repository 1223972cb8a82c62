import Fluent
import SQLKit

/// Per stall and business day: the hours' sums, so a month's market report reads one row per stall
/// and day. Filled from the hourly table for databases that already have one.
///
/// On SQLite the table is clustered on (stall, day) (`WITHOUT ROWID`): a market report's range
/// reads then land on the rows themselves instead of going through an index to a rowid table,
/// which halves its cost.
struct CreateStallDailyTotals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            let counters = RollupStore.counters.map { "\($0) INTEGER NOT NULL" }.joined(separator: ", ")
            try await sql.raw("""
                CREATE TABLE \(ident: RollupStore.dailyTable) (stall_id UUID NOT NULL, business_day TEXT NOT NULL, \(unsafeRaw: counters),
                PRIMARY KEY (stall_id, business_day)) WITHOUT ROWID
                """).run()
        } else {
            var schema = database.schema(RollupStore.dailyTable)
                .field("stall_id", .uuid, .required)
                .field("business_day", .string, .required)
            for column in RollupStore.counters { schema = schema.field(FieldKey(stringLiteral: column), .int64, .required) }
            try await schema.unique(on: "stall_id", "business_day").create()
        }
        // Each stall's last day with a transfer (the dashboard's "active in 7/30 days") is one
        // backward step in this index, without touching the rows.
        try await sql.raw("""
            CREATE INDEX stall_daily_totals_transfer_days ON \(ident: RollupStore.dailyTable) (stall_id, business_day) WHERE transfer_count > 0
            """).run()
        let sums = RollupStore.counters.map { "SUM(\($0))" }.joined(separator: ", ")
        try await sql.raw("""
            INSERT INTO \(ident: RollupStore.dailyTable) (stall_id, business_day, \(unsafeRaw: RollupStore.counters.joined(separator: ", ")))
            SELECT stall_id, business_day, \(unsafeRaw: sums) FROM \(ident: RollupStore.table) GROUP BY stall_id, business_day
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RollupStore.dailyTable).delete()
    }
}
