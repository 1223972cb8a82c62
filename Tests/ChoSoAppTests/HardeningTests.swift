import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Issue 12: each way found to crash ChoSo, dodge a limit or act on a bad request, tried again.
@Suite struct HardeningTests {
    @Test func pathsTheFileMiddlewareRefusesGetAnErrorPageWithoutASession() async throws {
        try await withTestApp { app in
            let longSegment = "/api/v1/stalls/" + String(repeating: "9", count: 4000)
            #expect(try await app.testing().sendRequest(.GET, longSegment).status == .unauthorized, "not a 500 from the file lookup")
            for path in ["/../x", "/%2e%2e/x", "/..%2fx", "/%2E%2E%2F%2E%2E%2Fetc/passwd", "/css/../../x"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect((400..<500).contains(response.status.code), "\(path): \(response.status)")
                #expect(response.text.contains("Có lỗi") || response.text.contains("Không tìm thấy"), "\(path)")
            }
            #expect(try await app.testing().sendRequest(.GET, "/healthz").status == .ok)
        }
    }

    @Test func aMultipartBodyWithoutABoundaryIsRefusedNotATrap() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("managera")
            for type in ["multipart/form-data; boundary=", "multipart/form-data", "multipart/form-data; boundary=" + String(repeating: "x", count: 71)] {
                var headers = HTTPHeaders()
                headers.add(name: .contentType, value: type)
                headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                let response = try await app.testing().sendRequest(.POST, "/markets/\(f.marketA)/statements", headers: headers, body: ByteBuffer(string: "--\r\n"))
                #expect(response.status == .badRequest, "\(type)")
            }
            #expect(try await app.testing().sendRequest(.GET, "/healthz").status == .ok)
        }
    }

    @Test func signInNeverRedirectsOffSiteNorSplitsHeaders() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            for next in ["/\r\nSet-Cookie: x=1", "/\t/evil.example", "/\\evil.example", "//evil.example", "https://evil.example", "/%0D%0A"] {
                let browser = Browser(app)
                try await browser.get("/login")
                let response = try await browser.post("/login", [("username", "managera"), ("password", Fixture.password), ("next", next)])
                #expect(response.status == .seeOther)
                let location = response.headers.first(name: .location) ?? ""
                #expect(next == "/%0D%0A" ? location == "/%0D%0A" : location == "/", "\(next.debugDescription) → \(location.debugDescription)")
                #expect(!response.headers[.setCookie].contains { $0.hasPrefix("x=") })

                try await browser.get("/markets")  // the signed-in session's CSRF token
                let switched = try await browser.post("/language", [("lang", "en"), ("back", next)])
                #expect(switched.headers.first(name: .location) == (next == "/%0D%0A" ? "/%0D%0A" : "/"))
            }
        }
    }

    @Test func aBearerHeaderThatSignsNobodyInDoesNotStandForTheCSRFToken() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("merchanta1")
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
            headers.add(name: .authorization, value: "Bearer csd_x")
            let forged = try await app.testing().sendRequest(
                .POST, "/stalls/\(fixture.stallA1)/cash-sales", headers: headers, body: ByteBuffer(string: "amount=50000"))
            #expect(forged.status == .forbidden)
            #expect(try await CashEntryModel.query(on: app.db).count() == 0)

            // A real API token still works without a CSRF token (it carries no ambient credential).
            let api = try await app.api(
                .POST, "/api/v1/stalls/\(fixture.stallA1)/cash-sales", token: fixture.tokens["merchantA1"], json: #"{"amount":50000}"#)
            #expect(api.status == .created, "\(api.text)")
        }
    }

    @Test func anUnreadableBodyChangesNothing() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let manager = fixture.tokens["managerA"]
            let created = try await app.api(
                .POST, "/api/v1/connections", token: manager,
                json: #"{"provider":"generic","secret":"generic-secret-0001","marketId":"\#(fixture.marketA)"}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require((try created.json() as? [String: Any])?["id"] as? String)
            let before = try #require(try await WebhookConnectionModel.find(UUID(uuidString: id), on: app.db)?.secretSealed)

            for body in ["\u{0}", "{", "[1]", #"{"secret":5}"#] {
                let rotated = try await app.api(.POST, "/api/v1/connections/\(id)/rotate", token: manager, json: body)
                #expect(rotated.status == .badRequest, "\(body.debugDescription): \(rotated.status) \(rotated.text)")
                if body == #"{"secret":5}"# { continue }  // a readable body for a device: its name is optional
                let devices = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/devices", token: fixture.tokens["merchantA1"], json: body)
                #expect(devices.status == .badRequest, "\(body.debugDescription): \(devices.status)")
            }
            #expect(try await WebhookConnectionModel.find(UUID(uuidString: id), on: app.db)?.secretSealed == before)
            #expect(try await SpeakerDeviceModel.query(on: app.db).count() == 0)

            // No body at all still means "choose for me".
            let generated = try await app.api(.POST, "/api/v1/connections/\(id)/rotate", token: manager)
            #expect(generated.status == .ok)
            #expect(try await WebhookConnectionModel.find(UUID(uuidString: id), on: app.db)?.secretSealed != before)
        }
    }

    @Test func aStatementSentToAnotherMarketsPageIsRefusedBeforeAnythingIsStored() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let account = try #require(try await ReceivingAccountModel.query(on: app.db).filter(\.$accountNumber == "1234567890123").first())
            let csv = "time,amount,description,reference\n25/11/2026 09:00:00,45.000,mua xoai,FT1\n"
            func upload(as username: String, to market: String) async throws -> TestingHTTPResponse {
                let browser = Browser(app)
                try await browser.login(username)
                try await browser.get("/markets/\(market)/intake")
                let boundary = "----chosotest"
                var body = ""
                for (name, value) in [("_csrf", browser.csrf ?? ""), ("account", try account.requireID().uuidString), ("action", "import")] {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"saoke.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                var headers = HTTPHeaders()
                headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                return try await app.testing().sendRequest(.POST, "/markets/\(market)/statements", headers: headers, body: ByteBuffer(string: body))
            }
            // Market A's board posts A's account to B's page: B is not theirs.
            let foreign = try await upload(as: "managera", to: fixture.marketB)
            #expect(foreign.status == .notFound)
            // The administrator sees both, but the account is not one of B's stalls'.
            let misplaced = try await upload(as: "admin", to: fixture.marketB)
            #expect(misplaced.status == .unprocessableEntity)
            #expect(misplaced.text.contains("không thuộc quầy nào của chợ này"))
            #expect(try await TransferModel.query(on: app.db).count() == 0)
        }
    }

    @Test func wrongPasswordsSlowTheGuesserNotTheUser() async throws {
        try await withTestApp(configure: { $0.loginThrottle = LoginThrottle(freeAttempts: 3, firstWait: 30, longestWait: 900, perAddressLimit: 10) }) { app in
            _ = try await Fixture.make(app)
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            let start = Date()
            for _ in 0..<3 {
                await #expect(throws: AppError.self) {
                    try await accounts.authenticate(username: "admin", password: "guess", clientAddress: "203.0.113.9", now: start)
                }
            }
            // The guesser waits, even with the right password…
            do {
                _ = try await accounts.authenticate(username: "admin", password: Fixture.password, clientAddress: "203.0.113.9", now: start)
                Issue.record("the guesser was let in")
            } catch let error as AppError {
                #expect(error.code == "too_many_attempts")
                #expect(error.message.vi.contains("30 giây"))
            }
            // …the admin at the market office does not.
            let admin = try await accounts.authenticate(username: "admin", password: Fixture.password, clientAddress: "198.51.100.7", now: start)
            #expect(admin.username == "admin")
            // The waits grow: after 30 s one more guess, then a minute.
            let later = start.addingTimeInterval(31)
            await #expect(throws: AppError.self) {
                try await accounts.authenticate(username: "admin", password: "guess", clientAddress: "203.0.113.9", now: later)
            }
            do {
                _ = try await accounts.authenticate(username: "admin", password: "guess", clientAddress: "203.0.113.9", now: later.addingTimeInterval(31))
                Issue.record("no growing wait")
            } catch let error as AppError {
                #expect(error.code == "too_many_attempts")
            }
            // `choso user unlock` forgets them.
            #expect(try await accounts.unlock(username: "ADMIN") == 4)
            let unlocked = try await accounts.authenticate(username: "admin", password: Fixture.password, clientAddress: "203.0.113.9", now: later)
            #expect(unlocked.username == "admin")
        }
    }

    /// Failures under many names shut an address out for everyone behind it (a market on one
    /// carrier address); the operator sees the address and lifts its wait without touching others.
    @Test func anAddressShutOutByManyNamesCanBeSeenAndLifted() async throws {
        try await withTestApp(configure: { $0.loginThrottle = LoginThrottle(freeAttempts: 3, firstWait: 30, longestWait: 900, perAddressLimit: 6) }) { app in
            _ = try await Fixture.make(app)
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            let now = Date()
            for index in 0..<6 {
                await #expect(throws: AppError.self) {
                    try await accounts.authenticate(username: "guess\(index)", password: "guess", clientAddress: "203.0.113.50", now: now)
                }
                await #expect(throws: AppError.self) {
                    try await accounts.authenticate(username: "guess\(index)", password: "guess", clientAddress: "203.0.113.51", now: now)
                }
            }
            await #expect(throws: AppError.self) {
                try await accounts.authenticate(username: "admin", password: Fixture.password, clientAddress: "203.0.113.50", now: now)
            }
            let locked = try await accounts.attempts.lockedAddresses(now: now)
            #expect(locked.map(\.address) == ["203.0.113.50", "203.0.113.51"] && locked.allSatisfy { $0.failures == 6 })
            // Unlocking the name does not lift the address; unlocking the address does, and only it.
            #expect(try await accounts.unlock(username: "admin") == 0)
            await #expect(throws: AppError.self) {
                try await accounts.authenticate(username: "admin", password: Fixture.password, clientAddress: "203.0.113.50", now: now)
            }
            #expect(try await accounts.unlock(address: " 203.0.113.50 ") == 6)
            let admin = try await accounts.authenticate(username: "admin", password: Fixture.password, clientAddress: "203.0.113.50", now: now)
            #expect(admin.username == "admin")
            #expect(try await accounts.attempts.lockedAddresses(now: now).map(\.address) == ["203.0.113.51"])
        }
    }

    @Test func forwardedForIsBelievedOnlyFromConfiguredProxies() async throws {
        for trusted in [false, true] {
            try await withTestApp(configure: {
                $0.loginThrottle.freeAttempts = 2
                if trusted { $0.trustedProxies = (try? TrustedProxies.parse("127.0.0.1, ::1").get()) ?? .none }
            }) { app in
                _ = try await Fixture.make(app)
                let port = Int.random(in: 20_000..<40_000)
                app.http.server.configuration.port = port
                let tester = try app.testing(method: .running(port: port))
                func signIn(_ password: String, from address: String) async throws -> HTTPStatus {
                    var headers = HTTPHeaders()
                    headers.add(name: .contentType, value: "application/json")
                    headers.add(name: .xForwardedFor, value: address)
                    let body = ByteBuffer(string: #"{"username":"managera","password":"\#(password)"}"#)
                    return try await tester.sendRequest(.POST, "/api/v1/auth/tokens", headers: headers, body: body).status
                }
                #expect(try await signIn("nope", from: "203.0.113.1") == .unauthorized)
                #expect(try await signIn("nope", from: "203.0.113.1") == .unauthorized)
                // A made-up address dodges nothing unless a trusted proxy wrote it.
                #expect(try await signIn(Fixture.password, from: "203.0.113.2") == (trusted ? .created : .tooManyRequests))
            }
        }
    }

    @Test func pairingCodesCannotBeGuessedWithoutLimit() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let started = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/devices", token: fixture.tokens["merchantA1"])
            #expect(started.status == .created)
            let code = try #require((try started.json() as? [String: Any])?["pairingCode"] as? String)
            for guess in 0..<5 {
                let wrong = try await app.api(.POST, "/api/v1/devices/pair", json: #"{"code":"ZZZZ-ZZZ\#(guess)"}"#)
                #expect(wrong.status == .notFound)
            }
            let throttled = try await app.api(.POST, "/api/v1/devices/pair", json: #"{"code":"\#(code)"}"#)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.errorCode() == "too_many_attempts")

            // Once the wait is over the right code works; and a code expires after ten minutes.
            let service = SpeakerDeviceService(database: app.db)
            let limiter = AttemptLimiter(database: app.db, throttle: app.choSoConfig.loginThrottle)
            let paired = try await service.pair(code: code, clientAddress: "unknown", attempts: limiter, now: Date().addingTimeInterval(45))
            #expect(paired.0.pairedAt != nil)
            let second = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/devices", token: fixture.tokens["merchantA1"])
            let secondCode = try #require((try second.json() as? [String: Any])?["pairingCode"] as? String)
            await #expect(throws: AppError.self) {
                try await service.pair(code: secondCode, clientAddress: "198.51.100.1", attempts: limiter, now: Date().addingTimeInterval(11 * 60))
            }
        }
    }
}

/// Revoking what opened an event stream closes it, within seconds.
@Suite struct RevocationTests {
    /// The response of a request whose body is an event stream, or nil when it has not ended
    /// within `seconds` (an open stream never ends by itself).
    static func streamEnds(_ app: Application, _ path: String, token: String, within seconds: Double, after act: () async throws -> Void) async throws -> Bool {
        var headers = HTTPHeaders()
        headers.add(name: .authorization, value: "Bearer \(token)")
        let finished = FinishFlag()
        let request = Task {
            _ = try? await app.testing().sendRequest(.GET, path, headers: headers)
            await finished.set()
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(await !finished.value, "the stream ended before anything was revoked")
        try await act()
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if await finished.value { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        request.cancel()
        return false
    }

    actor FinishFlag {
        var value = false
        func set() { value = true }
    }

    @Test func revokingASpeakerClosesItsStream() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let started = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/devices", token: fixture.tokens["merchantA1"])
            let code = try #require((try started.json() as? [String: Any])?["pairingCode"] as? String)
            let deviceID = try #require((try started.json() as? [String: Any])?["id"] as? String)
            let paired = try await app.api(.POST, "/api/v1/devices/pair", json: #"{"code":"\#(code)"}"#)
            let token = try #require((try paired.json() as? [String: Any])?["token"] as? String)
            let ended = try await Self.streamEnds(app, "/api/v1/devices/stream", token: token, within: 8) {
                let revoked = try await app.api(.DELETE, "/api/v1/devices/\(deviceID)", token: fixture.tokens["merchantA1"])
                #expect(revoked.status == .noContent)
            }
            #expect(ended)
        }
    }

    @Test func disablingAUserOrANewPasswordClosesTheirStreamsAndEndsTheirTokens() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let token = try #require(fixture.tokens["merchantA1"])
            let ended = try await Self.streamEnds(app, "/api/v1/stalls/\(fixture.stallA1)/events", token: token, within: 8) {
                let user = try #require(try await UserModel.query(on: app.db).filter(\.$username == "merchanta1").first())
                try await app.db.transaction { db in try await app.accountsForTests.endCredentials(of: user, on: db) }
            }
            #expect(ended)
            #expect(try await app.api(.GET, "/api/v1/me", token: token).status == .unauthorized)
        }
    }

    @Test func aSessionBegunBeforeThePasswordChangedIsOver() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("managera")
            #expect(try await browser.get("/markets").status == .ok)
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$username == "managera").first())
            try await app.db.transaction { db in try await app.accountsForTests.endCredentials(of: user, on: db) }
            let after = try await browser.get("/markets")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }
}

extension Application {
    var accountsForTests: AccountService { AccountService(database: db, hasher: password.async, config: choSoConfig) }
}

@Suite struct OneTimeTests {
    @Test func aStatementRowShowsItsBankTimeOnTheLiveScreenAsOnTheDayClose() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let timeZone = app.choSoConfig.timeZone
            let today = Day(Date(), in: timeZone)
            let csv = "time,amount,description,reference\n\(today.vietnamese) 00:15:00,45.000,mua xoai,FT1\n"
            let service = StatementImportService(database: app.db, user: nil, config: app.choSoConfig, intake: app.intake)
            _ = try await service.importStatement(accountID: "1234567890123", bytes: Array(csv.utf8), format: .csv, layout: "generic", dryRun: false)
            let transfer = try #require(try await TransferModel.query(on: app.db).first())
            let bankTime = try #require(transfer.bankTime)
            #expect(BankTime.formatLocal(bankTime, timeZone: timeZone).hasSuffix("00:15:00"))

            #expect(LiveEventDTO(PaymentEvent(transfer), reading: .south).time == bankTime)
            let api = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/transfers", token: fixture.tokens["merchantA1"])
            let listed = try #require((try api.json() as? [[String: Any]])?.first)
            #expect(listed["time"] as? String == listed["bankTime"] as? String)

            let browser = Browser(app)
            try await browser.login("merchanta1")
            let live = try await browser.get("/stalls/\(fixture.stallA1)/live")
            #expect(live.text.contains("00:15"))
            let close = try await browser.get("/stalls/\(fixture.stallA1)/close?date=\(today.iso)")
            #expect(close.text.contains("00:15"))
        }
    }
}

/// A double tap or a resend on a weak link creates nothing twice.
@Suite struct OnceOnlyTests {
    @Test func twoIdenticalAPIRequestsAtTheSameMomentMakeOneRequestAndGetOneAnswer() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let token = fixture.tokens["merchantA1"]
            let key = [("Idempotency-Key", "tap-\(UUID().uuidString)")]
            async let first = app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/payment-requests", token: token, json: #"{"amount":200000}"#, headers: key)
            async let second = app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/payment-requests", token: token, json: #"{"amount":200000}"#, headers: key)
            let (a, b) = try await (first, second)
            #expect(a.status == .created && b.status == .created, "\(a.status) \(b.status)")
            #expect(a.text == b.text)
            #expect(try await PaymentRequestModel.query(on: app.db).count() == 1)
            #expect([a, b].filter { $0.headers.first(name: "Idempotent-Replayed") == "true" }.count == 1)

            // The same key later replays; with another body it is refused and changes nothing.
            let again = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/payment-requests", token: token, json: #"{"amount":200000}"#, headers: key)
            #expect(again.text == a.text)
            let other = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/payment-requests", token: token, json: #"{"amount":5000}"#, headers: key)
            #expect(other.status == .unprocessableEntity)
            #expect(other.errorCode() == "idempotency_key_reused")
            // Keys belong to their user: another user's same key is theirs alone.
            let cash = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/cash-sales", token: fixture.tokens["managerA"], json: #"{"amount":5000}"#, headers: key)
            #expect(cash.status != .unprocessableEntity)
            // A refused request does not take the key: corrected, it goes through.
            let badKey = [("Idempotency-Key", "fix-\(UUID().uuidString)")]
            let refused = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/cash-sales", token: token, json: #"{"amount":"x"}"#, headers: badKey)
            #expect(refused.status.code >= 400)
            let fixed = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/cash-sales", token: token, json: #"{"amount":7000}"#, headers: badKey)
            #expect(fixed.status == .created, "\(fixed.text)")
            #expect(try await PaymentRequestModel.query(on: app.db).count() == 1)
        }
    }

    @Test func aDoubleTapOnTheTillRecordsOneCashSale() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("merchanta1")
            let till = try await browser.get("/stalls/\(fixture.stallA1)/today")
            let once = try #require(Self.field("_once", in: till.text))
            async let first = browser.post("/stalls/\(fixture.stallA1)/cash-sales", [("amount", "50.000"), ("_once", once)])
            async let second = browser.post("/stalls/\(fixture.stallA1)/cash-sales", [("amount", "50.000"), ("_once", once)])
            let (a, b) = try await (first, second)
            #expect(a.status == .seeOther && b.status == .seeOther, "\(a.status) \(b.status)")
            #expect(a.headers.first(name: .location) == b.headers.first(name: .location))
            #expect(try await CashEntryModel.query(on: app.db).count() == 1)

            // The page that follows has a new key: the next sale of the same amount is a new sale.
            let next = try await browser.get("/stalls/\(fixture.stallA1)/today")
            let nextOnce = try #require(Self.field("_once", in: next.text))
            #expect(nextOnce != once)
            _ = try await browser.post("/stalls/\(fixture.stallA1)/cash-sales", [("amount", "50.000"), ("_once", nextOnce)])
            #expect(try await CashEntryModel.query(on: app.db).count() == 2)
            // The same page key on another form of the page is another action, not a replay.
            _ = try await browser.post("/stalls/\(fixture.stallA1)/debts", [("amount", "50.000"), ("customerName", "Chú Năm"), ("_once", nextOnce)])
            #expect(try await CashEntryModel.query(on: app.db).count() == 3)
        }
    }

    static func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: #"name="\#(name)" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

/// Every change of where a stall's money goes waits for a second member of the market board.
@Suite struct TwoPersonRuleTests {
    @Test func aLoneBoardMemberCannotStopTheAccountAndAddTheirOwn() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let lone = f.tokens["managerA"]
            let second = try await app.accountsForTests.createUser(.init(
                username: "managera2", displayName: "Bà Tư", password: Fixture.password, role: .marketManager, scope: [f.marketA]))
            let secondToken = try await app.accountsForTests.issueToken(for: try second.requireID(), name: "test").1
            let original = try #require(try await ReceivingAccountModel.query(on: app.db).filter(\.$accountNumber == "1234567890123").first())
            let originalID = try original.requireID().uuidString

            // What one member found they could do alone: stop the account, then add a wallet.
            let stop = try await app.api(.POST, "/api/v1/accounts/\(originalID)/deactivate", token: lone)
            #expect(stop.status == .accepted)
            #expect((try stop.json() as? [String: Any])?["action"] as? String == "deactivate")
            let add = try await app.api(
                .POST, "/api/v1/stalls/\(f.stallA1)/accounts", token: lone,
                json: #"{"kind":"mobile_money","bin":"971011","accountNumber":"0889000111","holderName":"LE VAN X"}"#)
            #expect(add.status == .accepted)
            // Nothing changed: the stall is paid into its own account, and its board still says so.
            let active = try await ReceivingAccountModel.query(on: app.db).filter(\.$stall.$id == UUID(uuidString: f.stallA1)!)
                .filter(\.$activeKind != nil).all()
            #expect(active.map(\.accountNumber) == ["1234567890123"])
            let board = try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)", token: lone)
            #expect(!board.text.contains("0889000111"))
            // The keeper sees both pending changes on the till.
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            let till = try await keeper.get("/stalls/\(f.stallA1)/today")
            #expect(till.text.contains("ngừng nhận tiền vào"))
            #expect(till.text.contains("chờ người thứ hai xác nhận"))

            // Neither can be confirmed by the one who asked; the second member confirms the stop.
            let stopID = try #require((try stop.json() as? [String: Any])?["id"] as? String)
            #expect(try await app.api(.POST, "/api/v1/account-changes/\(stopID)/confirm", token: lone).status == .forbidden)
            #expect(try await app.api(.POST, "/api/v1/account-changes/\(stopID)/confirm", token: secondToken).status == .ok)
            #expect(try await ReceivingAccountModel.find(original.requireID(), on: app.db)?.isActive == false)

            // Using it again is a request too.
            let again = try await app.api(.POST, "/api/v1/accounts/\(originalID)/reactivate", token: secondToken)
            #expect(again.status == .accepted)
            #expect(try await ReceivingAccountModel.find(original.requireID(), on: app.db)?.isActive == false)
            let againID = try #require((try again.json() as? [String: Any])?["id"] as? String)
            #expect(try await app.api(.POST, "/api/v1/account-changes/\(againID)/confirm", token: lone).status == .ok)
            #expect(try await ReceivingAccountModel.find(original.requireID(), on: app.db)?.isActive == true)
            #expect(try await app.api(.POST, "/api/v1/accounts/\(originalID)/reactivate", token: lone).status == .conflict)
        }
    }

    @Test func aStallsVeryFirstAccountIsRegisteredAtOnceAndAudited() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let first = try await app.api(
                .POST, "/api/v1/stalls/\(f.stallA2)/accounts", token: f.tokens["managerA"],
                json: #"{"kind":"bank","bin":"970436","accountNumber":"0071000999888","holderName":"TRAN VAN TU"}"#)
            #expect(first.status == .created, "\(first.text)")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "account.add").count() == 1)
        }
    }
}

/// The server says what /openapi.json says (issue 12.20).
@Suite struct ConformanceTests {
    @Test func undeclaredMethodsAreRefusedWith405AndTheMethodsThereAre() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let trace = try await app.api(.TRACE, "/api/v1/markets", token: f.tokens["admin"])
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers.first(name: .allow) == "GET")
            // A fixed word beats a parameter, as in the router: devices/pair is not devices/:id.
            let pair = try await app.api(.GET, "/api/v1/devices/pair", token: f.tokens["admin"])
            #expect(pair.headers.first(name: .allow) == "POST")
            // A handler's own 404 stays a 404.
            #expect(try await app.api(.GET, "/api/v1/markets/\(UUID())", token: f.tokens["admin"]).status == .notFound)
        }
    }

    @Test func oddQueryValuesAreRefusedAndAbsentValuesAreNull() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            for value in ["%C2%85", "null", "1", ""] {
                let response = try await app.api(.GET, "/api/v1/markets/\(f.marketA)/stalls?includeInactive=\(value)", token: f.tokens["admin"])
                #expect(response.status == .badRequest, "\(value)")
            }
            #expect(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/stalls?includeInactive=true", token: f.tokens["admin"]).status == .ok)
            let summary = try await app.api(.GET, "/api/v1/markets/\(f.marketA)/summary?from=2024-01-01&to=2024-01-02", token: f.tokens["admin"])
            #expect(summary.text.contains(#""cashlessShare":null"#))
            #expect(summary.text.contains(#""lastTransferDate":null"#))
            let made = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":50000}"#)
            let id = try #require((try made.json() as? [String: Any])?["id"] as? String)
            for bad in ["21", "0", "x"] {
                let scale = try await app.api(.GET, "/api/v1/payment-requests/\(id)/qr.png?scale=\(bad)", token: f.tokens["merchantA1"])
                #expect(scale.status == .badRequest, "scale=\(bad)")
            }
            #expect(try await app.api(.GET, "/api/v1/payment-requests/\(id)/qr.png?scale=6", token: f.tokens["merchantA1"]).status == .ok)
        }
    }
}
