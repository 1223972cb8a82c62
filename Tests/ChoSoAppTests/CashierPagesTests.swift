import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp
import VietQR

@Suite struct CashierPagesTests {
    @Test func theRequestScreenFollowsThePayment() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("merchanta1")
            let created = try await browser.post("/stalls/\(f.stallA1)/payment-requests", [("amount", "200.000"), ("note", "")])
            #expect(created.status == .seeOther)
            let path = try #require(created.headers.first(name: .location))
            let waiting = try await browser.get(path)
            #expect(waiting.text.contains("Đang chờ tiền"))
            #expect(waiting.text.contains("hai trăm ngàn đồng"))
            #expect(waiting.text.contains(#"id="follow""#))

            let id = try #require(UUID(uuidString: String(path.split(separator: "/").last ?? "")))
            let code = try #require(try await PaymentRequestModel.find(id, on: app.db)?.code)
            let bank = try await IntakeTests.connect(app, f, provider: "generic", secret: IntakeTests.genericSecret)
            try await IntakeTests.transfer(app, bank.path, id: "p1", amount: 200, description: code)
            let short = try await browser.get(path)
            #expect(short.text.contains("Chuyển thiếu"))
            #expect(short.text.contains("Khách còn thiếu 199.800 đ"))
            try await IntakeTests.transfer(app, bank.path, id: "p2", amount: 199_800, description: code)
            let paid = try await browser.get(path)
            #expect(paid.text.contains("Đã nhận đủ"))
            #expect(!paid.text.contains(#"id="follow""#))

            let rejected = try await browser.post("/stalls/\(f.stallA1)/payment-requests", [("amount", "abc")])
            #expect(rejected.status == .unprocessableEntity)
            #expect(rejected.text.contains("Số tiền chỉ gồm chữ số"), "\(rejected.text)")
        }
    }

    @Test func boardsArePrintedAndHandedOverByName() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let board = try await app.api(.GET, "/stalls/\(f.stallA1)/board?size=a6", token: f.tokens["managerA"])
            #expect(board.status == .ok)
            #expect(board.text.contains("size: 105mm 148mm"), "A6 by its dimensions: Chromium does not know the name and printed US Letter")
            #expect(board.text.contains("NGUYEN THI BA · …0123"))
            #expect(board.text.contains("/api/v1/qr/encode?bin=970405&amp;account=1234567890123"))

            let batch = try await app.api(.GET, "/markets/\(f.marketA)/boards", token: f.tokens["managerA"])
            #expect(batch.status == .ok)
            // Only stalls with an account get a board.
            #expect(batch.text.components(separatedBy: "<article class=\"board").count == 2)
            #expect(try await app.api(.GET, "/markets/\(f.marketA)/boards", token: f.tokens["merchantA1"]).status == .notFound)
            #expect(try await app.api(.GET, "/stalls/\(f.stallA1)/board", token: f.tokens["merchantB1"]).status == .notFound)

            let browser = Browser(app)
            try await browser.login("managera")
            try await browser.get("/stalls/\(f.stallA1)/board")
            #expect(try await browser.post("/stalls/\(f.stallA1)/board/printed", []).status == .seeOther)
            #expect(try await browser.post("/stalls/\(f.stallA1)/board/printed", [("handedOver", "1")]).status == .seeOther)
            let prints = try await BoardPrintModel.query(on: app.db).all()
            #expect(prints.count == 1)
            let manager = try await UserModel.query(on: app.db).filter(\.$username == "managera").first()
            #expect(prints.first?.printedBy == manager?.id)
            #expect(prints.first?.handedOverBy == manager?.id)
            #expect(prints.first?.handedOverAt != nil)
        }
    }

    @Test func checkMyBoardWarnsWhenTheBoardIsAnotherStalls() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let other = "00020101021138570010A00000072701270006970405011312345678901230208QRIBFTTA53037045802VN"
            let payload = other + "6304" + CRC16.hex(other + "6304")
            let browser = Browser(app)
            try await browser.get("/kiem-tra?stall=\(f.stallA1)")
            let own = try await browser.post("/kiem-tra", [("payload", payload), ("expectStall", f.stallA1)])
            #expect(own.text.contains("ok-box"))
            let swapped = try await browser.post("/kiem-tra", [("payload", payload), ("expectStall", f.stallA2)])
            #expect(swapped.text.contains("bảng này không phải của quầy bạn"))
        }
    }
}

@Suite struct StallSettingsTests {
    @Test func theBoardSetsTheRequestExpiryAndReadsTheChangeLog() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let patched = try await app.api(.PATCH, "/api/v1/stalls/\(f.stallA1)", token: f.tokens["managerA"], json: #"{"requestExpiryMinutes":30}"#)
            #expect(patched.status == .ok)
            #expect(patched.text.contains(#""requestExpiryMinutes":30"#))
            let tooLong = try await app.api(.PATCH, "/api/v1/stalls/\(f.stallA1)", token: f.tokens["managerA"], json: #"{"requestExpiryMinutes":600}"#)
            #expect(tooLong.fieldCodes() == ["requestExpiryMinutes": "bad_request_expiry"])

            let created = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":1000}"#)
            let body = try #require(try created.json() as? [String: Any])
            let formatter = ISO8601DateFormatter()
            let expires = try #require(formatter.date(from: body["expiresAt"] as? String ?? ""))
            let minutes = expires.timeIntervalSince(formatter.date(from: body["createdAt"] as? String ?? "") ?? Date()) / 60
            #expect(abs(minutes - 30) < 1)

            let browser = Browser(app)
            try await browser.login("managera")
            try await browser.get("/stalls/\(f.stallA1)/edit")
            let rejected = try await browser.post("/stalls/\(f.stallA1)", [
                ("number", "1"), ("name", "Trái cây Cô Ba"), ("keeperName", "Nguyễn Thị Ba"), ("expiry", "")])
            #expect(rejected.status == .unprocessableEntity)
            #expect(rejected.text.contains("Thời hạn mã thu tiền từ 1 đến 120 phút"))

            let log = try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/audit", token: f.tokens["managerA"])
            #expect(log.status == .ok)
            #expect(log.text.contains("stall.update"))
            #expect(log.text.contains(#""actor":"managera""#))
            #expect(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/audit", token: f.tokens["merchantA1"]).status == .forbidden)
            let page = try await browser.get("/stalls/\(f.stallA1)")
            #expect(page.text.contains("Nhật ký thay đổi"))
        }
    }
}
