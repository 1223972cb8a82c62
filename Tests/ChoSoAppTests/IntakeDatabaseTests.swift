import FluentSQL
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// The intake's grouped transaction runs on one event loop, statement after statement, and
/// writes the same database the rest of the application reads.
@Suite struct IntakeDatabaseTests {
    @Test func theTransactionStaysOnTheIntakesOwnLoopBetweenStatements() async throws {
        try await withTestApp { app in
            let database = app.intake.writer.database
            let threads = try await database.transaction { db in
                var onLoop: [Bool] = [database.loop.inEventLoop]
                for _ in 0..<3 {
                    _ = try await (db as! any SQLDatabase).raw("SELECT 1 AS one").all()
                    onLoop.append(database.loop.inEventLoop)
                }
                return onLoop
            }
            #expect(threads == [true, true, true, true])
            // On PostgreSQL a loop of its own, not one that serves HTTP; SQLite shares theirs.
            let servesHTTP = app.eventLoopGroup.makeIterator().contains { $0 === database.loop }
            #expect(servesHTTP == (testDatabaseName == "sqlite"))
        }
    }

    @Test func whatItCommitsTheApplicationReadsAndWhatItThrowsItLeavesUndone() async throws {
        try await withTestApp { app in
            let database = app.intake.writer.database
            let sql = app.db as! any SQLDatabase
            func count() async throws -> Int {
                try await sql.raw("SELECT count(*) AS n FROM idempotency_keys WHERE key LIKE 'intake-db-test-%'").first(decodingColumn: "n", as: Int.self) ?? -1
            }
            try await database.transaction { db in
                try await IdempotencyKeyModel(caller: "test", key: "intake-db-test-kept", fingerprint: "-", createdAt: Date()).create(on: db)
            }
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await database.transaction { db in
                    try await IdempotencyKeyModel(caller: "test", key: "intake-db-test-undone", fingerprint: "-", createdAt: Date()).create(on: db)
                    throw Refused()
                }
            }
            #expect(try await count() == 1)
        }
    }
}
