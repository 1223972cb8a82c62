import Fluent

/// How the stall's speaker reads numbers (lẻ/linh, ngàn/nghìn, tư/bốn); empty means the Mekong
/// Delta's way: lẻ, ngàn, tư.
struct AddStallSpeechSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        for column in ["speech_zero_tens", "speech_thousand", "speech_four"] {
            try await database.schema("stalls").field(FieldKey(stringLiteral: column), .string).update()
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["speech_zero_tens", "speech_thousand", "speech_four"] {
            try await database.schema("stalls").deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}
