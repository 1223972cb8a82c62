import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// People are managed without a shell (issue 12.4).
@Suite struct PeopleTests {
    @Test func aBoardCreatesAKeepersLoginWhoChoosesTheirOwnPassword() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let created = try await app.api(
                .POST, "/api/v1/users", token: f.tokens["managerA"],
                json: #"{"username":"quay2.nganro","displayName":"Chú Tư","role":"merchant","scope":["\#(f.stallA2)"]}"#)
            #expect(created.status == .created, "\(created.text)")
            let body = try #require(try created.json() as? [String: Any])
            let code = try #require(body["oneTimeCode"] as? String)
            #expect(code.count == 14)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "user.create").count() == 9)

            // The keeper signs in with the code and can do nothing but choose a password.
            let keeper = Browser(app)
            try await keeper.get("/login")
            let signIn = try await keeper.post("/login", [("username", "quay2.nganro"), ("password", code), ("next", "/")])
            #expect(signIn.status == .seeOther)
            let till = try await keeper.get("/stalls/\(f.stallA2)/today")
            #expect(till.headers.first(name: .location) == "/password")
            let page = try await keeper.get("/password")
            #expect(page.text.contains("hãy đặt mật khẩu của riêng bạn"))
            let differ = try await keeper.post("/password", [("newPassword", "mat khau moi 1"), ("repeatPassword", "mat khau moi 2")])
            #expect(differ.status == .unprocessableEntity)
            let chosen = try await keeper.post("/password", [("newPassword", "mat khau moi 1"), ("repeatPassword", "mat khau moi 1")])
            #expect(chosen.status == .seeOther)
            #expect(try await keeper.get("/stalls/\(f.stallA2)/today").status == .ok)
            // The code is worthless now.
            let again = Browser(app)
            try await again.get("/login")
            #expect(try await again.post("/login", [("username", "quay2.nganro"), ("password", code)]).status == .unauthorized)
        }
    }

    @Test func aBoardManagesOnlyItsOwnMarketsKeepersAndMembers() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            func create(_ token: String?, _ role: String, _ scope: String, _ name: String) async throws -> TestingHTTPResponse {
                try await app.api(.POST, "/api/v1/users", token: token, json: #"{"username":"\#(name)","role":"\#(role)","scope":["\#(scope)"]}"#)
            }
            // Another market's stall, an officer, an admin: refused, and nothing is made.
            #expect(try await create(f.tokens["managerA"], "merchant", f.stallB1, "x1").status == .unprocessableEntity)
            #expect(try await create(f.tokens["managerA"], "officer", "31673@2025-07-01", "x2").status == .unprocessableEntity)
            #expect(try await create(f.tokens["managerA"], "market_manager", f.marketB, "x3").status == .unprocessableEntity)
            #expect(try await create(f.tokens["merchantA1"], "merchant", f.stallA1, "x4").status == .unprocessableEntity)
            #expect(try await create(f.tokens["officer"], "merchant", f.stallA1, "x5").status == .unprocessableEntity)
            #expect(try await UserModel.query(on: app.db).filter(\.$username ~~ ["x1", "x2", "x3", "x4", "x5"]).count() == 0)
            // A second board member is the administrator's to make, never the board's: one member
            // could make the "second person" who confirms their own change of where a stall's money
            // goes (found by the review on a release server).
            let selfMade = try await create(f.tokens["managerA"], "market_manager", f.marketA, "bql3.a")
            #expect([.unprocessableEntity, .forbidden, .notFound].contains(selfMade.status), "\(selfMade.status)")
            #expect(try await create(f.tokens["admin"], "market_manager", f.marketA, "bql2.a").status == .created)
            let member = try #require(try await UserModel.query(on: app.db).filter(\.$username == "bql2.a").first()?.requireID())
            let hashBefore = try await UserModel.find(member, on: app.db)?.passwordHash
            // Nor may a board member reset or disable a fellow member's login (and sign in as them).
            for action in ["reset-password", "disable"] {
                let taken = try await app.api(.POST, "/api/v1/users/\(member)/\(action)", token: f.tokens["managerA"])
                #expect([.forbidden, .notFound].contains(taken.status), "\(action): \(taken.status)")
            }
            #expect(try await UserModel.find(member, on: app.db)?.isActive == true)
            #expect(try await UserModel.find(member, on: app.db)?.passwordHash == hashBefore)

            let merchantB = try #require(try await UserModel.query(on: app.db).filter(\.$username == "merchantb1").first()?.requireID())
            let merchantA = try #require(try await UserModel.query(on: app.db).filter(\.$username == "merchanta1").first()?.requireID())
            let managerA = try #require(try await UserModel.query(on: app.db).filter(\.$username == "managera").first()?.requireID())
            let admin = try #require(try await UserModel.query(on: app.db).filter(\.$username == "admin").first()?.requireID())
            for role in ["merchantA1", "officer", "teamMember", "managerB"] {
                let disable = try await app.api(.POST, "/api/v1/users/\(merchantA)/disable", token: f.tokens[role])
                #expect([.notFound, .forbidden].contains(disable.status), "\(role): \(disable.status)")
            }
            for (target, expected) in [(merchantB, HTTPStatus.notFound), (admin, .notFound), (managerA, .forbidden), (merchantA, .ok)] {
                let reset = try await app.api(.POST, "/api/v1/users/\(target)/reset-password", token: f.tokens["managerA"])
                #expect(reset.status == expected, "reset \(target): \(reset.status)")
            }
            #expect(try await UserModel.find(merchantA, on: app.db)?.isActive == true)
            // The market's people, as its board sees them; another board sees nothing.
            let people = try await app.api(.GET, "/api/v1/markets/\(f.marketA)/people", token: f.tokens["managerA"])
            let names = (try people.json() as? [[String: Any]])?.compactMap { $0["username"] as? String } ?? []
            #expect(Set(names) == ["managera", "merchanta1", "bql2.a"])
            #expect(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/people", token: f.tokens["managerB"]).status == .notFound)
        }
    }

    @Test func disablingEndsSessionsAndTokensAndSignInIsRefused() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            #expect(try await keeper.get("/stalls/\(f.stallA1)/today").status == .ok)
            let merchantA = try #require(try await UserModel.query(on: app.db).filter(\.$username == "merchanta1").first()?.requireID())

            // Through the board's page.
            let board = Browser(app)
            try await board.login("managera")
            let page = try await board.get("/markets/\(f.marketA)/people")
            #expect(page.text.contains("merchanta1"))
            let disabled = try await board.post("/users/\(merchantA)/disable", [("market", f.marketA)])
            #expect(disabled.status == .seeOther)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "user.disable").count() == 1)

            #expect(try await keeper.get("/stalls/\(f.stallA1)/today").status == .seeOther)
            #expect(try await app.api(.GET, "/api/v1/me", token: f.tokens["merchantA1"]).status == .unauthorized)
            let fresh = Browser(app)
            try await fresh.get("/login")
            #expect(try await fresh.post("/login", [("username", "merchanta1"), ("password", Fixture.password)]).status == .unauthorized)

            // Reset through the page: the code is shown once, on the answer.
            try await board.get("/markets/\(f.marketA)/people")
            _ = try await board.post("/users/\(merchantA)/enable", [("market", f.marketA)])
            try await board.get("/markets/\(f.marketA)/people")
            let reset = try await board.post("/users/\(merchantA)/reset-password", [("market", f.marketA)])
            #expect(reset.text.contains("Mã đăng nhập một lần cho merchanta1"))
            let after = try await board.get("/markets/\(f.marketA)/people")
            #expect(after.text.contains("chờ đặt mật khẩu mới"))
            #expect(!after.text.contains("Mã đăng nhập một lần cho"))
        }
    }
}
