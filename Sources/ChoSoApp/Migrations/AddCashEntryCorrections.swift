import Fluent

/// A cash sale or debt recorded by mistake is voided, never deleted (who, when, why); a debt is
/// settled later by a cash sale or by a payment request paid by transfer.
struct AddCashEntryCorrections: AsyncMigration {
    static let columns: [(FieldKey, DatabaseSchema.DataType)] = [
        ("voided_at", .datetime), ("voided_by", .uuid), ("void_reason", .string),
        ("settled_at", .datetime), ("settled_by_entry", .uuid), ("settled_by_request", .uuid),
    ]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for (name, type) in Self.columns {
            try await database.schema("cash_entries").field(name, type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.columns.reversed() {
            try await database.schema("cash_entries").deleteField(name).update()
        }
    }
}
