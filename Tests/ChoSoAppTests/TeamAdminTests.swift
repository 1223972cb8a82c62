import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Officers manage their communes' teams (members, logins, hamlets, targets); nobody else does;
/// the register is read through the API by those who reach it, and follow-ups stay open until
/// the household's next visit.
@Suite struct TeamAdminTests {
    static let today = Day(Date(), in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    @Test func anOfficerSetsUpATeamOnlyInTheirOwnCommune() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let hamlet = TranDeUnits.newID("31672-2")
            let body = #"{"name":"Tổ CNSCĐ ấp 2","unit":"\#(TranDeUnits.newID("31673"))","hamlets":["\#(hamlet)"]}"#
            let created = try await app.api(.POST, "/api/v1/teams", token: c.base.tokens["officer"], json: body)
            #expect(created.status == .created, "\(created.text)")
            let team = try #require(try created.json() as? [String: Any])
            #expect((team["hamlets"] as? [[String: Any]])?.map { $0["id"] as? String } == [hamlet])
            let teams = try await TeamModel.query(on: app.db).count()
            // Another commune's officer, a board, a keeper, a team member: refused, nothing made.
            for name in ["officerElsewhere", "managerA", "merchantA1", "teamMember"] {
                let refused = try await app.api(.POST, "/api/v1/teams", token: c.base.tokens[name] ?? c.tokens[name], json: body)
                #expect(refused.status == .unprocessableEntity, "\(name)")
                #expect(refused.fieldCodes()["unit"] == "unit_not_managed", "\(name)")
            }
            // A hamlet of another commune, an unknown unit, an empty name: each said.
            let wrong = try await app.api(.POST, "/api/v1/teams", token: c.base.tokens["officer"], json:
                #"{"name":" ","unit":"\#(TranDeUnits.newID("31673"))","hamlets":["\#(c.hamletB)"]}"#)
            #expect(wrong.fieldCodes() == ["name": "required", "hamlets": "hamlet_not_in_commune"])
            #expect(try await app.api(.POST, "/api/v1/teams", token: c.base.tokens["admin"], json: #"{"name":"X","unit":"nowhere"}"#).fieldCodes() == ["unit": "unknown_commune"])
            #expect(try await TeamModel.query(on: app.db).count() == teams)
        }
    }

    @Test func anOfficerAddsAMemberWithALoginThatReachesTheTeam() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let path = "/api/v1/teams/\(c.base.team)/members"
            let added = try await app.api(.POST, path, token: c.base.tokens["officer"], json:
                #"{"fullName":"Lâm Thị Nguyệt","phone":"0912 345 678","role":"member","affiliation":"womens_union","username":"nguyet.daian2"}"#)
            #expect(added.status == .created, "\(added.text)")
            let answer = try #require(try added.json() as? [String: Any])
            let code = try #require(answer["oneTimeCode"] as? String)
            #expect(code.count == 14)
            #expect((answer["member"] as? [String: Any])?["phone"] as? String == "0912345678")
            let login = try #require(try await UserModel.query(on: app.db).filter(\.$username == "nguyet.daian2").with(\.$scopes).first())
            #expect(login.role == Role.teamMember.rawValue)
            #expect(login.mustChangePassword == true)
            #expect(login.scopes.map(\.scopeID) == [c.base.team])
            // The same user name again: refused with the reason, and no half-made member.
            let members = try await TeamMemberModel.query(on: app.db).count()
            let taken = try await app.api(.POST, path, token: c.base.tokens["officer"], json:
                #"{"fullName":"Người khác","role":"member","affiliation":"volunteer","username":"nguyet.daian2"}"#)
            #expect(taken.fieldCodes()["username"] == "username_taken")
            let bad = try await app.api(.POST, path, token: c.base.tokens["officer"], json:
                #"{"fullName":"A","phone":"12345","role":"boss","affiliation":"volunteer","activeFrom":"2026-05-01","activeTo":"2026-04-01"}"#)
            #expect(bad.fieldCodes() == ["phone": "bad_phone", "role": "bad_role", "activeTo": "bad_end_date"])
            #expect(try await TeamMemberModel.query(on: app.db).count() == members)

            // Ending the membership disables the login at once, and a reset does not bring it back.
            let memberID = try #require((answer["member"] as? [String: Any])?["id"] as? String)
            login.mustChangePassword = false  // as after the first sign-in
            try await login.save(on: app.db)
            let token = try await AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
                .issueToken(for: try login.requireID(), name: "phone").1
            #expect(try await app.api(.GET, "/api/v1/teams", token: token).status == .ok)
            let ended = try await app.api(.POST, "\(path)/\(memberID)/end", token: c.base.tokens["officer"])
            #expect((try ended.json() as? [String: Any])?["activeTo"] as? String == Self.today.iso)
            #expect(try await app.api(.GET, "/api/v1/teams", token: token).status == .unauthorized)
            #expect(try await app.api(.POST, "\(path)/\(memberID)/reset-password", token: c.base.tokens["officer"]).status == .conflict)
        }
    }

    @Test func onlyTheCommunesOfficersAndAdministratorsChangeATeam() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let member = #"{"fullName":"Kiên","role":"member","affiliation":"volunteer"}"#
            let target = #"{"item":"smartphone","period":"month","start":"\#(Day(year: Self.today.year, month: Self.today.month, day: 1).iso)","target":50}"#
            let teamA = "/api/v1/teams/\(c.base.team)"
            let leaderMember = try #require(try await TeamMemberModel.query(on: app.db).filter(\.$fullName == "teamLeader").first()?.id?.uuidString)
            // A team's own members read it but change nothing; other teams, boards, keepers and
            // other communes' officers do not know it exists.
            for (name, status) in [("teamLeader", HTTPStatus.forbidden), ("teamMember", .forbidden), ("teamMemberB", .notFound),
                                   ("managerA", .notFound), ("merchantA1", .notFound), ("officerElsewhere", .notFound)] {
                let token = c.base.tokens[name] ?? c.tokens[name]
                #expect(try await app.api(.POST, "\(teamA)/members", token: token, json: member).status == status, "\(name)")
                #expect(try await app.api(.PUT, "\(teamA)/targets", token: token, json: target).status == status, "\(name)")
                #expect(try await app.api(.PUT, "\(teamA)/hamlets", token: token, json: #"{"hamlets":[]}"#).status == status, "\(name)")
                #expect(try await app.api(.POST, "\(teamA)/members/\(leaderMember)/reset-password", token: token).status == status, "\(name)")
                #expect(try await app.api(.POST, "\(teamA)/members/\(leaderMember)/end", token: token).status == status, "\(name)")
                let read = try await app.api(.GET, "\(teamA)/members", token: token)
                #expect(read.status == (status == .forbidden ? .ok : .notFound), "\(name)")
            }
            #expect(try await TeamMemberModel.query(on: app.db).filter(\.$activeTo != nil).count() == 0)
            #expect(try await CommunityTargetModel.query(on: app.db).count() == 0)
            // An officer cannot reset an account that is not a team login, even if a member row points at it.
            let officerUser = try #require(try await UserModel.query(on: app.db).filter(\.$username == "officer").first())
            let row = try #require(try await TeamMemberModel.find(UUID(uuidString: leaderMember), on: app.db))
            row.userID = try officerUser.requireID()
            try await row.save(on: app.db)
            #expect(try await app.api(.POST, "\(teamA)/members/\(leaderMember)/reset-password", token: c.base.tokens["officer"]).status == .conflict)
        }
    }

    @Test func aTargetIsSetOnceAndItsProgressIsCountedFromTheRecords() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let household = UUID().uuidString.lowercased()
            _ = try await SyncTests.sync(app, c.tokens["teamMember"], [
                CommunityFixture.household(household, hamlet: c.hamletA, smartphones: 2), CommunityFixture.visit(UUID().uuidString, household: household),
            ])
            let month = Day(year: Self.today.year, month: Self.today.month, day: 1).iso
            let path = "/api/v1/teams/\(c.base.team)/targets"
            // Two officers' taps at once, then a change: one target, the last value.
            async let one = app.api(.PUT, path, token: c.base.tokens["officer"], json: #"{"item":"smartphone","period":"month","start":"\#(month)","target":40,"planReference":"KH số 12/KH-UBND"}"#)
            async let two = app.api(.PUT, path, token: c.base.tokens["admin"], json: #"{"item":"smartphone","period":"month","start":"\#(month)","target":40}"#)
            let answers = try await [one, two]
            #expect(answers.map(\.status) == [.ok, .ok], "\(answers.map(\.text))")
            let changed = try await app.api(.PUT, path, token: c.base.tokens["officer"], json: #"{"item":"smartphone","period":"month","start":"\#(month)","target":30,"planReference":"KH số 12/KH-UBND"}"#)
            let targets = try #require((try changed.json() as? [String: Any])?["targets"] as? [[String: Any]])
            #expect(targets.count == 1)
            #expect(targets.first?["target"] as? Int == 30)
            #expect(targets.first?["done"] as? Int == 2)
            #expect(try await CommunityTargetModel.query(on: app.db).count() == 1)
            // A start that is not the period's first day, an unknown item, a zero target: each said.
            let bad = try await app.api(.PUT, path, token: c.base.tokens["officer"], json: #"{"item":"flying","period":"quarter","start":"\#(Self.today.year)-02-01","target":0}"#)
            #expect(bad.fieldCodes() == ["item": "bad_item", "start": "not_period_start", "target": "bad_target"])
            // The team's member reads the same progress.
            let read = try await app.api(.GET, path, token: c.tokens["teamMember"])
            #expect(((try read.json() as? [String: Any])?["planReference"] as? String) == "KH số 12/KH-UBND")
        }
    }

    @Test func theRegisterIsReadOnlyByThoseWhoReachIt() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let household = UUID().uuidString.lowercased()
            _ = try await SyncTests.sync(app, c.tokens["teamMember"], [
                CommunityFixture.household(household, hamlet: c.hamletA), CommunityFixture.visit(UUID().uuidString, household: household),
            ])
            let hamlets = try #require(try await app.api(.GET, "/api/v1/hamlets", token: c.tokens["teamMember"]).json() as? [[String: Any]])
            #expect(hamlets.compactMap { $0["id"] as? String } == [c.hamletA])
            let found = try await app.api(.GET, "/api/v1/households?hamlet=\(c.hamletA)&q=sa%20ruol", token: c.tokens["teamMember"])
            #expect((try found.json() as? [[String: Any]])?.map { $0["id"] as? String } == [household])
            #expect(try await app.api(.GET, "/api/v1/households?q=nobody", token: c.tokens["teamMember"]).text == "[]")
            #expect((try await app.api(.GET, "/api/v1/households/\(household)/visits", token: c.base.tokens["officer"]).json() as? [Any])?.count == 1)
            for name in ["teamMemberB", "managerA", "merchantA1", "officerElsewhere"] {
                let token = c.base.tokens[name] ?? c.tokens[name]
                #expect(try await app.api(.GET, "/api/v1/households?hamlet=\(c.hamletA)", token: token).status == .notFound, "\(name)")
                #expect(try await app.api(.GET, "/api/v1/households/\(household)/visits", token: token).status == .notFound, "\(name)")
                let everything = try await app.api(.GET, "/api/v1/households", token: token).text
                #expect(!everything.contains(household), "\(name)")
            }
            #expect(try await app.api(.GET, "/api/v1/hamlets", token: c.base.tokens["managerA"]).text == "[]")
            #expect(try await app.api(.GET, "/api/v1/follow-ups", token: c.base.tokens["merchantA1"]).text == "[]")
        }
    }

    @Test func aFollowUpStaysOpenUntilTheHouseholdsNextVisit() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let household = UUID().uuidString.lowercased()
            let today = Self.today
            func visit(_ date: Day, followUp: String) -> String {
                #"{"type":"visit","id":"\#(UUID().uuidString)","household":"\#(household)","date":"\#(date.iso)","help":["vneid_level1"],"barriers":[],"outcome":"follow_up","note":"","followUp":\#(followUp)}"#
            }
            let due = today.adding(days: 5).iso
            let results = try await SyncTests.sync(app, c.tokens["teamMember"], [
                CommunityFixture.household(household, hamlet: c.hamletA),
                visit(today.adding(days: -3), followUp: #"{"action":"vneid_level2_at_police","due":"\#(due)"}"#),
                visit(today, followUp: #"{"action":"vneid_level2_at_police","due":"\#(today.adding(days: -4).iso)"}"#),
                visit(today, followUp: #"{"action":"dance","due":"\#(due)"}"#),
            ])
            #expect(SyncTests.statuses(results) == ["stored", "stored", "rejected", "rejected"])
            let open = try #require(try await app.api(.GET, "/api/v1/follow-ups", token: c.tokens["teamLeader"]).json() as? [[String: Any]])
            #expect(open.map { $0["due"] as? String } == [due])
            #expect(open.first?["overdue"] as? Bool == false)
            #expect(try await app.api(.GET, "/api/v1/follow-ups", token: c.tokens["teamMemberB"]).text == "[]")
            let leader = Browser(app)
            try await leader.login("teamleader")
            #expect(try await leader.get("/community/team").text.contains("Hẹn công an xã kích hoạt VNeID mức 2"))
            // The appointment kept: the next visit closes it.
            _ = try await SyncTests.sync(app, c.tokens["teamMember"], [CommunityFixture.visit(UUID().uuidString, household: household)])
            #expect(try await app.api(.GET, "/api/v1/follow-ups", token: c.tokens["teamMember"]).text == "[]")
        }
    }

    @Test func theOfficersPagesSetUpATeamItsMembersHamletsAndTargets() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let officer = Browser(app)
            try await officer.login("officer")
            let commune = try await officer.get("/community/commune")
            #expect(commune.text.contains("/community/teams/\(c.base.team.lowercased())"))
            #expect(!commune.text.contains(c.teamB.lowercased()), "another commune's team")
            let empty = try await officer.post("/community/teams", [("name", ""), ("unit", TranDeUnits.newID("31673"))])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("Tên tổ: bắt buộc"))
            let created = try await officer.post("/community/teams", [("name", "Tổ CNSCĐ ấp 2"), ("unit", TranDeUnits.newID("31673"))])
            let location = try #require(created.headers.first(name: .location))
            #expect(location.hasPrefix("/community/teams/"))
            let teamPage = try await officer.get(location)
            #expect(teamPage.status == .ok && teamPage.text.contains("Tổ CNSCĐ ấp 2"))
            // Its hamlets, a member with a login (the code shown once), a target with a wrong start.
            #expect(try await officer.post("\(location)/hamlets", [("hamlets[]", c.hamletA2)]).status == .seeOther)
            let added = try await officer.post("\(location)/members", [
                ("fullName", "Trần Văn Út"), ("phone", ""), ("role", "leader"), ("affiliation", "youth_union"), ("activeFrom", ""), ("username", "ut.ap2"),
            ])
            #expect(added.status == .ok && added.text.contains("Mã đăng nhập một lần cho Trần Văn Út"))
            let badTarget = try await officer.post("\(location)/targets", [("item", "smartphone"), ("period", "quarter"), ("start", "2026-02-01"), ("target", "50"), ("planReference", "")])
            #expect(badTarget.status == .unprocessableEntity && badTarget.text.contains("Ngày đầu kỳ"))
            #expect(try await officer.post("\(location)/targets", [("item", "smartphone"), ("period", "year"), ("start", "\(Self.today.year)-01-01"), ("target", "50"), ("planReference", "KH số 7/KH-UBND")]).status == .seeOther)
            let after = try await officer.get(location)
            #expect(after.text.contains("KH số 7/KH-UBND") && after.text.contains("Năm \(Self.today.year)"))
            let ut = try #require(try await UserModel.query(on: app.db).filter(\.$username == "ut.ap2").first())
            let teamID = String(location.dropFirst("/community/teams/".count))
            #expect(try await app.api(.GET, "/api/v1/teams", token: try await AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
                .issueToken(for: try ut.requireID(), name: "t").1).status == .forbidden, "a new login must choose its password first")
            let served = try await TeamHamletModel.query(on: app.db).filter(\.$team.$id == UUID(uuidString: teamID)!).all().map(\.unitID)
            #expect(served == [c.hamletA2])
            // The team's own leader, another commune's officer, a board: not this page.
            for (name, status) in [("teamleader", HTTPStatus.forbidden), ("officerelsewhere", .notFound), ("managera", .notFound)] {
                let other = Browser(app)
                try await other.login(name)
                #expect(try await other.get("/community/teams/\(c.base.team)").status == status, "\(name)")
            }
        }
    }

    // MARK: Findings of the review on a release server

    @Test func aVisitIdOfAnotherCommunesHouseholdCannotBeContested() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let theirs = UUID().uuidString.lowercased(), visit = UUID().uuidString.lowercased()
            _ = try await SyncTests.sync(app, c.tokens["teamMemberB"], [
                CommunityFixture.household(theirs, hamlet: c.hamletB), CommunityFixture.visit(visit, household: theirs, note: "LT visit"),
            ])
            let mine = UUID().uuidString.lowercased()
            let results = try await SyncTests.sync(app, c.tokens["teamMember"], [
                CommunityFixture.household(mine, hamlet: c.hamletA), CommunityFixture.visit(visit, household: mine, note: "collide"),
            ])
            #expect(SyncTests.statuses(results) == ["stored", "rejected"])
            #expect((results[1]["error"] as? [String: Any])?["code"] as? String == "visit_id_taken")
            #expect(try await CommunityReviewModel.query(on: app.db).count() == 0)
            // A correction must name an earlier visit of the same household.
            let corrections = try await SyncTests.sync(app, c.tokens["teamMember"], [
                #"{"type":"visit","id":"\#(UUID().uuidString)","household":"\#(mine)","date":"\#(Self.today.iso)","help":[],"barriers":[],"note":"","corrects":"\#(visit)"}"#,
            ])
            #expect((corrections[0]["error"] as? [String: Any])?["code"] as? String == "unknown_visit")
            #expect(try await VisitModel.query(on: app.db).filter(\.$householdID == UUID(uuidString: theirs)!).count() == 1)
        }
    }

    @Test func aSyncOfMoreThanAMegabyteIsReadUpToTheDocumentedLimit() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            // 3,000 visits with long notes (about 1.6 MB) of a household not sent: each refused on its own, none lost to a 413.
            let note = String(repeating: "Cài VNPT Money, hướng dẫn chuyển khoản. ", count: 10)
            let records = (0..<3_000).map { _ in CommunityFixture.visit(UUID().uuidString, household: UUID().uuidString, note: String(note.prefix(480))) }
            let response = try await app.api(.POST, "/api/v1/sync", token: c.tokens["teamMember"], json: #"{"deviceId":"big","records":[\#(records.joined(separator: ","))]}"#)
            #expect(response.status == .ok)
            #expect(((try response.json() as? [String: Any])?["results"] as? [Any])?.count == 3_000)
        }
    }

    @Test func aTeamSetUpBeforeTheMergerServesHamletsOfTheMergedCommune() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            // Team A's unit is Đại Ân 2 (31672), merged into Xã Trần Đề on 1/7/2025.
            let answer = try await app.api(.PUT, "/api/v1/teams/\(c.base.team)/hamlets", token: c.base.tokens["officer"], json: #"{"hamlets":["\#(c.hamletA)","\#(c.hamletA2)"]}"#)
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(((try answer.json() as? [String: Any])?["hamlets"] as? [Any])?.count == 2)
            let officer = Browser(app)
            try await officer.login("officer")
            let page = try await officer.get("/community/teams/\(c.base.team)")
            #expect(page.text.contains("value=\"\(c.hamletA2)\""))
            #expect(try await officer.get("/community/teams/\(c.base.team)/members").headers.first(name: .location) == "/community/teams/\(c.base.team.lowercased())")
        }
    }

    @Test func noIDNumberInAMembersNameNorATargetCenturiesAway() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let member = try await app.api(.POST, "/api/v1/teams/\(c.base.team)/members", token: c.base.tokens["officer"], json:
                #"{"fullName":"Rv 079 123 456 789","role":"member","affiliation":"volunteer"}"#)
            #expect(member.fieldCodes() == ["fullName": "id_number"])
            let target = try await app.api(.PUT, "/api/v1/teams/\(c.base.team)/targets", token: c.base.tokens["officer"], json:
                #"{"item":"smartphone","period":"year","start":"9999-01-01","target":5}"#)
            #expect(target.fieldCodes() == ["start": "start_out_of_range"])
        }
    }
}
