import Fluent

/// What was sold for cash ("2 ký xoài"), as a payment request has its note.
struct AddCashEntryNote: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cash_entries").field("note", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cash_entries").deleteField("note").update()
    }
}
