import NIOConcurrencyHelpers
import SQLKit

/// A multi-row INSERT whose SQL text is written once per dialect, table, columns and row count,
/// then reused with new values.
///
/// Why: the intake inserts transfers, raw bodies and rollup changes many rows per statement at
/// every grouped commit, and SQLKit built that text anew each time (quoting every identifier,
/// one placeholder per value): about 5 % of the server's CPU under webhook load
/// (docs/performance.md). The text depends on nothing but the shape, so it is kept.
struct BatchInsert: Sendable {
    let table: String
    let columns: [String]
    /// On a clash with the row already stored under `key`, add these columns to it (rollups).
    var accumulating: (key: [String], counters: [String])? = nil

    /// Statements of more rows than this are written anew each time and not kept.
    static let keptRowCounts = 1...512
    private static let texts = NIOLockedValueBox<[String: String]>([:])

    /// Every row holds one value per column, in the columns' order.
    func run(_ rows: [[any Encodable & Sendable]], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let shape = "\(sql.dialect.name)|\(table)|\(columns.joined(separator: ","))|\(accumulating.map { "\($0.key)+\($0.counters)" } ?? "")|\(rows.count)"
        if let text = Self.texts.withLockedValue({ $0[shape] }) {
            try await sql.execute(sql: Serialized(text: text, binds: rows.flatMap { $0 })) { _ in }
            return
        }
        var serializer = SQLSerializer(database: sql)
        statement(rows, on: sql).serialize(to: &serializer)
        if Self.keptRowCounts.contains(rows.count) {
            Self.texts.withLockedValue { texts in
                if texts.count >= 2_048 { texts.removeAll(keepingCapacity: true) }
                texts[shape] = serializer.sql
            }
        }
        try await sql.execute(sql: Serialized(text: serializer.sql, binds: serializer.binds)) { _ in }
    }

    /// The statement as SQLKit writes it.
    func statement(_ rows: [[any Encodable & Sendable]], on sql: any SQLDatabase) -> SQLInsert {
        var insert = sql.insert(into: table).columns(columns)
        for row in rows { insert = insert.values(row) }
        if let accumulating {
            insert = insert.onConflict(with: accumulating.key) { update in
                accumulating.counters.reduce(update) { update, column in
                    update.set(SQLIdentifier(column), to: SQLBinaryExpression(SQLColumn(column, table: table), .add, SQLExcludedColumn(column)))
                }
            }
        }
        return insert.insert
    }

    /// Text already written and its values. Only ever a whole statement: its placeholders are
    /// numbered from the first.
    struct Serialized: SQLExpression {
        let text: String
        let binds: [any Encodable & Sendable]

        func serialize(to serializer: inout SQLSerializer) {
            assert(serializer.binds.isEmpty, "a kept statement cannot be part of another")
            serializer.write(text)
            serializer.binds.append(contentsOf: binds)
        }
    }
}
