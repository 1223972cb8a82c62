import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp
import VietQR

@Suite struct CashierTests {
    @Test func aRequestCarriesItsCodeAndAmountInTheQR() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let created = try await app.api(
                .POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":50000,"note":"rau muống"}"#)
            #expect(created.status == .created)
            let body = try #require(try created.json() as? [String: Any])
            let id = try #require(body["id"] as? String)
            let code = try #require(body["code"] as? String)
            #expect(body["status"] as? String == "pending")
            #expect(body["amountInWords"] as? String == "năm mươi ngàn đồng")
            #expect(body["qrPngUrl"] as? String == "/api/v1/payment-requests/\(id)/qr.png")
            let payload = try #require(body["payload"] as? String)
            let qr = try VietQRParser.parse(payload, mode: .strict).get()
            #expect(qr.amount == 50000)
            #expect(qr.purpose == "\(code) rau muong")
            #expect(qr.bin == "970405")
            #expect(qr.initiation == .dynamic)

            let png = try await app.api(.GET, "/api/v1/payment-requests/\(id)/qr.png", token: f.tokens["merchantA1"])
            #expect(png.headers.contentType?.description == "image/png")

            // Cancel, and open again.
            let cancelled = try await app.api(.POST, "/api/v1/payment-requests/\(id)/cancel", token: f.tokens["merchantA1"])
            #expect(cancelled.text.contains(#""status":"cancelled""#))
            let reopened = try await app.api(.POST, "/api/v1/payment-requests/\(id)/reopen", token: f.tokens["merchantA1"])
            #expect(reopened.text.contains(#""status":"pending""#))
        }
    }

    @Test func badAmountsAreRefused() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            for (body, code) in [
                (#"{"amount":0}"#, "amount_zero"), (#"{"amount":-5}"#, "amount_zero"), (#"{}"#, "amount_empty"),
                (#"{"amount":10000000000000}"#, "amount_above_ceiling"), (#"{"amount":50000001}"#, "amount_above_ceiling"),
            ] {
                let response = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: body)
                #expect(response.status == .unprocessableEntity, "\(body)")
                #expect(response.fieldCodes() == ["amount": code], "\(body)")
            }
            // A stall without a receiving account cannot ask for a transfer.
            let noAccount = try await app.api(.POST, "/api/v1/stalls/\(f.stallA2)/payment-requests", token: f.tokens["admin"], json: #"{"amount":1000}"#)
            #expect(noAccount.status == .conflict)
            #expect(noAccount.errorCode() == "no_receiving_account")
            #expect(try await PaymentRequestModel.query(on: app.db).count() == 0)
        }
    }

    @Test func nobodyElseRingsUpOrSeesAStallsSales() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let created = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":20000}"#)
            let id = try #require((try created.json() as? [String: Any])?["id"] as? String)
            let expected: [String: (create: HTTPStatus, read: HTTPStatus)] = [
                "merchantB1": (.notFound, .notFound), "managerB": (.notFound, .notFound), "teamMember": (.notFound, .notFound),
                "officerElsewhere": (.notFound, .notFound), "managerA": (.forbidden, .ok), "officer": (.forbidden, .ok),
                "admin": (.created, .ok),
            ]
            for (role, statuses) in expected {
                let create = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens[role], json: #"{"amount":1000}"#)
                #expect(create.status == statuses.create, "\(role) create")
                let read = try await app.api(.GET, "/api/v1/payment-requests/\(id)", token: f.tokens[role])
                #expect(read.status == statuses.read, "\(role) read")
                let cash = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/cash-sales", token: f.tokens[role], json: #"{"amount":1000}"#)
                #expect(cash.status == statuses.create, "\(role) cash")
                let list = try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/entries", token: f.tokens[role])
                #expect(list.status == statuses.read, "\(role) list")
            }
            // The same on the pages: another stall's request page is as missing as a made-up one.
            let page = try await app.api(.GET, "/payment-requests/\(id)", token: f.tokens["merchantB1"])
            #expect(page.status == .notFound)
            #expect(!page.text.contains("20.000"))
        }
    }

    @Test func paymentsAreJudgedAndTheDayAddsUp() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens["merchantA1"]
            let first = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: token, json: #"{"amount":200000}"#)
            let second = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: token, json: #"{"amount":50000}"#)
            let firstID = try #require(UUID(uuidString: (try first.json() as? [String: Any])?["id"] as? String ?? ""))
            let secondID = try #require(UUID(uuidString: (try second.json() as? [String: Any])?["id"] as? String ?? ""))
            let firstCode = try #require((try first.json() as? [String: Any])?["code"] as? String)
            let secondCode = try #require((try second.json() as? [String: Any])?["code"] as? String)
            // The money arrives as the customers' bank transfers, through the intake.
            let bank = try await IntakeTests.connect(app, f, provider: "generic", secret: IntakeTests.genericSecret)
            func status(_ id: UUID) async throws -> String? { try await PaymentRequestModel.find(id, on: app.db)?.status }
            // The 200 đ scam: judged under-paid, with what is still owed.
            try await IntakeTests.transfer(app, bank.path, id: "c1", amount: 200, description: "\(firstCode) chuyen tien")
            #expect(try await status(firstID) == "underpaid")
            try await IntakeTests.transfer(app, bank.path, id: "c2", amount: 199_800, description: "\(firstCode) tra them")
            #expect(try await status(firstID) == "paid")
            try await IntakeTests.transfer(app, bank.path, id: "c3", amount: 60_000, description: "\(secondCode)")
            #expect(try await status(secondID) == "overpaid")

            #expect(try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/cash-sales", token: token, json: #"{"amount":30000}"#).status == .created)
            let noName = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/debts", token: token, json: #"{"amount":15000}"#)
            #expect(noName.fieldCodes() == ["customerName": "bad_customer_name"])
            #expect(try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/debts", token: token, json: #"{"amount":15000,"customerName":"Chú Tư"}"#).status == .created)

            let day = try #require(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/entries", token: token).json() as? [String: Any])
            let totals = try #require(day["totals"] as? [String: Any])
            #expect(totals["transfer"] as? Int == 260_000)
            #expect(totals["cash"] as? Int == 30_000)
            #expect(totals["owed"] as? Int == 15_000)
            let entries = try #require(day["entries"] as? [[String: Any]])
            #expect(entries.count == 4)
            #expect(entries.first?["kind"] as? String == "debt")  // newest first

            // An open request past its expiry reads as expired.
            let third = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: token, json: #"{"amount":1000}"#)
            let thirdID = try #require((try third.json() as? [String: Any])?["id"] as? String)
            let model = try #require(try await PaymentRequestModel.find(UUID(uuidString: thirdID), on: app.db))
            model.expiresAt = Date().addingTimeInterval(-60)
            try await model.save(on: app.db)
            #expect(try await app.api(.GET, "/api/v1/payment-requests/\(thirdID)", token: token).text.contains(#""status":"expired""#))
        }
    }

    @Test func theCheckTellsWhoseAccountAPayloadPaysInto() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let own = try VietQRBuilder.build(VietQRRequest(bin: "970405", account: "1234567890123"))
            let registered = try await app.api(.POST, "/api/v1/qr/check", json: #"{"payload":"\#(own)"}"#)
            #expect(registered.status == .ok)
            let body = try #require(try registered.json() as? [String: Any])
            #expect(body["verdict"] as? String == "registered")
            #expect((body["message"] as? String)?.hasPrefix("Mã này thuộc quầy 1 — Nguyễn Thị Ba, Trái cây Cô Ba, Chợ Ngan Rô") == true)
            #expect(body["stallId"] as? String == f.stallA1)
            #expect((body["boardCode"] as? String)?.count == 7)

            let foreign = try VietQRBuilder.build(VietQRRequest(bin: "970422", account: "0999888777"))
            let unregistered = try await app.api(.POST, "/api/v1/qr/check", json: #"{"payload":"\#(foreign)"}"#)
            #expect(unregistered.text.contains(#""verdict":"unregistered""#))
            #expect(unregistered.text.contains("không được đăng ký cho quầy nào"))

            let garbage = try await app.api(.POST, "/api/v1/qr/check", json: #"{"payload":"https://example.com"}"#)
            #expect(garbage.text.contains(#""verdict":"not_vietqr""#))

            // After a confirmed change the old board reads as a former account.
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            let second = try await accounts.createUser(.init(username: "managera2", displayName: "", password: Fixture.password, role: .marketManager, scope: [f.marketA]))
            let secondToken = try await accounts.issueToken(for: try second.requireID(), name: "t").1
            let requested = try await app.api(
                .POST, "/api/v1/stalls/\(f.stallA1)/accounts", token: f.tokens["managerA"],
                json: #"{"kind":"bank","bin":"970436","accountNumber":"0071000123456","holderName":"NGUYEN THI BA"}"#)
            let changeID = try #require((try requested.json() as? [String: Any])?["id"] as? String)
            #expect(try await app.api(.POST, "/api/v1/account-changes/\(changeID)/confirm", token: secondToken).status == .ok)
            let former = try await app.api(.POST, "/api/v1/qr/check", json: #"{"payload":"\#(own)"}"#)
            #expect(former.text.contains(#""verdict":"former_account""#))

            // The stall keeper is told on their screen.
            let today = try await app.api(.GET, "/stalls/\(f.stallA1)/today", token: f.tokens["merchantA1"])
            #expect(today.text.contains("Tài khoản nhận tiền của quầy đã thay đổi"))
            #expect(today.text.contains("nhận tiền vào Vietcombank …3456"))
        }
    }
}
