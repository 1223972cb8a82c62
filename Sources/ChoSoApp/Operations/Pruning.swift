import Fluent
import NIOConcurrencyHelpers
import Vapor

/// What the server forgets by itself: answers kept for repeated requests after their day
/// (`Idempotency-Key`, `_once`), and failed sign-ins long after they slow anyone down. Runs in
/// every `choso serve` process a minute after it starts and then every hour; on PostgreSQL
/// several processes may prune at once, which deletes nothing twice.
enum Pruning {
    /// Failed sign-ins older than this no longer count (the throttle looks back an hour at most).
    static let loginFailuresKeptFor: TimeInterval = 24 * 60 * 60

    struct Pruned: Sendable, Equatable { var idempotencyKeys: Int, loginFailures: Int }

    static func run(on database: any Database, now: Date = Date()) async throws -> Pruned {
        let keyCutoff = now.addingTimeInterval(-IdempotencyMiddleware.keptFor)
        let failureCutoff = now.addingTimeInterval(-loginFailuresKeptFor)
        let keys = try await IdempotencyKeyModel.query(on: database).filter(\.$createdAt < keyCutoff).count()
        try await IdempotencyKeyModel.query(on: database).filter(\.$createdAt < keyCutoff).delete()
        let failures = try await LoginFailureModel.query(on: database).filter(\.$failedAt < failureCutoff).count()
        try await LoginFailureModel.query(on: database).filter(\.$failedAt < failureCutoff).delete()
        return Pruned(idempotencyKeys: keys, loginFailures: failures)
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
                    if pruned.idempotencyKeys + pruned.loginFailures > 0 {
                        logger.notice("pruned", metadata: ["idempotency_keys": "\(pruned.idempotencyKeys)", "login_failures": "\(pruned.loginFailures)"])
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
