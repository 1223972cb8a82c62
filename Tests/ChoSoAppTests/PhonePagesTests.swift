import ChoSoCore
import AsyncHTTPClient
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// The stall keeper's phone and the board's pages (issue 13), where the server decides: what goes
/// over the wire, the words a board member reads, finding a stall, a cash sale's note. The layout
/// itself (positions, sizes, sound, print, axe-core) is checked in headless Chromium
/// (Tests/browser/phone.py, accessibility.py).
@Suite struct PhonePagesTests {
    @Test func pagesAreCompressedAndPublicFilesVersionedForAYear() async throws {
        try await withTestApp { app in
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try #require(app.http.server.shared.localAddress?.port)
            let base = "http://127.0.0.1:\(port)"
            var page = HTTPClientRequest(url: "\(base)/login")
            page.headers.add(name: "Accept-Encoding", value: "gzip")
            let answer = try await HTTPClient.shared.execute(page, timeout: .seconds(10))
            #expect(answer.headers.first(name: "Content-Encoding") == "gzip")
            let html = String(buffer: try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/login"), timeout: .seconds(10)).body.collect(upTo: 1 << 20))
            let css = try #require(html.firstMatch(of: /href="(\/app\.css\?v=[0-9a-f]{10})"/).map { String($0.1) })
            var style = HTTPClientRequest(url: base + css)
            style.headers.add(name: "Accept-Encoding", value: "gzip")
            let styled = try await HTTPClient.shared.execute(style, timeout: .seconds(10))
            #expect(styled.headers.first(name: "Cache-Control") == "public, max-age=31536000, immutable")
            #expect(styled.headers.first(name: "Content-Encoding") == "gzip")
            // An old or missing version is checked again, never kept a year.
            let old = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/app.css?v=0000000000"), timeout: .seconds(10))
            #expect(old.headers.first(name: "Cache-Control") == "no-cache")
        }
    }

    @Test func theStallListFindsByAnyWordWithoutAccentsInNaturalOrder() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            for number in ["10", "3", "21"] {
                let made = try await app.api(.POST, "/api/v1/markets/\(f.marketA)/stalls", token: f.tokens["managerA"],
                                             json: #"{"number":"\#(number)","name":"Rau \#(number)","keeperName":"Lê Văn Tám"}"#)
                #expect(made.status == .created, "\(made.text)")
            }
            let board = Browser(app)
            try await board.login("managera")
            let all = try await board.get("/markets/\(f.marketA)")
            let numbers = all.text.matches(of: /<span class="number">([^<]+)<\/span>/).map { String($0.1) }
            #expect(numbers == ["1", "2", "3", "10", "21"], "\(numbers)")
            let found = try await board.get("/markets/\(f.marketA)?q=co%20ba")
            #expect(found.text.contains("Trái cây Cô Ba") && !found.text.contains("Cá tươi Chú Tư") && !found.text.contains("Rau 10"))
            #expect(try await board.get("/markets/\(f.marketA)?q=1234567890").text.contains("Trái cây Cô Ba"), "by account number")
            #expect(try await board.get("/markets/\(f.marketA)?q=khong%20co").text.contains("Không có quầy nào khớp"))
            // The batch of boards says which stalls it leaves out (no receiving account yet).
            let boards = try await board.get("/markets/\(f.marketA)/boards")
            #expect(boards.text.contains(#"id="skipped""#) && boards.text.contains("2, 3, 10, 21"), "stall 1 has an account; the others not")
            // The statement form's stall accounts and the people page list stalls the same way.
            let people = try await board.get("/markets/\(f.marketA)/people")
            let options = people.text.matches(of: /<option value="[^"]+">([0-9]+) ·/).map { String($0.1) }
            #expect(options == ["1", "2", "3", "10", "21"], "\(options)")
        }
    }

    @Test func theAdministratorSeesScopesByName() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            let admin = Browser(app)
            try await admin.login("admin")
            let users = try await admin.get("/admin/users")
            #expect(users.text.contains("Chợ Ngan Rô · 1 Trái cây Cô Ba"))
            #expect(users.text.contains("Tổ CNSCĐ ấp Ngan Rô"))
            #expect(users.text.matches(of: /[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/).isEmpty, "no raw ids")
        }
    }

    @Test func aCashSalesNoteIsKeptAndShown() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            try await keeper.get("/stalls/\(f.stallA1)/today")
            let sold = try await keeper.post("/stalls/\(f.stallA1)/cash-sales", [("amount", "25.000"), ("note", "2 ký xoài")])
            #expect(sold.status == .seeOther)
            #expect(try await CashEntryModel.query(on: app.db).first()?.note == "2 ký xoài")
            #expect(try await keeper.get("/stalls/\(f.stallA1)/today").text.contains("2 ký xoài"))
            #expect(try await keeper.get("/stalls/\(f.stallA1)/close").text.contains("2 ký xoài"))
            let api = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/cash-sales", token: f.tokens["merchantA1"], json: #"{"amount":15000,"note":"bó rau"}"#)
            #expect((try api.json() as? [String: Any])?["note"] as? String == "bó rau")
            let long = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/cash-sales", token: f.tokens["merchantA1"],
                                         json: #"{"amount":15000,"note":"\#(String(repeating: "x", count: 51))"}"#)
            #expect(long.fieldCodes()["note"] == "bad_note")
        }
    }

    @Test func theBoardReadsPlainVietnameseOnTheIntakePageAndInTheLog() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let board = Browser(app)
            try await board.login("managera")
            try await board.get("/markets/\(f.marketA)/intake")
            let made = try await board.post("/markets/\(f.marketA)/connections", [("provider", "sepay:api_key"), ("secret", "khoa-bi-mat-0001"), ("label", "SePay của chợ")])
            #expect(made.text.contains("Nhận báo có từ SePay"))
            #expect(made.text.contains("SePay của chợ"), "the connection's label is shown")
            #expect(made.text.contains("Chi tiết kỹ thuật"))
            #expect(made.text.contains("data-confirm="), "deleting asks first")
            // A wrong key pasted into the test: the reason in Vietnamese, not the English one.
            let connection = try #require(try await WebhookConnectionModel.query(on: app.db).first()?.requireID())
            let tested = try await board.post("/connections/\(connection)/test", [("secret", "khoa-sai")])
            #expect(tested.text.contains("Báo có bị từ chối: khoá API sai hoặc không có"), "\(tested.text)")
            #expect(!tested.text.contains("wrong or missing API key"))
            #expect(WebhookError.unauthorized("signature mismatch").reason.vi.hasPrefix("chữ ký không khớp"))

            // The stall's log in words: a Viettel Money account, not "mobile_money 971005/…".
            let added = try await app.api(.POST, "/api/v1/stalls/\(f.stallA2)/accounts", token: f.tokens["managerA"],
                                          json: #"{"kind":"mobile_money","bin":"971005","accountNumber":"0918222333","holderName":"TRAN THI TU"}"#)
            #expect(added.status.code < 300, "\(added.text)")
            let stall = try await board.get("/stalls/\(f.stallA2)")
            #expect(stall.text.contains("Tài khoản Viettel Money 0918222333"))
            #expect(!stall.text.contains("mobile_money 971005"))
            #expect(stall.text.contains("data-confirm="), "stopping an account and closing the stall ask first")
        }
    }
}
