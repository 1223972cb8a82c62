import ChoSoCore
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

    /// A webhook joins the writer's queue from its request's loop and must be answered there,
    /// once its transaction committed, with what was new: deliveries from several loops at once,
    /// each twice, are each stored once and every caller hears on the loop it asked from.
    @Test func eachDeliveryIsAnsweredOnTheLoopItCameFromAndStoredOnce() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let marketID = try #require(UUID(uuidString: fixture.marketA))
            let account = UUID()
            let loops = Array(app.eventLoopGroup.makeIterator())
            var answers: [EventLoopFuture<(onItsLoop: Bool, stored: Int)>] = []
            for index in 0..<40 {
                let transfer = IncomingTransfer(
                    provider: "generic", providerTransactionID: "loop-\(index % 20)", accountNumber: "1234567890123",
                    amount: 1_000, direction: .incoming, description: "khach mua")
                let delivery = PendingDelivery.statement(
                    accountID: account, marketID: marketID, transfers: [transfer], receivedAt: Date(), timeZone: app.choSoConfig.timeZone)
                let loop = loops[index % loops.count]
                answers.append(app.intake.writer.submit(delivery, answeringOn: loop).map { (loop.inEventLoop, $0.stored.count) })
            }
            var stored = 0
            for answer in answers {
                let (onItsLoop, count) = try await answer.get()
                #expect(onItsLoop)
                stored += count
            }
            #expect(stored == 20)
            #expect(try await TransferModel.query(on: app.db).filter(\.$idempotencyKey ~~ (0..<20).map { "statement:\(account.uuidString.lowercased()):loop-\($0)" }).count() == 20)
        }
    }
}
