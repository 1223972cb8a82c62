import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// The market board's "Tiền về & đối soát" page, used as a person would.
@Suite struct IntakePagesTests {
    @Test func theBoardConnectsTestsImportsAndClearsTheInbox() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("managera")
            let market = try await browser.get("/markets/\(fixture.marketA)")
            #expect(market.text.contains("/markets/\(fixture.marketA)/intake"))
            let page = try await browser.get("/markets/\(fixture.marketA)/intake")
            #expect(page.status == .ok)
            #expect(page.text.contains("Kết nối nhận báo có"))
            #expect(page.text.contains("Không có khoản nào cần xem."))

            // A generic connection: the secret is shown once, then only its last characters.
            let created = try await browser.post("/markets/\(fixture.marketA)/connections", [("provider", "generic:hmac"), ("secret", ""), ("label", "thu")])
            #expect(created.status == .ok)
            #expect(created.text.contains("chỉ hiện một lần"))
            let connection = try #require(try await WebhookConnectionModel.query(on: app.db).first())
            let url = "/hooks/generic/\(try connection.requireID().uuidString.lowercased())"
            #expect(created.text.contains(url))
            let again = try await browser.get("/markets/\(fixture.marketA)/intake")
            #expect(!again.text.contains("chỉ hiện một lần"))
            #expect(again.text.contains(connection.secretHint))

            let tested = try await browser.post("/connections/\(try connection.requireID())/test", [])
            #expect(tested.text.contains("chữ ký đúng"), "\(tested.text.prefix(2000))")
            #expect(tested.text.contains("1234567890123"))
            #expect(try await TransferModel.query(on: app.db).count() == 0)

            // A bad provider is named on the form.
            let refused = try await browser.post("/markets/\(fixture.marketA)/connections", [("provider", "casso:v2"), ("secret", "")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Hãy dán khoá bí mật mà Casso cấp cho bạn"))

            // A statement: the preview stores nothing, the import stores the new row for the stall.
            let account = try #require(try await ReceivingAccountModel.query(on: app.db).filter(\.$accountNumber == "1234567890123").first())
            let csv = "time,amount,description,reference\n25/11/2026 09:00:00,45.000,mua xoai,FT1\n"
            func upload(_ action: String) async throws -> TestingHTTPResponse {
                let boundary = "----chosotest"
                var body = ""
                for (name, value) in [("_csrf", browser.csrf ?? ""), ("account", try account.requireID().uuidString), ("layout", "auto"), ("action", action)] {
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"saoke.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                var headers = HTTPHeaders()
                headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                return try await app.testing().sendRequest(.POST, "/markets/\(fixture.marketA)/statements", headers: headers, body: ByteBuffer(string: body))
            }
            let preview = try await upload("preview")
            #expect(preview.text.contains("Xem trước saoke.csv"), "\(preview.text.prefix(1500))")
            #expect(preview.text.contains("Mới — webhook bị lỡ: 1"))
            #expect(try await TransferModel.query(on: app.db).count() == 0)
            let imported = try await upload("import")
            #expect(imported.text.contains("Đã nhập saoke.csv"))
            #expect(try await TransferModel.query(on: app.db).filter(\.$stallID == UUID(uuidString: fixture.stallA1)).count() == 1)

            // The inbox: an unmatched transfer, set aside with a reason.
            let secret = try #require(app.intake.vault.open(connection.secretSealed ?? ""))
            let stray = IncomingTransfer(provider: "generic", providerTransactionID: "x1", accountNumber: "777", amount: 5_000, direction: .incoming, description: "nham")
            let delivery = WebhookDeliveryBuilder.make(stray, kind: connection.kind!, secret: secret, timeZone: app.choSoConfig.timeZone)
            #expect(try await IntakeTests.send(app, url, delivery).status == .ok)
            let inbox = try await browser.get("/markets/\(fixture.marketA)/intake")
            #expect(inbox.text.contains("Chưa rõ quầy"))
            let strayID = try #require(try await TransferModel.query(on: app.db).filter(\.$accountNumber == "777").first()?.requireID())
            let dismissed = try await browser.post("/transfers/\(strayID)/dismiss", [("note", "khach chuyen nham cho")])
            #expect(dismissed.status == .seeOther)
            let cleared = try await browser.get("/markets/\(fixture.marketA)/intake")
            #expect(cleared.text.contains("Đã gạt ra khỏi hộp thư."))
            #expect(cleared.text.contains("Không có khoản nào cần xem."))

            // A keeper or another market's board gets the page of a market that does not exist.
            for name in ["merchanta1", "managerb"] {
                let other = Browser(app)
                try await other.login(name)
                #expect(try await other.get("/markets/\(fixture.marketA)/intake").status == .notFound, "\(name)")
            }
        }
    }
}
