import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Every role tried against every resource built so far, through HTTP (DESIGN.md §6).
@Suite struct AccessTests {
    static let roles = ["admin", "officer", "officerElsewhere", "managerA", "managerB", "merchantA1", "merchantB1", "teamMember"]

    @Test func marketListShowsOnlyWhatEachRoleMaySee() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let expected: [String: Set<String>] = [
                "admin": [f.marketA, f.marketB], "officer": [f.marketA], "officerElsewhere": [],
                "managerA": [f.marketA], "managerB": [f.marketB], "merchantA1": [], "merchantB1": [], "teamMember": [],
            ]
            for role in Self.roles {
                let response = try await app.api(.GET, "/api/v1/markets", token: f.tokens[role])
                #expect(response.status == .ok)
                let ids = Set(((try response.json() as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
                #expect(ids == expected[role], "\(role) sees \(ids)")
            }
            let anonymous = try await app.api(.GET, "/api/v1/markets")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.errorCode() == "unauthenticated")
        }
    }

    @Test func everyRoleAgainstEveryRegistryAction() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let accountID = try #require(
                (try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/accounts", token: f.tokens["admin"]).json() as? [[String: Any]])?
                    .first?["id"] as? String)
            typealias Row = (method: HTTPMethod, path: String, body: String?, expected: [String: HTTPStatus])
            let hidden: HTTPStatus = .notFound
            let readA: [String: HTTPStatus] = [
                "admin": .ok, "officer": .ok, "officerElsewhere": hidden, "managerA": .ok, "managerB": hidden,
                "merchantA1": hidden, "merchantB1": hidden, "teamMember": hidden,
            ]
            let readStallA1 = readA.merging(["merchantA1": .ok]) { _, new in new }
            let changeStallA1: [String: HTTPStatus] = [
                "admin": .ok, "officer": .forbidden, "officerElsewhere": hidden, "managerA": .ok, "managerB": hidden,
                "merchantA1": .forbidden, "merchantB1": hidden, "teamMember": hidden,
            ]
            let createInA = readA.merging(["admin": .created, "managerA": .created, "officer": .forbidden]) { _, new in new }
            let rows: [Row] = [
                (.GET, "/api/v1/markets/\(f.marketA)", nil, readA),
                (.GET, "/api/v1/markets/\(f.marketA)/stalls", nil, readA),
                (.GET, "/api/v1/stalls/\(f.stallA1)", nil, readStallA1),
                (.GET, "/api/v1/stalls/\(f.stallA1)/accounts", nil, readStallA1),
                (.PATCH, "/api/v1/stalls/\(f.stallA1)", #"{"trade":"Trái cây miền Tây"}"#, changeStallA1),
                (.POST, "/api/v1/markets/\(f.marketA)/stalls", nil, createInA),
                (.POST, "/api/v1/stalls/\(f.stallA2)/deactivate", nil,
                 changeStallA1.merging(["merchantA1": hidden]) { _, new in new }),
                (.POST, "/api/v1/stalls/\(f.stallA1)/accounts",
                 #"{"kind":"mobile_money","bin":"971005","accountNumber":"0912345678","holderName":"NGUYEN THI BA"}"#,
                 // The stall has an account: any other waits for a second person of the board.
                 changeStallA1.merging(["admin": .accepted, "managerA": .accepted]) { _, new in new }),
                (.POST, "/api/v1/accounts/\(accountID)/deactivate", nil,
                 changeStallA1.merging(["admin": .accepted, "managerA": .accepted]) { _, new in new }),
                (.GET, "/api/v1/units", nil, Dictionary(uniqueKeysWithValues: Self.roles.map { ($0, HTTPStatus.ok) })),
            ]
            for (index, row) in rows.enumerated() {
                for role in Self.roles {
                    let body = row.body ?? (row.path.hasSuffix("/stalls") && row.method == .POST
                        ? #"{"number":"N\#(index)\#(role.count)\#(role.first!)","name":"Quầy thử","keeperName":"Lê Văn Tư"}"# : nil)
                    let response = try await app.api(row.method, row.path, token: f.tokens[role], json: body)
                    #expect(response.status == row.expected[role], "\(role) \(row.method) \(row.path): \(response.status) \(response.text)")
                }
            }
        }
    }

    @Test func aMerchantCannotTellAnotherStallFromNoStall() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let other = try await app.api(.GET, "/api/v1/stalls/\(f.stallA2)", token: f.tokens["merchantA1"])
            let missing = try await app.api(.GET, "/api/v1/stalls/\(UUID().uuidString)", token: f.tokens["merchantA1"])
            let garbage = try await app.api(.GET, "/api/v1/stalls/not-an-id", token: f.tokens["merchantA1"])
            #expect(other.status == .notFound)
            #expect(other.text == missing.text)
            #expect(other.text == garbage.text)
            // The same on the web page.
            let page = try await app.api(.GET, "/stalls/\(f.stallA2)", token: f.tokens["merchantA1"])
            let noPage = try await app.api(.GET, "/stalls/\(UUID().uuidString)", token: f.tokens["merchantA1"])
            #expect(page.status == .notFound)
            #expect(page.text.contains("Không tìm thấy trang hoặc mục này"))
            #expect(page.status == noPage.status)
            #expect(!page.text.contains("Cá tươi"))
        }
    }

    @Test func onlyAdministratorsReachAdministrationPages() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            for role in Self.roles {
                let response = try await app.api(.GET, "/admin/users", token: f.tokens[role])
                #expect(response.status == (role == "admin" ? .ok : .forbidden), "\(role): \(response.status)")
                if role != "admin" { #expect(!response.text.contains("managera")) }
            }
            let browser = Browser(app)
            #expect(try await browser.login("managera").status == .seeOther)
            let page = try await browser.get("/admin/users")
            #expect(page.status == .forbidden)
            #expect(page.text.contains("Bạn không có quyền làm việc này"))
        }
    }
}
