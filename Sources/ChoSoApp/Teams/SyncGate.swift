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

    /// `work` is one transaction. On SQLite it runs alone among the gate's writers; and when a
    /// writer outside the gate (a session being saved) committed between its first read and
    /// its first write, SQLite refuses it as a stale snapshot, so it is run again: it was rolled
    /// back whole, and what it stores is keyed, so running it again stores nothing twice.
    func around<T: Sendable>(_ database: any Database, _ work: @Sendable () async throws -> T) async throws -> T {
        guard Self.isSQLite(database) else { return try await work() }
        await acquire()
        defer { release() }
        for attempt in 0..<5 {
            do {
                return try await work()
            } catch where Self.isStaleSnapshot(error) && attempt < 4 {
                try await Task.sleep(for: .milliseconds(10 << attempt))
            }
        }
        return try await work()
    }

    /// SQLITE_BUSY_SNAPSHOT, as SQLiteNIO names it (its error type is not one of our dependencies).
    nonisolated static func isStaleSnapshot(_ error: any Error) -> Bool {
        String(reflecting: error).contains("busyInSnapshot")
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
