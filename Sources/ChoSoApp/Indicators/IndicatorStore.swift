import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// The live aggregates of the indicators: `indicator_counts` holds each change under its year,
/// month and day; `indicator_sources` what each source (a household with its versions and visits)
/// has put there, so a new version replaces its household's old contribution in the same
/// transaction, and recomputing from the records must give the same table (`choso report verify`).
enum IndicatorStore {
    static let countsTable = "indicator_counts"
    static let sourcesTable = "indicator_sources"

    static func householdKey(_ id: UUID) -> String { "household:\(id.uuidString.lowercased())" }

    // MARK: Keeping them

    /// Recomputes one household's contribution from its rows and applies the change, in the
    /// caller's transaction. On PostgreSQL the household's row is locked first, so two
    /// transactions for the same household (a version and a visit) apply their changes one
    /// after the other, each on what the other committed.
    static func refreshHousehold(_ id: UUID, timeZone: TimeZone, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT id FROM households WHERE id = \(bind: id) FOR UPDATE").run()
        }
        let contribution = try await HouseholdFacts.load([id], timeZone: timeZone, on: sql)[id] ?? IndicatorContribution()
        let key = householdKey(id)
        let old = try await sql.raw("SELECT counts FROM \(ident: sourcesTable) WHERE source_key = \(bind: key)").first()
            .flatMap { try? $0.decode(column: "counts", as: String.self) }
            .flatMap(decode) ?? IndicatorContribution()
        let change = contribution.difference(from: old)
        guard !change.isEmpty else { return }
        try await add(change, on: sql)
        try await sql.raw("DELETE FROM \(ident: sourcesTable) WHERE source_key = \(bind: key)").run()
        if !contribution.counts.isEmpty {
            try await sql.raw("INSERT INTO \(ident: sourcesTable) (source_key, counts) VALUES (\(bind: key), \(bind: encode(contribution)))").run()
        }
    }

    /// Adds changes to the year, month and day rows: existing rows incremented, per statement
    /// 400 rows, on SQLite and PostgreSQL alike.
    static func add(_ change: [IndicatorCountKey: Int64], on sql: any SQLDatabase) async throws {
        let rows = expand(change)
        let columns = ["grain", "bucket", "unit_id", "measure"]
        for chunk in rows.sorted(by: { ($0.key.grain, $0.key.bucket, $0.key.unit, $0.key.measure) < ($1.key.grain, $1.key.bucket, $1.key.unit, $1.key.measure) }).chunked(by: 400) {
            var insert = sql.insert(into: countsTable).columns(columns + ["value"])
            for (key, value) in chunk {
                insert = insert.values([key.grain, key.bucket, key.unit, key.measure, value] as [any Encodable & Sendable])
            }
            insert = insert.onConflict(with: columns) { update in
                update.set(SQLIdentifier("value"), to: SQLBinaryExpression(SQLColumn("value", table: countsTable), .add, SQLExcludedColumn("value")))
            }
            try await insert.run()
        }
    }

    struct BucketKey: Hashable {
        var grain: Int
        var bucket: String
        var unit: String
        var measure: String
    }

    static func expand(_ change: [IndicatorCountKey: Int64]) -> [BucketKey: Int64] {
        var rows: [BucketKey: Int64] = [:]
        for (key, value) in change where value != 0 {
            for grain in IndicatorGrain.allCases {
                rows[BucketKey(grain: grain.rawValue, bucket: grain.bucket(key.day), unit: key.unit, measure: key.measure), default: 0] += value
            }
        }
        return rows
    }

    // MARK: Reading them

    /// Per unit (as recorded), the stocks as of `asOf` and the flows from `flowsFrom` to `asOf`.
    static func counts(asOf: Day, flowsFrom: Day, on db: any Database) async throws -> [String: MeasureCounts] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        var counts: [String: MeasureCounts] = [:]
        let flows = IndicatorMeasure.allCases.filter(\.isFlow).map(\.rawValue)
        for (ranges, isFlow) in [(IndicatorBucketRange.cover(from: nil, to: asOf), false), (IndicatorBucketRange.cover(from: flowsFrom, to: asOf), true)] {
            guard !ranges.isEmpty else { continue }
            var within = SQLQueryString("")
            for (index, range) in ranges.enumerated() {
                within = within + SQLQueryString("\(unsafeRaw: index == 0 ? "" : " OR ")(grain = \(bind: range.grain.rawValue) AND bucket BETWEEN \(bind: range.first) AND \(bind: range.last))")
            }
            let kind = isFlow ? "IN" : "NOT IN"
            let measures = flows.map { "'\($0)'" }.joined(separator: ", ")
            let rows = try await sql.raw("""
                SELECT unit_id, measure, CAST(SUM(value) AS BIGINT) AS total FROM \(ident: countsTable)
                WHERE (\(within)) AND measure \(unsafeRaw: kind) (\(unsafeRaw: measures)) GROUP BY unit_id, measure
                """).all()
            for row in rows {
                let unit = try row.decode(column: "unit_id", as: String.self)
                let measure = try row.decode(column: "measure", as: String.self)
                counts[unit, default: MeasureCounts()].values[measure, default: 0] += try row.decode(column: "total", as: Int64.self)
            }
        }
        return counts
    }

    // MARK: Checking them

    /// Every household's contribution recomputed from the records, summed, against the table;
    /// the differing cells (grain, bucket, unit, measure), at most `limit`.
    static func verify(timeZone: TimeZone, on db: any Database, limit: Int = 20) async throws -> [String] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let expected = expand(try await recomputeAll(timeZone: timeZone, on: sql))
        var stored: [BucketKey: Int64] = [:]
        for row in try await sql.raw("SELECT grain, bucket, unit_id, measure, value FROM \(ident: countsTable)").all() {
            let key = BucketKey(grain: try row.decode(column: "grain", as: Int.self), bucket: try row.decode(column: "bucket", as: String.self),
                                unit: try row.decode(column: "unit_id", as: String.self), measure: try row.decode(column: "measure", as: String.self))
            stored[key, default: 0] += try row.decode(column: "value", as: Int64.self)
        }
        var differences: [String] = []
        for key in Set(expected.keys).union(stored.keys).sorted(by: { ($0.grain, $0.bucket, $0.unit, $0.measure) < ($1.grain, $1.bucket, $1.unit, $1.measure) })
        where (expected[key] ?? 0) != (stored[key] ?? 0) {
            differences.append("\(key.unit) \(key.measure) \(key.bucket): \(stored[key] ?? 0) ≠ \(expected[key] ?? 0)")
            if differences.count >= limit { break }
        }
        return differences
    }

    /// The sum of every household's contribution, from the records, 2,000 households at a time.
    static func recomputeAll(timeZone: TimeZone, on sql: any SQLDatabase) async throws -> [IndicatorCountKey: Int64] {
        var total: [IndicatorCountKey: Int64] = [:]
        try await forEachHouseholdBatch(timeZone: timeZone, on: sql) { contributions in
            for contribution in contributions.values {
                for (key, value) in contribution.counts { total[key, default: 0] += value }
            }
        }
        return total
    }

    /// Rebuilds the aggregates and the sources from the records (`choso report verify --fix`).
    static func rebuild(timeZone: TimeZone, on db: any Database) async throws {
        try await db.transaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.raw("DELETE FROM \(ident: countsTable)").run()
            try await sql.raw("DELETE FROM \(ident: sourcesTable)").run()
            try await forEachHouseholdBatch(timeZone: timeZone, on: sql) { contributions in
                var change: [IndicatorCountKey: Int64] = [:]
                for (id, contribution) in contributions where !contribution.counts.isEmpty {
                    for (key, value) in contribution.counts { change[key, default: 0] += value }
                    try await sql.raw("INSERT INTO \(ident: sourcesTable) (source_key, counts) VALUES (\(bind: householdKey(id)), \(bind: encode(contribution)))").run()
                }
                try await add(change, on: sql)
            }
        }
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

    // MARK: Stored form

    /// A contribution as compact JSON: [[unit, measure, day, value], …].
    static func encode(_ contribution: IndicatorContribution) -> String {
        let rows = contribution.counts.sorted { $0.key < $1.key }.map { key, value in
            [key.unit, key.measure, key.day.iso, String(value)]
        }
        return CommunityJSON.encode(rows)
    }

    static func decode(_ text: String) -> IndicatorContribution? {
        guard let rows = CommunityJSON.decode([[String]].self, text) else { return nil }
        var counts: [IndicatorCountKey: Int64] = [:]
        for row in rows where row.count == 4 {
            guard let day = Day(iso: row[2]), let value = Int64(row[3]) else { continue }
            counts[IndicatorCountKey(unit: row[0], measure: row[1], day: day)] = value
        }
        return IndicatorContribution(counts)
    }
}
