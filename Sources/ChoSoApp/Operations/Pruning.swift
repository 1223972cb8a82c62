import Fluent
import FluentSQL
import NIOConcurrencyHelpers
import Vapor

/// What the server forgets by itself: answers kept for repeated requests after their day
/// (`Idempotency-Key`, `_once`), failed sign-ins long after they slow anyone down, the
/// rate-limit counters of ended windows, and web sessions unused as long as their cookie lives. Runs in
/// every `choso serve` process a minute after it starts and then every hour; on PostgreSQL
/// several processes may prune at once, which deletes nothing twice.
enum Pruning {
    /// Failed sign-ins older than this no longer count (the throttle looks back an hour at most).
    static let loginFailuresKeptFor: TimeInterval = 24 * 60 * 60

    /// Ended rate-limit windows are kept an hour, for an operator looking into a flood.
    static let rateLimitWindowsKeptFor: TimeInterval = 60 * 60

    struct Pruned: Sendable, Equatable { var idempotencyKeys: Int, loginFailures: Int, rateLimitWindows: Int, sessions: Int }

    static func run(on database: any Database, now: Date = Date()) async throws -> Pruned {
        Pruned(
            idempotencyKeys: try await IdempotencyStore(database: database).forgetOld(now: now),
            loginFailures: try await delete(from: LoginFailureModel.schema, where: "failed_at", before: now.addingTimeInterval(-loginFailuresKeptFor), on: database),
            rateLimitWindows: try await delete(
                from: "rate_limit_hits", where: "window_start", before: Int64(now.addingTimeInterval(-rateLimitWindowsKeptFor).timeIntervalSince1970), on: database),
            sessions: try await delete(from: WebSessionModel.schema, where: "last_seen", before: now.addingTimeInterval(-ExpiringSessions.idleLifetime), on: database))
    }

    /// Deletes the rows of `table` whose `column` is before `cutoff`, in one statement; returns how many.
    static func delete(from table: String, where column: String, before cutoff: some Encodable & Sendable, on database: any Database) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { return 0 }
        return try await sql.raw("DELETE FROM \(ident: table) WHERE \(ident: column) < \(bind: cutoff) RETURNING 1 AS pruned").all().count
    }
}

/// Starts the pruning with the server and stops it with the server.
final class PruningJob: LifecycleHandler, Sendable {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func didBootAsync(_ application: Application) async throws {
        let logger = application.logger
        let running = Task {
            try? await Task.sleep(for: .seconds(60))
            while !Task.isCancelled {
                do {
                    let pruned = try await Pruning.run(on: application.db)
                    if pruned.idempotencyKeys + pruned.loginFailures + pruned.rateLimitWindows + pruned.sessions > 0 {
                        logger.notice("pruned", metadata: [
                            "idempotency_keys": "\(pruned.idempotencyKeys)", "login_failures": "\(pruned.loginFailures)",
                            "rate_limit_windows": "\(pruned.rateLimitWindows)", "sessions": "\(pruned.sessions)"])
                    }
                } catch {
                    logger.warning("pruning failed; next try in an hour", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        task.withLockedValue { $0 = running }
    }

    func shutdownAsync(_ application: Application) async {
        task.withLockedValue { $0 }?.cancel()
    }
}
