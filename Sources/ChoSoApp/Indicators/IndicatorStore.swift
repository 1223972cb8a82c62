import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// The live aggregates of the indicators: `indicator_counts` holds each change under its year,
/// month and day, for the hamlet a record names (level 0) and that hamlet's commune (level 1).
/// A change to a household — a version, a visit, a settled review — is applied in the same
/// transaction as the record: its contribution before and after is worked out from its rows and
/// the difference added, so the table equals the sum over all records at every commit, and
/// recomputing from the records must give the same table (`choso report verify`).
enum IndicatorStore {
    static let countsTable = "indicator_counts"

    // MARK: Keeping them

    /// A household's contribution before a change, read under a lock on its row (PostgreSQL), so
    /// two changes to the same household apply one after the other.
    struct HouseholdChange: Sendable {
        var id: UUID
        var before: IndicatorContribution
        var timeZone: TimeZone
    }

    /// `isNew`: the household is being created, so it contributed nothing yet (no need to read).
    static func beginHouseholdChange(_ id: UUID, isNew: Bool = false, timeZone: TimeZone, on db: any Database) async throws -> HouseholdChange {
        guard !isNew, let sql = db as? any SQLDatabase else { return HouseholdChange(id: id, before: IndicatorContribution(), timeZone: timeZone) }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT id FROM households WHERE id = \(bind: id) FOR UPDATE").run()
        }
        let before = try await HouseholdFacts.load([id], timeZone: timeZone, on: sql)[id] ?? IndicatorContribution()
        return HouseholdChange(id: id, before: before, timeZone: timeZone)
    }

    /// Adds what the change made different, after the household's rows are written.
    static func finishHouseholdChange(_ change: HouseholdChange, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let after = try await HouseholdFacts.load([change.id], timeZone: change.timeZone, on: sql)[change.id] ?? IndicatorContribution()
        let difference = after.difference(from: change.before)
        guard !difference.isEmpty else { return }
        try await add(difference, parents: try await parents(of: Set(difference.keys.map(\.unit)), on: sql), on: sql)
    }

    /// The unit each of these hamlets belongs to (its commune), from the unit tree.
    static func parents(of units: Set<String>, on sql: any SQLDatabase) async throws -> [String: String] {
        guard !units.isEmpty else { return [:] }
        var parents: [String: String] = [:]
        for row in try await sql.raw("SELECT id, parent_id FROM admin_units WHERE id IN (\(SQLList(units.sorted().map { SQLBind($0) })))").all() {
            if let parent = try row.decode(column: "parent_id", as: String?.self) { parents[try row.decode(column: "id", as: String.self)] = parent }
        }
        return parents
    }

    struct Row: Hashable {
        var level: Int
        var grain: Int
        var bucket: String
        var unit: String
        var measure: String
    }

    /// A change as table rows: each day under its year, month and day, for the hamlet and for
    /// its commune.
    static func expand(_ change: [IndicatorCountKey: Int64], parents: [String: String]) -> [Row: Int64] {
        var rows: [Row: Int64] = [:]
        for (key, value) in change where value != 0 {
            for grain in IndicatorGrain.allCases {
                let bucket = grain.bucket(key.day)
                rows[Row(level: 0, grain: grain.rawValue, bucket: bucket, unit: key.unit, measure: key.measure), default: 0] += value
                if let parent = parents[key.unit] {
                    rows[Row(level: 1, grain: grain.rawValue, bucket: bucket, unit: parent, measure: key.measure), default: 0] += value
                }
            }
        }
        return rows.filter { $0.value != 0 }
    }

    /// Adds a change to the table: existing rows incremented, 400 rows a statement, on SQLite
    /// and PostgreSQL alike.
    static func add(_ change: [IndicatorCountKey: Int64], parents: [String: String], on sql: any SQLDatabase) async throws {
        let columns = ["level", "grain", "bucket", "unit_id", "measure"]
        let rows = expand(change, parents: parents).sorted { ($0.key.level, $0.key.grain, $0.key.bucket, $0.key.unit, $0.key.measure) < ($1.key.level, $1.key.grain, $1.key.bucket, $1.key.unit, $1.key.measure) }
        for chunk in rows.chunked(by: 400) {
            var insert = sql.insert(into: countsTable).columns(columns + ["value"])
            for (row, value) in chunk {
                insert = insert.values([row.level, row.grain, row.bucket, row.unit, row.measure, value] as [any Encodable & Sendable])
            }
            insert = insert.onConflict(with: columns) { update in
                update.set(SQLIdentifier("value"), to: SQLBinaryExpression(SQLColumn("value", table: countsTable), .add, SQLExcludedColumn("value")))
            }
            try await insert.run()
        }
    }

    // MARK: Reading them

    /// Per unit as recorded (hamlets at level 0, communes at level 1; only `units` when given),
    /// the stocks as of `asOf` and the flows from `flowsFrom` to `asOf`.
    static func counts(asOf: Day, flowsFrom: Day, level: Int, units: [String]? = nil, on db: any Database) async throws -> [String: MeasureCounts] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        if let units, units.isEmpty { return [:] }
        var counts: [String: MeasureCounts] = [:]
        let flows = IndicatorMeasure.allCases.filter(\.isFlow).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let only = units.map { SQLQueryString(" AND unit_id IN (\(SQLList($0.map { SQLBind($0) })))") } ?? SQLQueryString("")
        for (ranges, isFlow) in [(IndicatorBucketRange.cover(from: nil, to: asOf), false), (IndicatorBucketRange.cover(from: flowsFrom, to: asOf), true)] {
            guard !ranges.isEmpty else { continue }
            var within = SQLQueryString("")
            for (index, range) in ranges.enumerated() {
                within = within + SQLQueryString("\(unsafeRaw: index == 0 ? "" : " OR ")(grain = \(bind: range.grain.rawValue) AND bucket BETWEEN \(bind: range.first) AND \(bind: range.last))")
            }
            let rows = try await sql.raw("""
                SELECT unit_id, measure, CAST(SUM(value) AS BIGINT) AS total FROM \(ident: countsTable)
                WHERE level = \(bind: level) AND (\(within)) AND measure \(unsafeRaw: isFlow ? "IN" : "NOT IN") (\(unsafeRaw: flows))\(only)
                GROUP BY unit_id, measure
                """).all()
            for row in rows {
                let unit = try row.decode(column: "unit_id", as: String.self)
                let measure = try row.decode(column: "measure", as: String.self)
                counts[unit, default: MeasureCounts()].values[measure, default: 0] += try row.decode(column: "total", as: Int64.self)
            }
        }
        return counts
    }

    /// The same as `counts` at level 0, from every household and visit read again (no
    /// aggregates), folded as it goes so that a province's records never sit in memory at once.
    static func countsFromRecords(asOf: Day, flowsFrom: Day, timeZone: TimeZone, on db: any Database) async throws -> [String: MeasureCounts] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        var counts: [String: MeasureCounts] = [:]
        try await forEachHouseholdBatch(timeZone: timeZone, on: sql) { contributions in
            for contribution in contributions.values {
                for (key, value) in contribution.counts where key.day <= asOf {
                    if key.day < flowsFrom, IndicatorMeasure(rawValue: key.measure)?.isFlow == true { continue }
                    counts[key.unit, default: MeasureCounts()].values[key.measure, default: 0] += value
                }
            }
        }
        return counts
    }

    // MARK: Checking and rebuilding them

    /// The table recomputed from the records, against the stored one: the differing rows (level,
    /// bucket, unit, measure), at most `limit`.
    static func verify(timeZone: TimeZone, on db: any Database, limit: Int = 20) async throws -> [String] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let expected = try await recomputed(timeZone: timeZone, on: sql)
        var stored: [Row: Int64] = [:]
        for row in try await sql.raw("SELECT level, grain, bucket, unit_id, measure, value FROM \(ident: countsTable)").all() {
            let key = Row(level: try row.decode(column: "level", as: Int.self), grain: try row.decode(column: "grain", as: Int.self),
                          bucket: try row.decode(column: "bucket", as: String.self), unit: try row.decode(column: "unit_id", as: String.self),
                          measure: try row.decode(column: "measure", as: String.self))
            stored[key, default: 0] += try row.decode(column: "value", as: Int64.self)
        }
        var differences: [String] = []
        for key in Set(expected.keys).union(stored.keys).sorted(by: { ($0.level, $0.grain, $0.bucket, $0.unit, $0.measure) < ($1.level, $1.grain, $1.bucket, $1.unit, $1.measure) })
        where (expected[key] ?? 0) != (stored[key] ?? 0) {
            differences.append("\(key.unit) \(key.measure) \(key.bucket)\(key.level == 1 ? " (xã)" : ""): \(stored[key] ?? 0) ≠ \(expected[key] ?? 0)")
            if differences.count >= limit { break }
        }
        return differences
    }

    /// Every household's contribution, summed into table rows.
    static func recomputed(timeZone: TimeZone, on sql: any SQLDatabase) async throws -> [Row: Int64] {
        let parents = try await hamletParents(on: sql)
        var total: [IndicatorCountKey: Int64] = [:]
        try await forEachHouseholdBatch(timeZone: timeZone, on: sql) { contributions in
            for contribution in contributions.values {
                for (key, value) in contribution.counts { total[key, default: 0] += value }
            }
        }
        return expand(total, parents: parents)
    }

    /// Rebuilds the table from the records (`choso report verify --fix`, `choso report indicators
    /// --rebuild`). The sums are kept in packed integer keys, so that a province of a million
    /// households fits in memory, then written in key order.
    static func rebuild(timeZone: TimeZone, on db: any Database) async throws {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            let parents = try await hamletParents(on: sql)
            var sums = IndicatorPackedSums()
            try await forEachHouseholdBatch(timeZone: timeZone, on: sql) { contributions in
                for contribution in contributions.values {
                    for (key, value) in contribution.counts { sums.add(key, value, parent: parents[key.unit]) }
                }
            }
            try await sql.raw("DELETE FROM \(ident: countsTable)").run()
            // Literal values (quotes doubled) rather than binds: a province's rebuild writes
            // millions of rows, and binding each value was a tenth of it.
            func literal(_ text: String) -> String {
                text.utf8.contains(UInt8(ascii: "'")) ? "'" + text.replacingOccurrences(of: "'", with: "''") + "'" : "'" + text + "'"
            }
            for chunk in sums.rows().chunked(by: 500) {
                let values = chunk.map { "(\($0.level), \($0.grain), \(literal($0.bucket)), \(literal($0.unit)), \(literal($0.measure)), \($0.value))" }
                try await sql.raw("INSERT INTO \(ident: countsTable) (level, grain, bucket, unit_id, measure, value) VALUES \(unsafeRaw: values.joined(separator: ", "))").run()
            }
        }
    }

    /// Each hamlet's commune, for the level-1 rows.
    static func hamletParents(on sql: any SQLDatabase) async throws -> [String: String] {
        var parents: [String: String] = [:]
        for row in try await sql.raw("SELECT id, parent_id FROM admin_units WHERE parent_id IS NOT NULL").all() {
            parents[try row.decode(column: "id", as: String.self)] = try row.decode(column: "parent_id", as: String.self)
        }
        return parents
    }

    /// Walks the households in id order, 2,000 at a time, with each one's contribution.
    private static func forEachHouseholdBatch(timeZone: TimeZone, on sql: any SQLDatabase,
                                              _ body: ([UUID: IndicatorContribution]) async throws -> Void) async throws {
        var after: UUID?
        while true {
            let page = after.map { SQLQueryString("WHERE id > \(bind: $0)") } ?? SQLQueryString("")
            let ids = try await sql.raw("SELECT id FROM households \(page) ORDER BY id LIMIT 2000").all().map { try $0.decode(column: "id", as: UUID.self) }
            guard let last = ids.last else { return }
            try await body(try await HouseholdFacts.load(ids, timeZone: timeZone, on: sql))
            after = last
        }
    }
}
