import Fluent

/// The market board's bounds for one entry (a payment request, a cash sale, a debt): above
/// `entry_ceiling` it is refused, above `entry_warn_above` it must be confirmed. Nil: ChoSo's
/// defaults (50.000.000 đ and 10.000.000 đ).
struct AddMarketEntryLimits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("markets").field("entry_ceiling", .int64).update()
        try await database.schema("markets").field("entry_warn_above", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("markets").deleteField("entry_warn_above").update()
        try await database.schema("markets").deleteField("entry_ceiling").update()
    }
}
