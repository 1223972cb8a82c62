import AsyncHTTPClient
import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import Spreadsheet
@testable import ChoSoApp

/// The fixture's team A (Đại Ân 2, now Xã Trần Đề) serving its hamlet 1, with a member and a
/// leader; team B in Thạnh Thới An with its own member.
struct CommunityFixture {
    var base: Fixture
    var hamletA: String
    var hamletA2: String
    var hamletB: String
    var teamB: String
    var tokens: [String: String]

    static func make(_ app: Application) async throws -> CommunityFixture {
        let base = try await Fixture.make(app)
        let db = app.db
        let hamlets = TranDeUnits.demoHamlets
        try await UnitService(database: db).upsert(units: hamlets.units, successions: hamlets.successions, on: db)
        let teamA = try #require(UUID(uuidString: base.team))
        let hamletA = TranDeUnits.newID("31672-1"), hamletA2 = TranDeUnits.newID("31672-2"), hamletB = TranDeUnits.newID("31699-1")
        try await TeamHamletModel(teamID: teamA, unitID: hamletA).create(on: db)
        let teamB = TeamModel(name: "Tổ CNSCĐ ấp 1, Thạnh Thới An", unitID: "31699")
        try await teamB.create(on: db)
        try await TeamHamletModel(teamID: try teamB.requireID(), unitID: hamletB).create(on: db)
        let accounts = AccountService(database: db, hasher: app.password.async, config: app.choSoConfig)
        var tokens = base.tokens
        for (name, team, role) in [("teamLeader", teamA, TeamRole.leader), ("teamMemberB", try teamB.requireID(), .member)] {
            let user = try await accounts.createUser(.init(
                username: name.lowercased(), displayName: name, password: Fixture.password, role: .teamMember, scope: [team.uuidString]))
            tokens[name] = try await accounts.issueToken(for: try user.requireID(), name: "test").1
            let member = TeamMemberModel(teamID: team, fullName: name, phone: nil)
            member.userID = try user.requireID()
            member.role = role.rawValue
            try await member.create(on: db)
        }
        return CommunityFixture(base: base, hamletA: hamletA, hamletA2: hamletA2, hamletB: hamletB, teamB: try teamB.requireID().uuidString, tokens: tokens)
    }

    static func household(_ id: String, hamlet: String, base: Int? = nil, headName: String = "Thạch Thị Sà Rươl", smartphones: Int = 1, address: String = "12/3") -> String {
        #"{"type":"household","id":"\#(id)","baseVersion":\#(base.map(String.init) ?? "null"),"hamlet":"\#(hamlet)","address":"\#(address)","headName":"\#(headName)","members":4,"adults":3,"language":"km","checklist":{"smartphone":{"count":\#(smartphones),"evidence":"seen"}},"barriers":["no_money_for_data"]}"#
    }

    static func visit(_ id: String, household: String, note: String = "Cài VNPT Money") -> String {
        #"{"type":"visit","id":"\#(id)","household":"\#(household)","date":"\#(Day(Date(), in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!).iso)","help":["install_payment_app"],"barriers":[],"outcome":"done","note":"\#(note)"}"#
    }
}

/// `POST /api/v1/sync` as the contract says: one result per record, exactly once under
/// concurrency, conflicts kept for the leader, bad records refused with reasons while the rest
/// of the batch is stored; and who may see and write which households.
@Suite struct SyncTests {
    static func sync(_ app: Application, _ token: String?, _ records: [String], device: String = "phone-1") async throws -> [[String: Any]] {
        let response = try await app.api(.POST, "/api/v1/sync", token: token, json: #"{"deviceId":"\#(device)","records":[\#(records.joined(separator: ","))]}"#)
        #expect(response.status == .ok, "\(response.text)")
        return (try response.json() as? [String: Any])?["results"] as? [[String: Any]] ?? []
    }

    static func statuses(_ results: [[String: Any]]) -> [String] { results.map { $0["status"] as? String ?? "?" } }

    @Test func eachRecordIsStoredOnceAndAResendChangesNothing() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let household = UUID().uuidString.lowercased(), visit = UUID().uuidString.lowercased()
            let batch = [CommunityFixture.household(household, hamlet: c.hamletA), CommunityFixture.visit(visit, household: household)]
            let first = try await Self.sync(app, c.tokens["teamMember"], batch)
            #expect(Self.statuses(first) == ["stored", "stored"])
            #expect(first[0]["version"] as? Int == 1)
            #expect(first[0]["id"] as? String == household)
            let again = try await Self.sync(app, c.tokens["teamMember"], batch)
            #expect(Self.statuses(again) == ["unchanged", "unchanged"])
            #expect(try await HouseholdVersionModel.query(on: app.db).count() == 1)
            #expect(try await VisitModel.query(on: app.db).count() == 1)
            // Who and when are kept.
            let stored = try #require(try await VisitModel.find(UUID(uuidString: visit), on: app.db))
            #expect(stored.memberID != nil && stored.deviceID == "phone-1")
        }
    }

    @Test func twoIdenticalBatchesAtTheSameMomentStoreEachRecordOnce() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let households = (0..<5).map { _ in UUID().uuidString.lowercased() }
            let batch = households.enumerated().flatMap { index, id in
                [CommunityFixture.household(id, hamlet: c.hamletA, headName: "Chủ hộ \(index)"), CommunityFixture.visit(UUID().uuidString, household: id)]
            }
            // The same records, the same ids, in both batches.
            async let one = Self.sync(app, c.tokens["teamMember"], batch)
            async let two = Self.sync(app, c.tokens["teamMember"], batch)
            let (a, b) = try await (one, two)
            for (x, y) in zip(Self.statuses(a), Self.statuses(b)) {
                #expect(Set([x, y]).isSubset(of: ["stored", "unchanged"]) && [x, y].contains("stored"), "\(x) \(y)")
            }
            #expect(try await HouseholdModel.query(on: app.db).count() == 5)
            #expect(try await HouseholdVersionModel.query(on: app.db).count() == 5)
            #expect(try await VisitModel.query(on: app.db).count() == 5)
            #expect(try await CommunityReviewModel.query(on: app.db).count() == 0)
        }
    }

    @Test func aBadRecordIsRefusedWithItsReasonAndTheRestIsStored() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let good = UUID().uuidString.lowercased()
            let bad = CommunityFixture.household(UUID().uuidString, hamlet: c.hamletA).replacingOccurrences(of: #""adults":3"#, with: #""adults":9"#)
            let results = try await Self.sync(app, c.tokens["teamMember"], [
                bad, CommunityFixture.household(good, hamlet: c.hamletA), #"{"type":"visit","id":"x"}"#,
                CommunityFixture.visit(UUID().uuidString, household: UUID().uuidString), "42",
            ])
            #expect(Self.statuses(results) == ["rejected", "stored", "rejected", "rejected", "rejected"])
            let reason = try #require(results[0]["error"] as? [String: Any])
            #expect(reason["code"] as? String == "bad_adults")
            #expect((reason["message"] as? String)?.contains("không quá số nhân khẩu") == true, "in the caller's language")
            #expect((results[3]["error"] as? [String: Any])?["code"] as? String == "unknown_household")
            #expect(try await HouseholdModel.query(on: app.db).count() == 1)
            // A body that is not a batch at all.
            #expect(try await app.api(.POST, "/api/v1/sync", token: c.tokens["teamMember"], json: #"{"records":7}"#).status == .badRequest)
        }
    }

    @Test func twoPhonesEditingOneHouseholdKeepBothVersionsForTheLeader() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let id = UUID().uuidString.lowercased()
            _ = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(id, hamlet: c.hamletA)])
            // Both phones had version 1 and edited it offline.
            let first = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(id, hamlet: c.hamletA, base: 1, smartphones: 2)], device: "phone-1")
            let second = try await Self.sync(app, c.tokens["teamLeader"], [CommunityFixture.household(id, hamlet: c.hamletA, base: 1, smartphones: 3)], device: "phone-2")
            #expect(Self.statuses(first) == ["stored"])
            #expect(Self.statuses(second) == ["conflict"], "the field worker is told, but nothing is lost")
            #expect(second[0]["version"] as? Int == 3)
            let versions = try await HouseholdVersionModel.query(on: app.db).sort(\.$version).all()
            #expect(versions.map(\.version) == [1, 2, 3])
            #expect(versions.last?.conflictWith == 2)
            let household = try #require(try await HouseholdModel.find(UUID(uuidString: id), on: app.db))
            #expect(household.currentVersion == 3, "the newest is shown")
            let reviews = try await CommunityReviewModel.query(on: app.db).all()
            #expect(reviews.map(\.kind) == ["household_conflict"])
            // A visit id sent again with other content: kept apart, once.
            let visit = UUID().uuidString
            _ = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.visit(visit, household: id)])
            for _ in 0..<2 {
                #expect(Self.statuses(try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.visit(visit, household: id, note: "khác")])) == ["conflict"])
            }
            #expect(try await CommunityReviewModel.query(on: app.db).filter(\.$kind == "visit_conflict").count() == 1)
            // The leader sees both visits side by side to choose.
            let leaderPage = Browser(app)
            try await leaderPage.login("teamleader")
            let reviewPage = try await leaderPage.get("/community/team").text
            #expect(reviewPage.contains("Đã lưu: ") && reviewPage.contains("Cài VNPT Money") && reviewPage.contains("Bản mới: ") && reviewPage.contains("khác"))

            // The leader settles the household: version 2 becomes the current one (version 4), and
            // every version is kept. A member cannot settle; another team does not see it.
            let listed = try #require(try await app.api(.GET, "/api/v1/reviews", token: c.tokens["teamLeader"]).json() as? [[String: Any]])
            let conflict = try #require(listed.first { $0["kind"] as? String == "household_conflict" })
            #expect((conflict["versions"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [2, 3])
            let reviewID = try #require(conflict["id"] as? String)
            #expect(try await app.api(.POST, "/api/v1/reviews/\(reviewID)/settle", token: c.tokens["teamMember"], json: #"{"choice":"version","version":2}"#).status == .forbidden)
            #expect(try await app.api(.POST, "/api/v1/reviews/\(reviewID)/settle", token: c.tokens["teamMemberB"], json: #"{"choice":"version","version":2}"#).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/reviews", token: c.tokens["teamMemberB"]).text == "[]")
            #expect(try await app.api(.POST, "/api/v1/reviews/\(reviewID)/settle", token: c.tokens["teamLeader"], json: #"{"choice":"version","version":1}"#).status == .unprocessableEntity)
            #expect(try await app.api(.POST, "/api/v1/reviews/\(reviewID)/settle", token: c.tokens["teamLeader"], json: #"{"choice":"version","version":2}"#).status == .noContent)
            #expect(try await app.api(.POST, "/api/v1/reviews/\(reviewID)/settle", token: c.tokens["teamLeader"], json: #"{"choice":"version","version":2}"#).status == .conflict)
            let settled = try #require(try await HouseholdModel.find(UUID(uuidString: id), on: app.db))
            #expect(settled.currentVersion == 4)
            #expect(settled.content.answer(.smartphone)?.count == 2, "version 2's content")
            #expect(try await HouseholdVersionModel.query(on: app.db).filter(\.$householdID == settled.id!).count() == 4, "the history is kept")
        }
    }

    @Test func aLikelyDuplicateWaitsForTheLeader() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            _ = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(UUID().uuidString, hamlet: c.hamletA)])
            let twin = try await Self.sync(app, c.tokens["teamLeader"], [CommunityFixture.household(UUID().uuidString, hamlet: c.hamletA, headName: "thach thi sa ruol", address: "so 12/3")])
            #expect(Self.statuses(twin) == ["stored"], "both are kept")
            #expect(try await CommunityReviewModel.query(on: app.db).all().map(\.kind) == ["duplicate"])
            // The leader finds they are the same: the second is kept, marked, and leaves the lists.
            let review = try #require(try await CommunityReviewModel.query(on: app.db).first()?.requireID())
            #expect(try await app.api(.POST, "/api/v1/reviews/\(review)/settle", token: c.tokens["teamLeader"], json: #"{"choice":"keep"}"#).status == .unprocessableEntity)
            #expect(try await app.api(.POST, "/api/v1/reviews/\(review)/settle", token: c.tokens["teamLeader"], json: #"{"choice":"same"}"#).status == .noContent)
            let changes = try #require(try await app.api(.GET, "/api/v1/sync", token: c.tokens["teamMember"]).json() as? [String: Any])
            #expect((changes["households"] as? [[String: Any]])?.filter { $0["mergedInto"] is String }.count == 1)
            #expect(try await HouseholdModel.query(on: app.db).count() == 2, "nothing deleted")
        }
    }

    @Test func eachRoleSeesAndWritesOnlyItsHamlets() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let mine = UUID().uuidString.lowercased()
            _ = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(mine, hamlet: c.hamletA)])
            // Another team's hamlet, another hamlet of the same commune not served, a made-up one.
            for hamlet in [c.hamletB, c.hamletA2, "nowhere"] {
                let results = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(UUID().uuidString, hamlet: hamlet)])
                #expect(Self.statuses(results) == ["rejected"], "\(hamlet)")
            }
            // Team B cannot edit team A's household, nor log a visit to it.
            let taken = try await Self.sync(app, c.tokens["teamMemberB"], [CommunityFixture.household(mine, hamlet: c.hamletA, base: 1, smartphones: 0)])
            #expect(Self.statuses(taken) == ["rejected"])
            #expect(Self.statuses(try await Self.sync(app, c.tokens["teamMemberB"], [CommunityFixture.visit(UUID().uuidString, household: mine)])) == ["rejected"])
            // Nor move it into its own hamlet.
            let moved = try await Self.sync(app, c.tokens["teamMemberB"], [CommunityFixture.household(mine, hamlet: c.hamletB, base: 1)])
            #expect(Self.statuses(moved) == ["rejected"])

            // What each role downloads.
            func households(_ token: String?) async throws -> [String]? {
                let response = try await app.api(.GET, "/api/v1/sync", token: token)
                guard response.status == .ok else { return nil }
                return ((try response.json() as? [String: Any])?["households"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            }
            #expect(try await households(c.tokens["teamMember"]) == [mine])
            #expect(try await households(c.tokens["teamLeader"]) == [mine])
            #expect(try await households(c.tokens["teamMemberB"]) == [])
            #expect(try await households(c.tokens["officer"]) == [mine], "the commune's officer (Xã Trần Đề) reads it")
            #expect(try await households(c.tokens["officerElsewhere"]) == [])
            for role in ["managerA", "merchantA1"] {
                #expect(try await households(c.tokens[role]) == [], "\(role)")
                #expect(Self.statuses(try await Self.sync(app, c.tokens[role], [CommunityFixture.household(UUID().uuidString, hamlet: c.hamletA)])) == ["rejected"], "\(role)")
            }
            // An officer reads but does not write.
            #expect(Self.statuses(try await Self.sync(app, c.tokens["officer"], [CommunityFixture.household(UUID().uuidString, hamlet: c.hamletA)])) == ["rejected"])
            #expect(try await app.api(.GET, "/api/v1/sync").status == .unauthorized)
            #expect(try await HouseholdModel.query(on: app.db).count() == 1)
        }
    }

    @Test func aGzippedBatchIsReadLikeAPlainOne() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try #require(app.http.server.shared.localAddress?.port)
            // {"deviceId":"gz","records":[one household of hamlet 31672-1, "Lâm Thị Gzip"]}, gzipped.
            let gzipped = try #require(Data(base64Encoded: "H4sIAAAAAAACAyVQS07DMBC9iuU1lmKnaVpW3SEkxAqxqbpw7Gls4U9kx5VolBNwCyQuAUtO0ptgm+X7zbyZBUu4aAGPEt8jPF7xHcIBhA8yZuK44Pl9giIpnyIob2Rx6OpuxOa85x0jTFIgm2EHZM9bSrZnNuxkD5RTWtwDj/AKIWrvcswlYzKpuDUwlzEt3faM0ANrWEeanjQ1xKUMEEsJ3KHb99eEKq2Ay2dua6Wn30+LXtTt5wM9XPVUZAt2yJuy2tYZycwFsAwMd2PiY01edDELBeLN6FhaLDhaHuZJeQcVCp9cEWg25g9JcKJGI4DD61rPCkH/Lzue1tP6B3m1rsRLAQAA"))
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/sync")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(c.tokens["teamMember"]!)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Content-Encoding", value: "gzip")
            request.body = .bytes(ByteBuffer(data: gzipped))
            // The deadline is generous: this test is about gzip, and on a loaded CI machine the
            // batch may wait behind other suites' batches for SQLite's one writer.
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            #expect(response.status == .ok, "\(text)")
            #expect(text.contains(#""status":"stored""#))
            #expect(try await HouseholdModel.query(on: app.db).first()?.headName == "Lâm Thị Gzip")
        }
    }

    @Test func thePhoneAppIsTheTeamMembers() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let member = Browser(app)
            try await member.login("teammember")
            #expect(try await member.get("/").headers.first(name: .location) == "/community")
            let page = try await member.get("/community")
            #expect(page.status == .ok)
            #expect(page.text.contains("Ấp 1 (tên minh hoạ)") && page.text.contains(#"data-csrf=""#))
            #expect(!page.text.contains(c.hamletB), "another team's hamlet is not offered")
            for name in ["merchanta1", "managera", "officer"] {
                let other = Browser(app)
                try await other.login(name)
                #expect(try await other.get("/community").status == .notFound, "\(name)")
            }
        }
    }

    @Test func theLeadersPageSettlesWhatOnlyLeadersMay() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            _ = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(UUID().uuidString, hamlet: c.hamletA)])
            _ = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(UUID().uuidString, hamlet: c.hamletA, headName: "thach thi sa ruol")])
            let leader = Browser(app)
            try await leader.login("teamleader")
            let page = try await leader.get("/community/team")
            #expect(page.text.contains("Có thể trùng hộ") && page.text.contains("Là một hộ"))
            let member = Browser(app)
            try await member.login("teammember")
            let seen = try await member.get("/community/team")
            #expect(seen.text.contains("Có thể trùng hộ") && !seen.text.contains("Là một hộ"), "a member sees it, the leader settles it")
            let review = try #require(try await CommunityReviewModel.query(on: app.db).first()?.requireID())
            #expect(try await member.post("/reviews/\(review)/settle", [("choice", "distinct")]).status == .forbidden)
            try await leader.get("/community/team")
            #expect(try await leader.post("/reviews/\(review)/settle", [("choice", "distinct")]).status == .seeOther)
            #expect(try await CommunityReviewModel.find(review, on: app.db)?.settlement == "distinct")
            for name in ["merchanta1", "managera"] {
                let other = Browser(app)
                try await other.login(name)
                #expect(try await other.get("/community/team").status == .notFound, "\(name)")
            }
        }
    }

    @Test func theCommuneOfficerSeesHamletsAndExportsTheRegister() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let id = UUID().uuidString.lowercased()
            _ = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(id, hamlet: c.hamletA, smartphones: 2), CommunityFixture.visit(UUID().uuidString, household: id)])
            let officer = Browser(app)
            try await officer.login("officer")
            let page = try await officer.get("/community/commune")
            #expect(page.status == .ok)
            #expect(page.text.contains("Ấp 1 (tên minh hoạ) (trước đây Xã Đại Ân 2) — Xã Trần Đề"), "by hamlet as it is today, told apart from the other Ấp 1 of the merged commune")
            let register = try await officer.get("/community/export.xlsx?table=households")
            #expect(register.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
            let rows = try XLSX.firstSheet(Array(register.body.readableBytesView))
            #expect(rows.count == 2 && rows[1].contains("Thạch Thị Sà Rươl"), "\(rows)")
            let visits = try XLSX.firstSheet(Array(try await officer.get("/community/export.xlsx?table=visits").body.readableBytesView))
            #expect(visits.count == 2)
            #expect(try await officer.get("/community/export.xlsx?table=x").status == .badRequest)
            // Another commune's officer sees no row; people without a commune see nothing.
            let elsewhere = Browser(app)
            try await elsewhere.login("officerelsewhere")
            #expect(try XLSX.firstSheet(Array(try await elsewhere.get("/community/export.xlsx").body.readableBytesView)).count == 1)
            for name in ["teammember", "merchanta1", "managera"] {
                let other = Browser(app)
                try await other.login(name)
                #expect(try await other.get("/community/commune").status == .notFound, "\(name)")
                #expect(try await other.get("/community/export.xlsx").status == .notFound, "\(name)")
            }
        }
    }

    @Test func aPhoneCatchesUpFromItsCursor() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let first = try #require(try await app.api(.GET, "/api/v1/sync", token: c.tokens["teamLeader"]).json() as? [String: Any])
            let cursor = try #require(first["cursor"] as? String)
            let id = UUID().uuidString.lowercased()
            _ = try await Self.sync(app, c.tokens["teamMember"], [CommunityFixture.household(id, hamlet: c.hamletA), CommunityFixture.visit(UUID().uuidString, household: id)])
            let changes = try #require(try await app.api(.GET, "/api/v1/sync?since=\(cursor)", token: c.tokens["teamLeader"]).json() as? [String: Any])
            #expect((changes["households"] as? [[String: Any]])?.first?["id"] as? String == id)
            #expect((changes["visits"] as? [[String: Any]])?.count == 1)
            #expect(try await app.api(.GET, "/api/v1/sync?since=abc", token: c.tokens["teamLeader"]).status == .badRequest)
            // The teams the member works in, with their hamlets.
            let teams = try #require(try await app.api(.GET, "/api/v1/teams", token: c.tokens["teamLeader"]).json() as? [[String: Any]])
            #expect(teams.count == 1)
            #expect((teams.first?["hamlets"] as? [[String: Any]])?.first?["id"] as? String == c.hamletA)
            #expect(teams.first?["isLeader"] as? Bool == true)
        }
    }
}
