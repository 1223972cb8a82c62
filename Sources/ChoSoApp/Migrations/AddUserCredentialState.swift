import Fluent

/// `credential_epoch`: raised when a user is disabled or their password changes, which ends every
/// session signed in before (each session remembers the epoch it began in). `must_change_password`:
/// set by a reset, so the user picks their own password at the next sign-in.
struct AddUserCredentialState: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("users").field("credential_epoch", .int).update()
        try await database.schema("users").field("must_change_password", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("must_change_password").update()
        try await database.schema("users").deleteField("credential_epoch").update()
    }
}
