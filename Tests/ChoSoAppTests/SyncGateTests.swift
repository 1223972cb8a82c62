import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// On a SQLite file in WAL mode, a transaction that read before another connection committed
/// cannot write ("busyInSnapshot"); the gate runs it again instead of failing the request.
@Suite struct SyncGateTests {
    final class Count: @unchecked Sendable { var value = 0 }

    static func note(_ action: String, on db: any Database) async throws {
        try await AuditEntryModel.record(on: db, actor: nil, action: action, subjectType: "test", subjectID: nil, detail: "")
    }

    @Test func aTransactionOvertakenBetweenItsReadAndItsWriteIsRunAgain() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        // Always a SQLite file, whichever database the other tests use.
        let app = try await ChoSoApp.make(AppConfig(environment: .testing, database: .sqliteFile(path: path), bcryptCost: 4))
        do {
            try await ChoSoApp.migrate(app)
            let attempts = Count()
            // Another connection of the pool: a different event loop's.
            let loops = Array(app.eventLoopGroup.makeIterator())
            let other = app.databases.database(logger: app.logger, on: loops.last!)!
            let database = app.databases.database(logger: app.logger, on: loops.first!)!
            try await SyncGate.shared.around(database) {
                try await database.transaction { db in
                    attempts.value += 1
                    _ = try await AuditEntryModel.query(on: db).count()
                    if attempts.value == 1 { try await Self.note("outside", on: other) }
                    try await Self.note("inside", on: db)
                }
            }
            #expect(attempts.value == 2)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "inside").count() == 1)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
