import Fluent
import SQLKit

/// The till's list and the naive report read a stall's cash entries of a day: without this index
/// every cash entry of every stall is scanned.
struct AddCashEntryDayIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cash_entries_stall_day").on("cash_entries").column("stall_id").column("business_day").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "cash_entries_stall_day").run()
    }
}
