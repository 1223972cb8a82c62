import ChoSoCore
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Counts requests per public door and client address (`RequestRateLimits`). On PostgreSQL the
/// count is one row per (door, address, window) that every process behind the balancer adds to;
/// on SQLite, where one process serves, it is kept in memory so that a flood never writes to the
/// database the intake commits to. Once an address is refused for a window, this process answers
/// it from memory until the window ends: a flood costs at most `requests` database writes per
/// window and process.
final class RequestRateLimiter: Sendable {
    private struct Key: Hashable {
        var door: RateLimitedDoor
        var address: String
        var windowStart: Int64
    }

    private struct Counts {
        var hits: [Key: Int64] = [:]
        var refused: Set<Key> = []
        var sweptAt: Int64 = 0
    }

    /// Beyond this many counters in memory, the oldest knowledge is dropped rather than grow
    /// without bound under a flood from many addresses.
    static let maxKeysInMemory = 200_000

    let limits: RequestRateLimits
    private let sharedInDatabase: Bool
    private let clock: @Sendable () -> Date
    private let counts = NIOLockedValueBox(Counts())

    /// `clock` is the time the windows are read from (tests hold it still).
    init(limits: RequestRateLimits, sharedInDatabase: Bool, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.limits = limits
        self.sharedInDatabase = sharedInDatabase
        self.clock = clock
    }

    /// Counts this request; nil when it may go on, or the whole seconds to wait.
    func refusal(door: RateLimitedDoor, address: String, on database: any Database, now given: Date? = nil) async -> Int? {
        guard let limit = limits[door] else { return nil }
        let now = given ?? clock()
        let key = Key(door: door, address: RequestRateLimits.counterKey(for: address), windowStart: limit.windowStart(at: now))
        if counts.withLockedValue({ $0.refused.contains(key) }) { return limit.secondsLeft(at: now) }
        let hits: Int64
        if sharedInDatabase, let sql = database as? any SQLDatabase {
            do {
                hits = try await withDeadline(.seconds(2)) { try await Self.addHit(key, on: sql) }
            } catch {
                // The count is a protection, not a gate on the database: when it cannot be
                // reached the request goes on (and meets the same database on its way).
                database.logger.warning("rate limit not counted", metadata: ["error": "\(String(reflecting: error))"])
                return nil
            }
        } else {
            hits = counts.withLockedValue { counts in
                sweep(&counts, now: Int64(now.timeIntervalSince1970))
                counts.hits[key, default: 0] += 1
                return counts.hits[key]!
            }
        }
        guard hits > Int64(limit.requests) else { return nil }
        counts.withLockedValue { counts in
            counts.refused.insert(key)
            sweep(&counts, now: Int64(now.timeIntervalSince1970))
        }
        return limit.secondsLeft(at: now)
    }

    private static func addHit(_ key: Key, on sql: any SQLDatabase) async throws -> Int64 {
        let row = try await sql.raw("""
            INSERT INTO rate_limit_hits (door, client_address, window_start, hits)
            VALUES (\(bind: key.door.rawValue), \(bind: key.address), \(bind: key.windowStart), 1)
            ON CONFLICT (door, client_address, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
            RETURNING hits
            """).first()
        return try row?.decode(column: "hits", as: Int64.self) ?? 1
    }

    /// Forgets the windows that have ended, at most once a second; everything when memory is full.
    private func sweep(_ counts: inout Counts, now: Int64) {
        if counts.hits.count + counts.refused.count > Self.maxKeysInMemory {
            counts = Counts(sweptAt: now)
            return
        }
        guard now > counts.sweptAt else { return }
        counts.sweptAt = now
        let limits = self.limits
        func current(_ key: Key) -> Bool { key.windowStart + Int64(limits[key.door]?.window ?? 0) > now }
        counts.hits = counts.hits.filter { current($0.key) }
        counts.refused = counts.refused.filter(current)
    }
}

/// Refuses a request with 429 and `Retry-After` when its address has used up the door's window.
struct RateLimitMiddleware: AsyncMiddleware {
    let door: RateLimitedDoor

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let app = request.application
        if let wait = await app.rateLimiter.refusal(door: door, address: request.clientAddress, on: request.db) {
            app.operationalMetrics.rateLimitRefusal(door: door)
            throw AppError.rateLimited(retryAfter: wait)
        }
        return try await next.respond(to: request)
    }
}

extension RoutesBuilder {
    /// These routes, counted at `door`.
    func rateLimited(_ door: RateLimitedDoor) -> any RoutesBuilder {
        grouped(RateLimitMiddleware(door: door))
    }
}

extension Application {
    private struct RateLimiterKey: StorageKey { typealias Value = RequestRateLimiter }

    /// Set up by the app factory.
    var rateLimiter: RequestRateLimiter {
        get { storage[RateLimiterKey.self] ?? RequestRateLimiter(limits: .off, sharedInDatabase: false) }
        set { storage[RateLimiterKey.self] = newValue }
    }
}
