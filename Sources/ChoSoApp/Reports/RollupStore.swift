import ChoSoCore
import Fluent
import FluentSQL
import Foundation

/// Reads and writes `stall_hourly_totals` and `stall_daily_totals`, and recomputes them from the
/// entries to check them. The daily table holds the hours' sums, written in the same statement
/// batch: a month's market report then reads one row per stall and day.
enum RollupStore {
    static let table = "stall_hourly_totals"
    static let dailyTable = "stall_daily_totals"
    /// Each counter column and the figure it holds, in the tables' column order.
    static var columns: [(name: String, figure: WritableKeyPath<RollupFigures, Int64>)] {
        [("transfer_count", \.transferCount), ("transfer_amount", \.transferAmount), ("cash_count", \.cashCount), ("cash_amount", \.cashAmount),
         ("debt_count", \.debtCount), ("debt_amount", \.debtAmount), ("underpaid_count", \.underpaidCount), ("overpaid_count", \.overpaidCount),
         ("refund_due_count", \.refundDueCount), ("refund_due_amount", \.refundDueAmount)]
    }
    static let counters = columns.map(\.name)

    static func values(_ figures: RollupFigures) -> [Int64] {
        columns.map { figures[keyPath: $0.figure] }
    }

    /// The name under which a query may return all counters as one array, in `columns` order.
    static let countersArray = "counters"

    /// The counter columns a row has, by name (or all at once as `countersArray`); those it lacks
    /// stay zero.
    static func figures(_ row: any SQLRow) throws -> RollupFigures {
        var figures = RollupFigures()
        if row.contains(column: countersArray) {
            let values = try row.decode(column: countersArray, as: [Int64].self)
            for ((_, figure), value) in zip(columns, values) { figures[keyPath: figure] = value }
            return figures
        }
        for (name, figure) in columns where row.contains(column: name) {
            figures[keyPath: figure] = try row.decode(column: name, as: Int64.self)
        }
        return figures
    }

    /// Adds the changes in the caller's transaction: per table one statement per 500 keys, existing
    /// rows incremented (`ON CONFLICT … DO UPDATE`, on SQLite and PostgreSQL alike).
    static func apply(_ changes: RollupChanges, on db: any Database) async throws {
        guard !changes.byKey.isEmpty, let sql = db as? any SQLDatabase else { return }
        try await upsert(changes.byKey, into: table, on: sql)
        try await upsert(changes.byDay, into: dailyTable, on: sql)
    }

    private static func upsert(_ rows: [RollupKey: RollupFigures], into table: String, on sql: any SQLDatabase) async throws {
        let hourly = table == Self.table
        let keyColumns = hourly ? ["stall_id", "business_day", "hour"] : ["stall_id", "business_day"]
        let batch = BatchInsert(table: table, columns: keyColumns + counters, accumulating: (keyColumns, counters))
        for chunk in rows.sorted(by: { $0.key < $1.key }).chunked(by: 500) {
            let values = chunk.compactMap { key, figures -> [any Encodable & Sendable]? in
                guard let stall = UUID(uuidString: key.stallID) else { return nil }
                let keyValues: [any Encodable & Sendable] = hourly ? [stall, key.day, key.hour] : [stall, key.day]
                return keyValues + Self.values(figures).map { $0 as any Encodable & Sendable }
            }
            try await batch.run(values, on: sql)
        }
    }

    /// One stall's daily rows over a range of business days.
    static func daily(stallID: UUID, from: Day, to: Day, on db: any Database) async throws -> [Day: RollupFigures] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        var daily: [Day: RollupFigures] = [:]
        for row in try await sql.raw("""
            SELECT business_day, \(unsafeRaw: counters.joined(separator: ", ")) FROM \(ident: dailyTable)
            WHERE stall_id = \(bind: stallID) AND business_day >= \(bind: from.iso) AND business_day <= \(bind: to.iso)
            """).all() {
            guard let day = Day(iso: try row.decode(column: "business_day", as: String.self)) else { continue }
            daily[day] = try figures(row)
        }
        return daily
    }

    /// Both tables as they are; the daily rows keyed with `RollupKey.wholeDay`.
    static func stored(on db: any Database) async throws -> [RollupKey: RollupFigures] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        var result: [RollupKey: RollupFigures] = [:]
        for row in try await sql.select().columns(["stall_id", "business_day", "hour"] + counters).from(table).all() {
            let key = RollupKey(
                stallID: try row.decode(column: "stall_id", as: UUID.self).uuidString,
                day: try row.decode(column: "business_day", as: String.self), hour: try row.decode(column: "hour", as: Int.self))
            result[key] = try figures(row)
        }
        for row in try await sql.select().columns(["stall_id", "business_day"] + counters).from(dailyTable).all() {
            let key = RollupKey(
                stallID: try row.decode(column: "stall_id", as: UUID.self).uuidString,
                day: try row.decode(column: "business_day", as: String.self), hour: RollupKey.wholeDay)
            result[key] = try figures(row)
        }
        return result.filter { !$0.value.isZero }
    }

    /// Both tables as the entries say they should be.
    static func recomputed(on db: any Database, timeZone: TimeZone) async throws -> [RollupKey: RollupFigures] {
        var changes = RollupChanges()
        for transfer in try await TransferModel.query(on: db).filter(\.$stallID != nil).all() {
            guard let stall = transfer.stallID, let status = TransferStatus(rawValue: transfer.status) else { continue }
            changes.add(.transfer(status: status, amount: transfer.amount, difference: transfer.difference, resolution: transfer.resolution),
                        at: RollupKey(stallID: stall.uuidString, at: transfer.effectiveTime, in: timeZone))
        }
        for entry in try await CashEntryModel.query(on: db).filter(\.$voidedAt == nil).all() {
            changes.add(.cash(kind: entry.kind, amount: entry.amount), at: RollupKey(stallID: entry.$stall.id.uuidString, at: entry.createdAt, in: timeZone))
        }
        return changes.byKey.merging(changes.byDay) { hour, _ in hour }
    }

    struct Difference: Sendable {
        var key: RollupKey
        var stored: RollupFigures?
        var expected: RollupFigures?
    }

    static func differences(on db: any Database, timeZone: TimeZone) async throws -> [Difference] {
        let stored = try await stored(on: db)
        let expected = try await recomputed(on: db, timeZone: timeZone)
        return Set(stored.keys).union(expected.keys).sorted().compactMap { key in
            stored[key] == expected[key] ? nil : Difference(key: key, stored: stored[key], expected: expected[key])
        }
    }

    /// Rewrites both tables from the entries, in one transaction.
    static func rebuild(on db: any Database, timeZone: TimeZone) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            try await sql.delete(from: table).run()
            try await sql.delete(from: dailyTable).run()
            var changes = RollupChanges()
            for (key, figures) in try await recomputed(on: tx, timeZone: timeZone) where !key.isWholeDay { changes.add(figures, at: key) }
            try await apply(changes, on: tx)
        }
    }
}
