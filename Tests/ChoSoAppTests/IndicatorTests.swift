import ChoSoCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// The indicators API (issue 17): live aggregates kept with the households and visits synced,
/// the same figures on the new tree and the former one, baselines and targets, and who may see what.
@Suite struct IndicatorTests {
    static let tranDe = TranDeUnits.newID("31673")
    static var today: Day { Day(Date(), in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!) }

    /// The figure of `code` for the unit answered, or for one of the units below it.
    static func figure(_ body: Any, code: String, unit: String? = nil) -> [String: Any]? {
        guard let table = body as? [String: Any] else { return nil }
        var figures = table["unit"] as? [String: Any]
        if let unit { figures = (table["units"] as? [[String: Any]])?.first { $0["id"] as? String == unit } }
        return (figures?["indicators"] as? [[String: Any]])?.first { $0["code"] as? String == code }
    }

    static func numerator(_ app: Application, _ token: String?, _ path: String, code: String, unit: String? = nil) async throws -> Int? {
        let response = try await app.api(.GET, path, token: token)
        #expect(response.status == .ok, "\(path): \(response.text)")
        return figure(try response.json(), code: code, unit: unit)?["numerator"] as? Int
    }

    @Test func syncedHouseholdsAndVisitsCountAtOnceAndAResendChangesNothing() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let officer = community.base.tokens["officer"]
            let member = community.tokens["teamMember"]
            let path = "/api/v1/units/\(Self.tranDe)/indicators"
            #expect(try await Self.numerator(app, officer, path, code: "XH-01") == 0)
            let household = "6f1c1e70-0000-4000-8000-000000000001"
            let records = [CommunityFixture.household(household, hamlet: community.hamletA, smartphones: 2),
                           CommunityFixture.visit("6f1c1e70-0000-4000-8000-0000000000a1", household: household)]
            _ = try await SyncTests.sync(app, member, records)
            #expect(try await Self.numerator(app, officer, path, code: "XH-01") == 1)
            #expect(try await Self.numerator(app, officer, path, code: "XH-02") == 2)
            #expect(try await Self.numerator(app, officer, path, code: "XH-05") == 1)
            // The hamlet below the commune carries the same figure.
            #expect(try await Self.numerator(app, officer, path, code: "XH-01", unit: community.hamletA) == 1)
            // A phone on a weak link sends it all again: nothing doubles.
            _ = try await SyncTests.sync(app, member, records)
            #expect(try await Self.numerator(app, officer, path, code: "XH-02") == 2)
            // A new version without smartphones takes the household out from its day.
            _ = try await SyncTests.sync(app, member, [CommunityFixture.household(household, hamlet: community.hamletA, base: 1, smartphones: 0)])
            #expect(try await Self.numerator(app, officer, path, code: "XH-01") == 0)
            #expect(try await Self.numerator(app, officer, path, code: "XH-05") == 1)
            // Yesterday the household was not yet recorded.
            let yesterday = Self.today.adding(days: -1)
            let period = yesterday.month == Self.today.month ? "" : "&period=\(IndicatorGrain.month.bucket(yesterday))"
            #expect(try await Self.numerator(app, officer, path + "?asOf=\(yesterday.iso)\(period)", code: "XH-01") == 0)
            #expect(try await IndicatorStore.verify(timeZone: app.choSoConfig.timeZone, on: app.db).isEmpty)
        }
    }

    @Test func theFormerTreeShowsTheSameHouseholdsUnderTheFormerCommune() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let admin = community.base.tokens["admin"], officer = community.base.tokens["officer"]
            var records: [String] = []
            for index in 0..<3 {
                records.append(CommunityFixture.household("6f1c1e70-0000-4000-8000-00000000010\(index)", hamlet: community.hamletA, headName: "Sơn Văn \(index)", address: "\(index)/1"))
            }
            _ = try await SyncTests.sync(app, community.tokens["teamMember"], records)
            _ = try await SyncTests.sync(app, community.tokens["teamMemberB"], [CommunityFixture.household("6f1c1e70-0000-4000-8000-000000000200", hamlet: community.hamletB)])
            let former = "?tree=before-2025-07-01"
            // The officer of Xã Trần Đề sees the former Đại Ân 2 it was made of, on the former tree.
            #expect(try await Self.numerator(app, officer, "/api/v1/units/31672/indicators\(former)", code: "XH-01") == 3)
            #expect(try await Self.numerator(app, officer, "/api/v1/units/31672/indicators\(former)", code: "XH-01", unit: "31672-1") == 3)
            // The province then and the city now hold the same households.
            let then = try await Self.numerator(app, admin, "/api/v1/units/94/indicators\(former)", code: "XH-01")
            let now = try await Self.numerator(app, admin, "/api/v1/units/92/indicators", code: "XH-01")
            #expect(then == 4 && now == 4)
            let district = try await Self.numerator(app, admin, "/api/v1/units/951/indicators\(former)", code: "XH-01")
            let newCommunes = try await Self.numerator(app, admin, "/api/v1/units/\(Self.tranDe)/indicators", code: "XH-01")
            let thanhThoiAn = try await Self.numerator(app, admin, "/api/v1/units/\(TranDeUnits.newID("31699"))/indicators", code: "XH-01")
            #expect(district == 4 && newCommunes == 3 && thanhThoiAn == 1)
            // A former commune is not on today's tree: said so, not an empty table.
            let missing = try await app.api(.GET, "/api/v1/units/31672/indicators", token: officer)
            #expect(missing.status == .notFound && missing.errorCode() == "unit_not_on_tree")
        }
    }

    @Test func percentagesDivideByTheOfficialCountAndShowTheTargetAndTheGap() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let officer = community.base.tokens["officer"]
            let baseline = IndicatorBaselineModel()
            baseline.unitID = community.hamletA
            baseline.kind = "households"
            baseline.asOf = "2025-07-01"
            baseline.value = 8
            baseline.source = "Trưởng ấp"
            baseline.enteredAt = Date()
            try await baseline.create(on: app.db)
            let target = IndicatorTargetModel()
            target.unitID = "92"
            target.code = "XH-01"
            target.period = "2030"
            target.value = 8_000
            target.planNumber = "01/KH"
            target.planDate = "2026-01-01"
            target.issuer = "UBND thành phố"
            target.isDemo = false
            try await target.create(on: app.db)
            _ = try await SyncTests.sync(app, community.tokens["teamMember"], [CommunityFixture.household("6f1c1e70-0000-4000-8000-000000000300", hamlet: community.hamletA)])
            let response = try await app.api(.GET, "/api/v1/units/\(Self.tranDe)/indicators", token: officer)
            let hamlet = try #require(Self.figure(try response.json(), code: "XH-01", unit: community.hamletA))
            #expect(hamlet["numerator"] as? Int == 1 && hamlet["denominator"] as? Int == 8)
            #expect(hamlet["value"] as? Double == 12.5 && hamlet["target"] as? Double == 80)
            // ceil(80 % × 8) − 1 = 6 households still to reach.
            #expect(hamlet["gap"] as? Int == 6 && hamlet["gapText"] as? String == "Còn thiếu 6 hộ")
            #expect((hamlet["denominatorSource"] as? String)?.hasPrefix("Trưởng ấp, 01/07/2025") == true)
            // The commune has no count of its own and not every hamlet has one: no N, no percentage.
            let commune = try #require(Self.figure(try response.json(), code: "XH-01"))
            #expect(commune["denominator"] is NSNull && commune["value"] is NSNull && commune["gap"] is NSNull)
        }
    }

    @Test func onlyOfficersOfTheUnitAndAdministratorsSeeItsFigures() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let tokens = community.tokens
            let path = "/api/v1/units/\(Self.tranDe)/indicators"
            for name in ["officerElsewhere", "managerA", "merchantA1", "teamMember"] {
                let response = try await app.api(.GET, path, token: tokens[name])
                #expect(response.status == .notFound, "\(name) must not see Xã Trần Đề's figures")
            }
            #expect(try await app.api(.GET, path, token: nil).status == .unauthorized)
            #expect(try await app.api(.GET, "/api/v1/units/951/indicators?tree=before-2025-07-01", token: tokens["officer"]).status == .notFound)
            #expect(try await app.api(.GET, path, token: tokens["admin"]).status == .ok)
            #expect(try await app.api(.GET, "/api/v1/indicators", token: tokens["teamMember"]).status == .ok)
        }
    }

    @Test func badParametersAreRefusedWithTheirReason() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let officer = community.base.tokens["officer"]
            let path = "/api/v1/units/\(Self.tranDe)/indicators"
            for (query, code) in [("tree=old", "bad_tree"), ("period=2026-13", "bad_period"), ("period=2026-Q5", "bad_period"), ("period=26", "bad_period"),
                                  ("asOf=2026-02-30", "bad_date"), ("asOf=2026-10-05&period=2026-11", "date_outside_period"),
                                  ("asOf=2026-10-05&period=2026-Q1", "date_outside_period")] {
                let response = try await app.api(.GET, path + "?" + query, token: officer)
                #expect(response.status == .badRequest && response.errorCode() == code, "\(query): \(response.text)")
            }
            #expect(try await app.api(.GET, "/api/v1/units/nowhere/indicators", token: officer).status == .notFound)
        }
    }

    @Test func verifyFindsATamperedAggregateAndTheRebuildMendsIt() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            _ = try await SyncTests.sync(app, community.tokens["teamMember"], [CommunityFixture.household("6f1c1e70-0000-4000-8000-000000000400", hamlet: community.hamletA)])
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE indicator_counts SET value = value + 5 WHERE measure = 'households.registered' AND grain = 0 AND level = 0").run()
            let timeZone = app.choSoConfig.timeZone
            #expect(try await IndicatorStore.verify(timeZone: timeZone, on: app.db).count == 1)
            try await IndicatorStore.rebuild(timeZone: timeZone, on: app.db)
            #expect(try await IndicatorStore.verify(timeZone: timeZone, on: app.db).isEmpty)
            #expect(try await Self.numerator(app, community.base.tokens["officer"], "/api/v1/units/\(Self.tranDe)/indicators", code: "XH-05") == 0)
        }
    }

    @Test func aFrozenMonthStaysAsFrozenShowsLateDataAndANewVersionSaysWhatChanged() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let officer = community.tokens["officer"]
            let lastMonthEnd = Self.today.adding(days: -Self.today.day)
            let period = IndicatorGrain.month.bucket(lastMonthEnd)
            let path = "/api/v1/units/\(Self.tranDe)/indicator-reports"
            // Only a finished period, only by the unit's officers.
            let running = try await app.api(.POST, path, token: officer, json: #"{"period":"\#(IndicatorGrain.month.bucket(Self.today))"}"#)
            #expect(running.status == .unprocessableEntity && running.errorCode() == "period_not_over")
            for name in ["officerElsewhere", "teamMember", "managerA"] {
                #expect(try await app.api(.POST, path, token: community.tokens[name], json: #"{"period":"\#(period)"}"#).status == .notFound, "\(name)")
            }
            #expect(try await app.api(.POST, path, token: officer, json: #"{"period":"2026-13"}"#).errorCode() == "bad_period")
            let first = try await app.api(.POST, path, token: officer, json: #"{"period":"\#(period)"}"#)
            #expect(first.status == .created)
            let id = try #require((try first.json() as? [String: Any])?["id"] as? String)
            // A double tap makes no second version.
            let again = try await app.api(.POST, path, token: officer, json: #"{"period":"\#(period)"}"#)
            let againID = (try again.json() as? [String: Any])?["id"] as? String
            #expect(again.status == .ok && againID == id)
            var report = try await app.api(.GET, "/api/v1/indicator-reports/\(id)", token: officer).json() as? [String: Any]
            #expect(report?["late"] as? Bool == false)
            #expect(try await app.api(.GET, "/api/v1/indicator-reports/\(id)", token: community.tokens["officerElsewhere"]).status == .notFound)

            // A visit of last month synced today is late for the frozen month.
            let household = "6f1c1e70-0000-4000-8000-000000000500"
            let visit = #"{"type":"visit","id":"6f1c1e70-0000-4000-8000-0000000005a1","household":"\#(household)","date":"\#(lastMonthEnd.iso)","help":["open_account"],"barriers":[],"outcome":"done","note":""}"#
            _ = try await SyncTests.sync(app, community.tokens["teamMember"], [CommunityFixture.household(household, hamlet: community.hamletA), visit])
            report = try await app.api(.GET, "/api/v1/indicator-reports/\(id)", token: officer).json() as? [String: Any]
            #expect(report?["late"] as? Bool == true)
            let late = report?["lateChanges"] as? [[String: Any]] ?? []
            #expect(late.contains { $0["code"] as? String == "XH-05" && $0["unitId"] as? String == Self.tranDe && $0["afterNumerator"] as? Int == 1 })
            // The frozen figures themselves did not move.
            let frozen = Self.figure(report?["figures"] as Any, code: "XH-05")
            #expect(frozen?["numerator"] as? Int == 0)
            let second = try await app.api(.POST, path, token: officer, json: #"{"period":"\#(period)"}"#)
            let secondVersion = (try second.json() as? [String: Any])?["version"] as? Int
            #expect(second.status == .created && secondVersion == 2)
            let secondID = try #require((try second.json() as? [String: Any])?["id"] as? String)
            let newer = try await app.api(.GET, "/api/v1/indicator-reports/\(secondID)", token: officer).json() as? [String: Any]
            #expect(newer?["late"] as? Bool == false)
            #expect((newer?["changesSincePrevious"] as? [[String: Any]] ?? []).contains { $0["code"] as? String == "XH-05" && $0["beforeNumerator"] as? Int == 0 })
            let list = try await app.api(.GET, path, token: officer).json() as? [[String: Any]]
            #expect(list?.compactMap { $0["version"] as? Int } == [2, 1])
        }
    }

    @Test func aDuplicateSettledAndAChosenVersionChangeTheFiguresAtOnce() async throws {
        try await withTestApp { app in
            let c = try await CommunityFixture.make(app)
            let officer = c.tokens["officer"], path = "/api/v1/units/\(Self.tranDe)/indicators"
            let first = UUID().uuidString.lowercased()
            _ = try await SyncTests.sync(app, c.tokens["teamMember"], [CommunityFixture.household(first, hamlet: c.hamletA)])
            _ = try await SyncTests.sync(app, c.tokens["teamLeader"], [CommunityFixture.household(UUID().uuidString, hamlet: c.hamletA, headName: "thach thi sa ruol", address: "so 12/3")])
            #expect(try await Self.numerator(app, officer, path, code: "XH-01") == 2)
            let duplicate = try #require(try await CommunityReviewModel.query(on: app.db).filter(\.$kind == "duplicate").first()?.requireID())
            #expect(try await app.api(.POST, "/api/v1/reviews/\(duplicate)/settle", token: c.tokens["teamLeader"], json: #"{"choice":"same"}"#).status == .noContent)
            #expect(try await Self.numerator(app, officer, path, code: "XH-01") == 1, "the duplicate counts nowhere")
            // Two phones disagree; the leader chooses the version without smartphones.
            _ = try await SyncTests.sync(app, c.tokens["teamMember"], [CommunityFixture.household(first, hamlet: c.hamletA, base: 1, smartphones: 0)], device: "phone-1")
            _ = try await SyncTests.sync(app, c.tokens["teamLeader"], [CommunityFixture.household(first, hamlet: c.hamletA, base: 1, smartphones: 3)], device: "phone-2")
            #expect(try await Self.numerator(app, officer, path, code: "XH-02") == 3, "the newest version is counted")
            let conflict = try #require(try await CommunityReviewModel.query(on: app.db).filter(\.$kind == "household_conflict").first()?.requireID())
            #expect(try await app.api(.POST, "/api/v1/reviews/\(conflict)/settle", token: c.tokens["teamLeader"], json: #"{"choice":"version","version":2}"#).status == .noContent)
            #expect(try await Self.numerator(app, officer, path, code: "XH-02") == 0)
            #expect(try await IndicatorStore.verify(timeZone: app.choSoConfig.timeZone, on: app.db).isEmpty)
        }
    }
}
