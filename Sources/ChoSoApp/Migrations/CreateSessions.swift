import Fluent

/// Web sessions live in the database so that several server processes share them.
/// The table layout is Fluent's own session record.
struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await SessionRecord.migration.prepare(on: database).get()
    }

    func revert(on database: any Database) async throws {
        try await SessionRecord.migration.revert(on: database).get()
    }
}
