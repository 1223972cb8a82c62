import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

@Suite struct AuthenticationTests {
    @Test func tokensAreIssuedListedRevokedAndStoredHashed() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let issued = try await app.api(
                .POST, "/api/v1/auth/tokens", json: #"{"username":"managera","password":"\#(Fixture.password)","name":"điện thoại"}"#)
            #expect(issued.status == .created)
            let body = try #require(try issued.json() as? [String: Any])
            let token = try #require(body["token"] as? String)
            let id = try #require(body["id"] as? String)
            #expect(token.hasPrefix("cs_"))

            // Only a hash is kept.
            let stored = try await APITokenModel.query(on: app.db).all()
            #expect(!stored.contains { $0.tokenHash == token })
            #expect(stored.contains { $0.tokenHash == AccountService.hash(token: token) })

            let me = try await app.api(.GET, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(me.text.contains("\"role\":\"market_manager\""))

            let list = try await app.api(.GET, "/api/v1/auth/tokens", token: token)
            #expect(list.status == .ok)
            #expect(try await APITokenModel.find(UUID(uuidString: id)!, on: app.db)?.lastUsedAt != nil)
            #expect(!list.text.contains(token))
            #expect((try list.json() as? [Any])?.count == 2)

            // Another user cannot revoke it, and cannot learn it exists.
            let foreign = try await app.api(.DELETE, "/api/v1/auth/tokens/\(id)", token: fixture.tokens["managerB"])
            #expect(foreign.status == .notFound)

            let revoked = try await app.api(.DELETE, "/api/v1/auth/tokens/\(id)", token: token)
            #expect(revoked.status == .ok)
            let after = try await app.api(.GET, "/api/v1/me", token: token)
            #expect(after.status == .unauthorized)
            #expect(after.errorCode() == "bad_token")
        }
    }

    @Test func wrongPasswordIsRefusedAndRepeatedFailuresAreLimited() async throws {
        try await withTestApp(configure: { $0.loginThrottle.freeAttempts = 3 }) { app in
            _ = try await Fixture.make(app)
            for _ in 0..<3 {
                let wrong = try await app.api(.POST, "/api/v1/auth/tokens", json: #"{"username":"managera","password":"nope"}"#)
                #expect(wrong.status == .unauthorized)
                #expect(wrong.errorCode() == "bad_credentials")
                #expect(wrong.text.contains("Sai tên đăng nhập hoặc mật khẩu"))
            }
            // Even the right password is refused now, for this name only.
            let limited = try await app.api(.POST, "/api/v1/auth/tokens", json: #"{"username":"managera","password":"\#(Fixture.password)"}"#)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode() == "too_many_attempts")
            let other = try await app.api(.POST, "/api/v1/auth/tokens", json: #"{"username":"managerb","password":"\#(Fixture.password)"}"#)
            #expect(other.status == .created)
            #expect(try await APITokenModel.query(on: app.db).count() == 9)
        }
    }

    /// The sign-in page says when to try again, in its text and in `Retry-After`, like the API.
    @Test func theSignInPageSaysWhenToRetry() async throws {
        try await withTestApp(configure: { $0.loginThrottle.freeAttempts = 2 }) { app in
            _ = try await Fixture.make(app)
            let browser = Browser(app)
            _ = try await browser.get("/login")
            for _ in 0..<2 {
                let wrong = try await browser.post("/login", [("username", "managera"), ("password", "nope")])
                #expect(wrong.status == .unauthorized && wrong.headers.first(name: .retryAfter) == nil)
            }
            let limited = try await browser.post("/login", [("username", "managera"), ("password", Fixture.password)])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.text.contains("Nhập sai nhiều lần"))
            let seconds = Int(limited.headers.first(name: .retryAfter) ?? "")
            #expect(seconds.map { (1...30).contains($0) } == true, "\(limited.headers)")
        }
    }

    @Test func unknownUserGetsTheSameAnswerAsAWrongPassword() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let unknown = try await app.api(.POST, "/api/v1/auth/tokens", json: #"{"username":"ghost","password":"whatever1"}"#)
            let wrong = try await app.api(.POST, "/api/v1/auth/tokens", json: #"{"username":"managera","password":"whatever1"}"#)
            #expect(unknown.status == wrong.status)
            #expect(unknown.text == wrong.text)
        }
    }

    @Test func webLoginUsesAFreshHttpOnlySessionAndChecksCSRF() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let browser = Browser(app)
            let page = try await browser.get("/login")
            #expect(page.status == .ok)
            let anonymousSession = try #require(browser.cookies["choso_session"])
            let token = try #require(browser.csrf)

            // Without the token, or with another one, nothing happens.
            let forged = try await browser.post("/login", [("username", "managera"), ("password", Fixture.password)], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("Phiên làm việc đã hết hạn"))

            let login = try await browser.post("/login", [("username", "managera"), ("password", Fixture.password), ("next", "/markets")], csrf: token)
            #expect(login.status == .seeOther)
            #expect(login.headers.first(name: .location) == "/markets")
            let cookie = try #require(login.headers[.setCookie].first { $0.hasPrefix("choso_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(browser.cookies["choso_session"] != anonymousSession)

            let markets = try await browser.get("/markets")
            #expect(markets.status == .ok)
            #expect(markets.text.contains("Chợ Ngan Rô"))

            // Signing out needs the token too, and ends the session.
            let badLogout = try await browser.post("/logout", [], csrf: "forged")
            #expect(badLogout.status == .forbidden)
            let logout = try await browser.post("/logout", [])
            #expect(logout.status == .seeOther)
            let afterwards = try await browser.get("/markets")
            #expect(afterwards.status == .seeOther)
            #expect(afterwards.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test func aSessionUnusedAsLongAsItsCookieLivesNoLongerSignsIn() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("managera")
            #expect(try await browser.get("/markets").status == .ok)
            let used = try #require(try await WebSessionModel.query(on: app.db).all().compactMap(\.lastSeen).max())
            #expect(abs(used.timeIntervalSinceNow) < 60, "each use is noted")
            // Thirteen days idle: still signed in. Fifteen: over, though the cookie was kept.
            try await WebSessionModel.query(on: app.db).set(\.$lastSeen, to: Date().addingTimeInterval(-13 * 24 * 3600)).update()
            #expect(try await browser.get("/markets").status == .ok)
            try await WebSessionModel.query(on: app.db).set(\.$lastSeen, to: Date().addingTimeInterval(-15 * 24 * 3600)).update()
            let stale = try await browser.get("/markets")
            #expect(stale.status == .seeOther)
            #expect(stale.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test func loginRedirectStaysOnThisSite() async throws {
        #expect(AuthWebController.safeRedirect("//evil.example/x") == "/")
        #expect(AuthWebController.safeRedirect("https://evil.example") == "/")
        #expect(AuthWebController.safeRedirect("/\\evil.example") == "/")
        #expect(AuthWebController.safeRedirect("/markets?x=1") == "/markets?x=1")
    }

    @Test func wrongPasswordOnTheWebShowsTheMessageAndKeepsTheName() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let browser = Browser(app)
            let response = try await browser.login("managera", password: "wrong-password")
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("Sai tên đăng nhập hoặc mật khẩu"))
            #expect(response.text.contains(#"value="managera""#))
        }
    }

    @Test func cliUserAddValidatesScopeAndPassword() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let service = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            await #expect(throws: AppError.self) {
                try await service.createUser(.init(username: "x", displayName: "", password: "short", role: .marketManager, scope: ["nope"]))
            }
            do {
                try await service.createUser(.init(username: "Bad Name", displayName: "", password: "short", role: .merchant, scope: []))
                Issue.record("a bad user name, short password and missing scope were accepted")
            } catch let error as AppError {
                #expect(Set(error.fieldErrors.map(\.code)) == ["bad_username", "weak_password", "scope_required"])
            }
            let user = try await service.createUser(.init(
                username: "bql.moi", displayName: "Ban quản lý", password: "long enough", role: .marketManager, scope: [fixture.marketA]))
            #expect(user.passwordHash.hasPrefix("$2"))
            #expect(try await UserModel.query(on: app.db).filter(\.$username == "bql.moi").count() == 1)
        }
    }
}
