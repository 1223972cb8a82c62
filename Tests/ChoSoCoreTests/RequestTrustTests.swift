import ChoSoCore
import Foundation
import Testing

@Suite struct RequestTrustTests {
    @Test func redirectsStayOnThisSite() {
        for safe in ["/", "/markets", "/stalls/1/today?date=2026-11-30", "/login?next=%2Fmarkets", "/a/b#x"] {
            #expect(SafeRedirect.path(safe) == safe)
        }
        for unsafe in [
            nil, "", "markets", "//evil.example", "/\\evil.example", "/\t/evil.example", "\t//evil.example", "/\r\nSet-Cookie: x=1",
            "https://evil.example", "/\u{0}", "/ spaced", "/\u{7F}", "/chợ", " /markets", "/" + String(repeating: "a", count: 3000),
        ] {
            #expect(SafeRedirect.path(unsafe) == "/", "\(unsafe.debugDescription)")
        }
    }

    @Test func rateLimitWindowsAndCounterKeys() {
        let limit = RateLimit(requests: 5, window: 60)
        let start = Date(timeIntervalSince1970: 1_764_547_200)
        #expect(limit.windowStart(at: start.addingTimeInterval(59.9)) == 1_764_547_200)
        #expect(limit.windowStart(at: start.addingTimeInterval(60)) == 1_764_547_260)
        #expect(limit.secondsLeft(at: start) == 60)
        #expect(limit.secondsLeft(at: start.addingTimeInterval(59.5)) == 1)
        #expect(RequestRateLimits.counterKey(for: "203.0.113.9") == "203.0.113.9")
        #expect(RequestRateLimits.counterKey(for: "2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(RequestRateLimits.counterKey(for: "2001:db8:1:2::ffff") == RequestRateLimits.counterKey(for: "2001:DB8:1:2:abcd::1"))
        #expect(RequestRateLimits.counterKey(for: "unknown") == "unknown")
    }

    @Test func forwardedForIsReadOnlyAsFarAsTrustedProxiesVouch() throws {
        let proxies = try TrustedProxies.parse("127.0.0.1, 10.0.0.0/8, ::1, fd00::/8").get()
        #expect(proxies.trusts("10.200.3.4"))
        #expect(!proxies.trusts("11.0.0.1"))
        #expect(proxies.trusts("fd12::1"))
        #expect(proxies.trusts("::1"))
        #expect(!proxies.trusts("::2"))
        // Someone connecting directly says nothing about anyone else.
        #expect(proxies.clientAddress(peer: "203.0.113.5", forwardedFor: ["1.2.3.4"]) == "203.0.113.5")
        // Through our proxy: the first address from the right that no trusted proxy wrote.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.5"]) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.5, 10.1.1.1"]) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["garbage"]) == "127.0.0.1")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(TrustedProxies.none.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.2.3.4"]) == "127.0.0.1")
        #expect(TrustedProxies.none.clientAddress(peer: nil, forwardedFor: ["1.2.3.4"]) == "unknown")
        guard case .failure(let error) = TrustedProxies.parse("127.0.0.1, 10.0.0.0/33, nonsense, 1.2.3") else {
            Issue.record("bad entries were accepted")
            return
        }
        #expect(error.entries == ["10.0.0.0/33", "nonsense", "1.2.3"])
    }

    @Test func waitsGrowWithFailuresAndAreBounded() {
        let throttle = LoginThrottle(freeAttempts: 5, firstWait: 30, longestWait: 900, perAddressLimit: 30)
        #expect((0..<5).map { throttle.wait(afterFailures: $0) } == [0, 0, 0, 0, 0])
        #expect([5, 6, 7, 8, 9, 10, 11, 1_000_000].map { throttle.wait(afterFailures: $0) } == [30, 60, 120, 240, 480, 900, 900, 900])
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(throttle.retryAt(pairFailures: 5, lastPairFailure: now, addressFailures: 5, lastAddressFailure: now, now: now.addingTimeInterval(29))
            == now.addingTimeInterval(30))
        #expect(throttle.retryAt(pairFailures: 5, lastPairFailure: now, addressFailures: 5, lastAddressFailure: now, now: now.addingTimeInterval(30)) == nil)
        // Below the free attempts there is no wait, whatever the clock's rounding.
        #expect(throttle.retryAt(pairFailures: 4, lastPairFailure: now.addingTimeInterval(0.001), addressFailures: 4, lastAddressFailure: now, now: now) == nil)
        // One address trying name after name waits as long as the longest wait.
        #expect(throttle.retryAt(pairFailures: 0, lastPairFailure: nil, addressFailures: 30, lastAddressFailure: now, now: now)
            == now.addingTimeInterval(900))
    }
}

@Suite struct LoginPolicyTests {
    let boardA = Principal(userID: "b", role: .marketManager, scope: ["A"])

    @Test func aBoardManagesItsOwnMarketsKeepersAndMembersOnly() {
        #expect(AccessPolicy.decide(boardA, .update, .login(userID: "k", role: .merchant, marketIDs: ["A"])) == .allow)
        // A fellow board member's login is seen, never made, reset or disabled by the board: one
        // member could otherwise make or take over the "second member" of the two-person rule.
        #expect(AccessPolicy.decide(boardA, .read, .login(userID: "m", role: .marketManager, marketIDs: ["A"])) == .allow)
        #expect(AccessPolicy.decide(boardA, .create, .login(userID: "", role: .marketManager, marketIDs: ["A"])) != .allow)
        #expect(AccessPolicy.decide(boardA, .update, .login(userID: "m", role: .marketManager, marketIDs: ["A"])) != .allow)
        #expect(AccessPolicy.decide(boardA, .update, .login(userID: "k", role: .merchant, marketIDs: ["A", "B"])) == .hidden)
        #expect(AccessPolicy.decide(boardA, .update, .login(userID: "k", role: .merchant, marketIDs: [])) == .hidden)
        #expect(AccessPolicy.decide(boardA, .update, .login(userID: "o", role: .officer, marketIDs: ["A"])) == .hidden)
        #expect(AccessPolicy.decide(boardA, .update, .login(userID: "a", role: .admin, marketIDs: [])) == .hidden)
        // Their own login they may see, not reset or disable from here.
        #expect(AccessPolicy.decide(boardA, .read, .login(userID: "b", role: .marketManager, marketIDs: ["A"])) == .allow)
        #expect(AccessPolicy.decide(boardA, .deactivate, .login(userID: "b", role: .marketManager, marketIDs: ["A"])) == .forbidden)
    }

    @Test func nobodyElseManagesLogins() {
        for role in [Role.officer, .merchant, .teamMember] {
            let principal = Principal(userID: "p", role: role, scope: ["A", "s1", "31673@2025-07-01"])
            #expect(AccessPolicy.decide(principal, .update, .login(userID: "k", role: .merchant, marketIDs: ["A"])) == .hidden)
            #expect(AccessPolicy.decide(principal, .update, .login(userID: "p", role: role, marketIDs: [])) == .forbidden)
        }
        #expect(AccessPolicy.decide(Principal(userID: "x", role: .admin), .deactivate, .login(userID: "k", role: .officer, marketIDs: [])) == .allow)
    }
}
