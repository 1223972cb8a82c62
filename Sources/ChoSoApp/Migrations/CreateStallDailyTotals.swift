import Fluent
import SQLKit

/// Per stall and business day: the hours' sums, so a month's market report reads one row per stall
/// and day. Filled from the hourly table for databases that already have one.
struct CreateStallDailyTotals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        var schema = database.schema(RollupStore.dailyTable)
            .field("stall_id", .uuid, .required)
            .field("business_day", .string, .required)
        for column in RollupStore.counters { schema = schema.field(FieldKey(stringLiteral: column), .int64, .required) }
        try await schema.unique(on: "stall_id", "business_day").create()
        guard let sql = database as? any SQLDatabase else { return }
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
