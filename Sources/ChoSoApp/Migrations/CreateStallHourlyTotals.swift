import Fluent

/// Per stall, business day and hour: what reports read instead of the raw entries.
struct CreateStallHourlyTotals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        var schema = database.schema(RollupStore.table)
            .field("stall_id", .uuid, .required)
            .field("business_day", .string, .required)
            .field("hour", .int, .required)
        for column in RollupStore.counters { schema = schema.field(FieldKey(stringLiteral: column), .int64, .required) }
        try await schema.unique(on: "stall_id", "business_day", "hour").create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RollupStore.table).delete()
    }
}
