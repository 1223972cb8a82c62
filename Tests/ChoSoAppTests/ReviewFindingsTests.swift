import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// What the user-and-attacker review on a release server found (issue 12), each refused at its
/// mechanism: bodies decoded before anyone is known, secrets kept by the once-only store, paths
/// with NUL, frames. (The lone board member making their own "second member" is in PeopleTests;
/// a debt paid twice is in CorrectionTests.)
@Suite struct ReviewFindingsTests {
    @Test func aFormWithThousandsOfFieldsIsRefusedBeforeItIsDecoded() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("managera")
            let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            func send(_ path: String, type: String, body: String, cookie: String?) async throws -> TestingHTTPResponse {
                var headers = HTTPHeaders()
                headers.add(name: .contentType, value: type)
                if let cookie { headers.add(name: .cookie, value: cookie) }
                return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
            }
            let nested = Array(repeating: "a[]=v", count: 60_000).joined(separator: "&")
            let flat = (0..<5_000).map { "f\($0)=v" }.joined(separator: "&")
            let parts = (0..<4_000).map { "--b\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nv\r\n" }.joined() + "--b--\r\n"
            let started = ContinuousClock.now
            // No session: refused before a byte of the body is decoded.
            #expect(try await send("/login", type: "application/x-www-form-urlencoded", body: nested, cookie: nil).status.code >= 400)
            // With a session: more fields than any page sends are refused before decoding.
            for (type, body) in [("application/x-www-form-urlencoded", nested), ("application/x-www-form-urlencoded", flat), ("multipart/form-data; boundary=b", parts)] {
                let response = try await send("/markets/\(f.marketA)/statements", type: type, body: body, cookie: cookie)
                #expect(response.status == .payloadTooLarge, "\(type): \(response.status)")
                #expect(response.body.string.contains("too_many_fields") || response.body.string.contains("quá nhiều trường"))
            }
            // Before the bound, the first of these took 33 s; the bound makes it a scan.
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(try await app.testing().sendRequest(.GET, "/healthz").status == .ok)
        }
    }

    @Test func aPathWithANulIsRefusedAndEveryAnswerForbidsFraming() async throws {
        try await withTestApp { app in
            for path in ["/cashier.js%00.html", "/app.css%00.js", "/login%0a"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.status == .notFound, "\(path): \(response.status)")
                #expect(response.headers.first(name: .contentType)?.hasPrefix("text/html") != true || response.body.string.contains("ký tự điều khiển"))
            }
            for path in ["/login", "/healthz", "/no-such-page"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                let policy = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(policy.contains("frame-ancestors 'none'"), "\(path)")
                #expect(policy.contains("script-src 'self';"), "scripts only from ChoSo's files: \(policy)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Strict-Transport-Security") == nil, "plain http: no HSTS")
            }
        }
        // Behind TLS (an https public URL) browsers are told to stay on https.
        try await withTestApp(configure: { $0.publicURL = "https://cho.example.vn" }) { app in
            let response = try await app.testing().sendRequest(.GET, "/login")
            #expect(response.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
        }
    }

    /// The policy allows no inline script, so no page may rely on one: a print button with
    /// `onclick` would silently do nothing.
    @Test func noPageCarriesInlineScript() throws {
        let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ChoSoApp/Resources/Views")
        let files = try FileManager.default.contentsOfDirectory(atPath: views.path).filter { $0.hasSuffix(".leaf") }
        #expect(files.count > 20)
        let handler = try Regex(#"\son[a-z]+\s*="#)
        for file in files {
            let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains(handler), "\(file): an inline event handler")
            #expect(!text.contains("javascript:"), "\(file)")
            for script in text.matches(of: try Regex(#"<script[^>]*>"#)) {
                let tag = String(text[script.range])
                #expect(tag.contains("src=") || tag.contains("application/ld+json"), "\(file): inline script \(tag)")
            }
        }
    }

    @Test func aOneTimeCodeIsNeverKeptNorShownTwiceByTheOnceOnlyStore() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let keeper = try #require(try await UserModel.query(on: app.db).filter(\.$username == "merchanta1").first()?.requireID())
            // The API with an Idempotency-Key: the first answer has the code, a repeat is told why.
            let key = [("Idempotency-Key", "reset-merchanta1-1")]
            let first = try await app.api(.POST, "/api/v1/users/\(keeper)/reset-password", token: f.tokens["managerA"], headers: key)
            #expect(first.status == .ok)
            let code = try #require((try first.json() as? [String: Any])?["oneTimeCode"] as? String)
            let again = try await app.api(.POST, "/api/v1/users/\(keeper)/reset-password", token: f.tokens["managerA"], headers: key)
            #expect(again.status == .conflict)
            #expect(again.errorCode() == "shown_once")
            #expect(!again.body.string.contains(code))

            // The page: a resend goes back to the people page, with no code on it.
            let board = Browser(app)
            try await board.login("managera")
            let page = try await board.get("/markets/\(f.marketA)/people")
            let once = try #require(page.body.string.firstMatch(of: /name="_once" value="([^"]+)"/).map { String($0.1) })
            let shown = try await board.post("/users/\(keeper)/reset-password", [("market", f.marketA), ("_once", once)])
            let webCode = try #require(shown.body.string.firstMatch(of: /<p class="big">([^<]+)<\/p>/).map { String($0.1) })
            let resent = try await board.post("/users/\(keeper)/reset-password", [("market", f.marketA), ("_once", once)])
            #expect(resent.status == .seeOther)
            #expect(!resent.body.string.contains(webCode))

            // Nothing the store keeps holds either code.
            for row in try await IdempotencyKeyModel.query(on: app.db).all() {
                let kept = String(decoding: row.body ?? Data(), as: UTF8.self)
                #expect(!kept.contains(code) && !kept.contains(webCode))
            }
        }
    }
}
