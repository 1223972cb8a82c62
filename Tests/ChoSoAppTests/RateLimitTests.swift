import ChoSoCore
import Fluent
import FluentSQL
import Foundation
import Testing
import VaporTesting
@testable import ChoSoApp

/// The public doors refuse an address that knocks too often (429 with `Retry-After`, in the
/// caller's language), one door's count never spends another's, the webhooks are not counted at
/// all, and processes sharing a PostgreSQL share the count (issue 18, item 5).
@Suite struct RateLimitTests {
    static let three = RateLimit(requests: 3, window: 60)

    /// Every door at three a minute, on a clock held in the middle of a window: a slow machine
    /// must not carry a test's requests into the next window.
    static func limitedApp(_ body: @escaping (Application) async throws -> Void) async throws {
        try await withTestApp { app in
            let limits = RequestRateLimits(limits: Dictionary(uniqueKeysWithValues: RateLimitedDoor.allCases.map { ($0, three) }))
            let still = Date(timeIntervalSince1970: 1_764_547_230)
            app.rateLimiter = RequestRateLimiter(limits: limits, sharedInDatabase: !app.choSoConfig.database.isSQLite, clock: { still })
            try await body(app)
        }
    }

    @Test func eachPublicDoorRefusesTheFourthRequestOfAWindowWithRetryAfter() async throws {
        try await Self.limitedApp { app in
            let doors: [(RateLimitedDoor, HTTPMethod, String, String?)] = [
                (.login, .POST, "/api/v1/auth/tokens", #"{"username":"nobody","password":"wrong-password"}"#),
                (.qrCodes, .POST, "/api/v1/qr/decode", #"{"payload":"000201"}"#),
                (.qrCodes, .GET, "/api/v1/qr/encode?bin=970436&account=0123456789", nil),
                (.qrCheck, .POST, "/api/v1/qr/check", #"{"payload":"000201"}"#),
                (.receipts, .GET, "/bien-lai/NR-000001", nil),
                (.productChecks, .GET, "/ocop/khong-co/kiem-tra?m=1", nil),
                (.productChecks, .GET, "/api/v1/ocop/products/khong-co", nil),
            ]
            var used: [RateLimitedDoor: Int] = [:]
            for (door, method, path, json) in doors {
                // Up to the limit, the door answers as it always does (whatever that is).
                while used[door, default: 0] < 3 {
                    let response = try await app.api(method, path, json: json, headers: [("Accept-Language", "vi")])
                    #expect(response.status != .tooManyRequests, "\(path) before the limit")
                    used[door, default: 0] += 1
                }
                let refused = try await app.api(method, path, json: json, headers: [("Accept-Language", "vi")])
                #expect(refused.status == .tooManyRequests, "\(path)")
                let wait = try #require(refused.headers.first(name: "Retry-After").flatMap(Int.init), "\(path) says when")
                #expect(wait == 30, "the clock stands half-way through the window")
                if path.hasPrefix("/api/") {
                    let body = try #require((try refused.json() as? [String: Any])?["error"] as? [String: Any])
                    #expect(body["code"] as? String == "rate_limited")
                    #expect((body["message"] as? String)?.contains("Hãy thử lại sau \(wait) giây") == true, "\(body)")
                } else {
                    #expect(refused.text.contains("Có quá nhiều yêu cầu"), "a page in Vietnamese")
                }
            }
            let metrics = try await app.api(.GET, "/metrics").text
            #expect(OperationalMetricsTests.value(metrics, #"choso_rate_limit_refusals_total{door="qr_codes"}"#) == 2)
            #expect(OperationalMetricsTests.value(metrics, #"choso_rate_limit_refusals_total{door="login"}"#) == 1)
        }
    }

    @Test func theLoginFormIsLimitedAndTheWebhooksAreNot() async throws {
        try await Self.limitedApp { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app, acceptLanguage: "en")
            try await browser.get("/login")
            for attempt in 1...4 {
                let response = try await browser.post("/login", [("username", "ghost"), ("password", "not-the-password"), ("next", "/")])
                #expect((response.status == .tooManyRequests) == (attempt == 4), "attempt \(attempt): \(response.status)")
                if attempt == 4 { #expect(response.text.contains("Too many requests from your address")) }
            }
            // A flood at the doors leaves the payments alone: ten deliveries, all stored.
            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: "limits-secret-0000001")
            let t = String(Int(Date().timeIntervalSince1970))
            for index in 0..<10 {
                let body = #"{"id":"limited-\#(index)","accountNumber":"1234567890123","amount":50000,"direction":"in","description":"mua ca","time":"2026-12-01T08:00:00+07:00"}"#
                let signature = WebhookSignaturesForTests.hmac(t + "." + body, key: "limits-secret-0000001")
                #expect(try await IntakeTests.send(app, connection.path, body: body, headers: [("X-ChoSo-Signature", "t=\(t),v1=\(signature)")]).status == .ok)
            }
        }
    }

    @Test func addressesAndWindowsAreCountedApart() async throws {
        try await withTestApp { app in
            let limiter = RequestRateLimiter(limits: RequestRateLimits(limits: [.receipts: Self.three]), sharedInDatabase: false)
            let start = Date(timeIntervalSince1970: 1_764_547_200)  // a window's first second
            for _ in 0..<3 { #expect(await limiter.refusal(door: .receipts, address: "203.0.113.7", on: app.db, now: start) == nil) }
            #expect(await limiter.refusal(door: .receipts, address: "203.0.113.7", on: app.db, now: start.addingTimeInterval(15)) == 45)
            #expect(await limiter.refusal(door: .receipts, address: "203.0.113.8", on: app.db, now: start.addingTimeInterval(15)) == nil, "another address")
            #expect(await limiter.refusal(door: .login, address: "203.0.113.7", on: app.db, now: start) == nil, "a door without a limit")
            #expect(await limiter.refusal(door: .receipts, address: "203.0.113.7", on: app.db, now: start.addingTimeInterval(60)) == nil, "the next window")
            // One IPv6 subscriber's /64 is one address: changing the last half does not help.
            for host in 1...3 { #expect(await limiter.refusal(door: .receipts, address: "2001:db8:1:2::\(host)", on: app.db, now: start) == nil) }
            #expect(await limiter.refusal(door: .receipts, address: "2001:db8:1:2:aaaa::9", on: app.db, now: start) != nil)
        }
    }

    /// Two limiters on one database are two processes behind the balancer: they share the count,
    /// and a refused address no longer writes to the database.
    @Test func processesSharingADatabaseShareTheCount() async throws {
        try await withTestApp { app in
            let limits = RequestRateLimits(limits: [.qrCheck: Self.three])
            let one = RequestRateLimiter(limits: limits, sharedInDatabase: true)
            let two = RequestRateLimiter(limits: limits, sharedInDatabase: true)
            let now = Date()
            #expect(await one.refusal(door: .qrCheck, address: "198.51.100.4", on: app.db, now: now) == nil)
            #expect(await two.refusal(door: .qrCheck, address: "198.51.100.4", on: app.db, now: now) == nil)
            #expect(await one.refusal(door: .qrCheck, address: "198.51.100.4", on: app.db, now: now) == nil)
            #expect(await two.refusal(door: .qrCheck, address: "198.51.100.4", on: app.db, now: now) != nil, "the fourth, counted by both")
            for _ in 0..<50 { #expect(await two.refusal(door: .qrCheck, address: "198.51.100.4", on: app.db, now: now) != nil) }
            let hits = try await (app.db as! any SQLDatabase).raw("SELECT hits FROM rate_limit_hits").first()?.decode(column: "hits", as: Int64.self)
            #expect(hits == 4, "refusals after the first are answered from memory")
        }
    }
}
