import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

@Suite struct RegistryAPITests {
    @Test func createAStallWithAViettelMoneyAccount() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let response = try await app.api(
                .POST, "/api/v1/markets/\(f.marketA)/stalls", token: f.tokens["managerA"],
                json: #"""
                {"number":" 12a ","name":"Trái cây  Cô Ba","trade":"Trái cây","keeperName":"Nguyễn Thị Ba","phone":"+84 912 345 678",
                 "account":{"kind":"mobile_money","bin":"971005","accountNumber":"0912345678","holderName":"Nguyễn Thị Ba","displayName":"Cô Ba"}}
                """#)
            #expect(response.status == .created, "\(response.text)")
            let stall = try #require(try response.json() as? [String: Any])
            #expect(stall["number"] as? String == "12A")
            #expect(stall["name"] as? String == "Trái cây Cô Ba")
            #expect(stall["phone"] as? String == "0912345678")
            let accounts = try #require(stall["accounts"] as? [[String: Any]])
            #expect(accounts.count == 1)
            #expect(accounts.first?["bankName"] as? String == "Viettel Money")
            #expect(accounts.first?["bankVerified"] as? Bool == false)
            #expect(accounts.first?["holderName"] as? String == "NGUYEN THI BA")

            let list = try await app.api(.GET, "/api/v1/markets/\(f.marketA)/stalls", token: f.tokens["officer"])
            #expect(list.text.contains("12A"))
            #expect(list.text.contains("971005"))
            let audit = try await AuditEntryModel.query(on: app.db).all().map(\.action)
            #expect(audit.contains("stall.create"))
            #expect(audit.contains("account.add"))
        }
    }

    @Test func badInputGetsEverySpecificMessageAndChangesNothing() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let before = try await StallModel.query(on: app.db).count()
            let accountsBefore = try await ReceivingAccountModel.query(on: app.db).count()
            let response = try await app.api(
                .POST, "/api/v1/markets/\(f.marketA)/stalls", token: f.tokens["managerA"],
                json: #"""
                {"number":"","name":"","keeperName":"Lê Văn Tư","phone":"12345",
                 "account":{"kind":"bank","bin":"971005","accountNumber":"0912-345-678","holderName":"Lê 4"}}
                """#)
            #expect(response.status == .unprocessableEntity)
            #expect(response.errorCode() == "validation_failed")
            #expect(response.fieldCodes() == [
                "number": "bad_stall_number", "name": "bad_stall_name", "phone": "bad_phone",
                "account.bin": "bank_kind_mismatch", "account.accountNumber": "bad_account_number",
                "account.holderName": "bad_holder_name",
            ])
            #expect(response.text.contains("Số tài khoản chỉ gồm chữ và số, tối đa 19 ký tự"))
            #expect(try await StallModel.query(on: app.db).count() == before)
            #expect(try await ReceivingAccountModel.query(on: app.db).count() == accountsBefore)

            let english = try await app.api(
                .POST, "/api/v1/markets/\(f.marketA)/stalls", token: f.tokens["managerA"],
                json: #"{"number":"1","name":"Trùng số","keeperName":"Lê Văn Tư"}"#, headers: [("Accept-Language", "en-US,en;q=0.9")])
            #expect(english.fieldCodes() == ["number": "stall_number_taken"])
            #expect(english.text.contains("This market already has a stall number 1"))

            let malformed = try await app.api(.POST, "/api/v1/markets/\(f.marketA)/stalls", token: f.tokens["managerA"], json: "{not json")
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode() == "bad_body")
            #expect(try await StallModel.query(on: app.db).count() == before)
        }
    }

    @Test func replacingAnAccountNeedsASecondPersonAndKeepsHistory() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens["managerA"]
            // A second member of Ngan Rô's board.
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            let second = try await accounts.createUser(.init(
                username: "managera2", displayName: "Bà Tư", password: Fixture.password, role: .marketManager, scope: [f.marketA]))
            let secondToken = try await accounts.issueToken(for: try second.requireID(), name: "test").1

            let requested = try await app.api(
                .POST, "/api/v1/stalls/\(f.stallA1)/accounts", token: token,
                json: #"{"kind":"bank","bin":"970436","accountNumber":"0071000123456","holderName":"NGUYEN THI BA"}"#)
            #expect(requested.status == .accepted)
            let change = try #require(try requested.json() as? [String: Any])
            let changeID = try #require(change["id"] as? String)
            #expect(change["status"] as? String == "pending")

            // Until confirmed, the old account is the one in use.
            let before = try #require(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)", token: token).json() as? [String: Any])
            #expect((before["accounts"] as? [[String: Any]])?.map { $0["bin"] as? String } == ["970405"])

            // The one who asked cannot confirm; a merchant or another market's board cannot either.
            let selfConfirm = try await app.api(.POST, "/api/v1/account-changes/\(changeID)/confirm", token: token)
            #expect(selfConfirm.status == .forbidden)
            #expect(selfConfirm.errorCode() == "second_person_required")
            #expect(try await app.api(.POST, "/api/v1/account-changes/\(changeID)/confirm", token: f.tokens["merchantA1"]).status == .forbidden)
            #expect(try await app.api(.POST, "/api/v1/account-changes/\(changeID)/confirm", token: f.tokens["managerB"]).status == .notFound)

            let confirmed = try await app.api(.POST, "/api/v1/account-changes/\(changeID)/confirm", token: secondToken)
            #expect(confirmed.status == .ok)
            #expect(confirmed.text.contains(#""status":"confirmed""#))
            let again = try await app.api(.POST, "/api/v1/account-changes/\(changeID)/confirm", token: secondToken)
            #expect(again.status == .conflict)

            // A wallet beside the bank account is a change of where money goes too.
            let wallet = try await app.api(
                .POST, "/api/v1/stalls/\(f.stallA1)/accounts", token: token,
                json: #"{"kind":"mobile_money","bin":"971011","accountNumber":"0889123456","holderName":"NGUYEN THI BA"}"#)
            #expect(wallet.status == .accepted)
            let walletChange = try #require((try wallet.json() as? [String: Any])?["id"] as? String)
            #expect(try await app.api(.POST, "/api/v1/account-changes/\(walletChange)/confirm", token: secondToken).status == .ok)

            let stall = try #require(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)", token: token).json() as? [String: Any])
            let active = try #require(stall["accounts"] as? [[String: Any]])
            #expect(Set(active.compactMap { $0["bin"] as? String }) == ["970436", "971011"])
            let history = try #require(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/accounts", token: token).json() as? [[String: Any]])
            #expect(history.count == 3)
            let former = try #require(history.first { $0["bin"] as? String == "970405" })
            #expect(former["active"] as? Bool == false)

            // The audit log names both people.
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "account.change.confirm").first()
            #expect(audit?.detail.contains("requested by managera") == true)
            #expect(audit?.detail.contains("confirmed by managera2") == true)
        }
    }

    @Test func editingAndClosingAStall() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let token = f.tokens["managerA"]
            let patched = try await app.api(.PATCH, "/api/v1/stalls/\(f.stallA2)", token: token, json: #"{"phone":"0909 123 456"}"#)
            #expect(patched.status == .ok)
            #expect(patched.text.contains("0909123456"))
            #expect(patched.text.contains("Cá tươi Chú Tư"))
            let clash = try await app.api(.PATCH, "/api/v1/stalls/\(f.stallA2)", token: token, json: #"{"number":"1"}"#)
            #expect(clash.status == .unprocessableEntity)
            #expect(try await StallModel.find(UUID(uuidString: f.stallA2)!, on: app.db)?.number == "2")

            let closed = try await app.api(.POST, "/api/v1/stalls/\(f.stallA2)/deactivate", token: token)
            #expect(closed.text.contains("\"active\":false"))
            let open = try await app.api(.GET, "/api/v1/markets/\(f.marketA)/stalls", token: token)
            #expect(!open.text.contains(f.stallA2))
            let all = try await app.api(.GET, "/api/v1/markets/\(f.marketA)/stalls?includeInactive=true", token: token)
            #expect(all.text.contains(f.stallA2))
        }
    }

    @Test func unitTreeAsOfADate() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let before = try await app.api(.GET, "/api/v1/units?date=2024-01-05", token: f.tokens["officer"])
            #expect(before.status == .ok)
            let old = try #require(try before.json() as? [String: Any])
            let oldRoots = try #require(old["units"] as? [[String: Any]])
            let socTrang = try #require(oldRoots.first { $0["code"] as? String == "94" })
            let tranDe = try #require((socTrang["children"] as? [[String: Any]])?.first)
            #expect(tranDe["name"] as? String == "Huyện Trần Đề")
            #expect((tranDe["children"] as? [Any])?.count == 11)

            let after = try await app.api(.GET, "/api/v1/units?date=2025-08-01", token: f.tokens["officer"])
            let new = try #require(try after.json() as? [String: Any])
            let roots = try #require(new["units"] as? [[String: Any]])
            #expect(roots.map { $0["code"] as? String } == ["92"])
            let communes = try #require(roots.first?["children"] as? [[String: Any]])
            #expect(communes.count == 5)
            let xaTranDe = try #require(communes.first { $0["code"] as? String == "31673" })
            #expect(xaTranDe["name"] as? String == "Xã Trần Đề")
            #expect(xaTranDe["predecessors"] as? [String] == ["31672", "31673", "31681"])

            let bad = try await app.api(.GET, "/api/v1/units?date=2025-02-30", token: f.tokens["officer"])
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode() == "bad_date")
        }
    }
}
