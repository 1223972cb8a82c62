import FluentKit
import SQLKit

/// SQLite lets one transaction write at a time and refuses a second that started reading first
/// ("database is locked"), so on SQLite a process stores one sync batch at a time, in arrival
/// order. PostgreSQL needs no gate: its unique constraints settle concurrent batches.
actor SyncGate {
    static let shared = SyncGate()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    nonisolated static func isSQLite(_ database: any Database) -> Bool {
        (database as? any SQLDatabase)?.dialect.name == "sqlite"
    }

    func around<T: Sendable>(_ database: any Database, _ work: @Sendable () async throws -> T) async throws -> T {
        guard Self.isSQLite(database) else { return try await work() }
        await acquire()
        defer { release() }
        return try await work()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
