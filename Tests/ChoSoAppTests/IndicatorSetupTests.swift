import ChoSoCore
import Fluent
import Foundation
import Spreadsheet
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Officers keep their units' official counts and targets (issue 17): typed in, or imported from
/// a sheet where one bad row imports nothing; another commune's officer sees none of it.
@Suite struct IndicatorSetupTests {
    static let tranDe = TranDeUnits.newID("31673")
    static let hamlet = TranDeUnits.newID("31672-1")
    static var today: Day { Day(Date(), in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!) }

    static func sheet(_ rows: [[String]]) -> [UInt8] {
        XLSX.workbook(sheetName: "So lieu", rows: ([["SỐ HỘ CHÍNH THỨC"], ["Mã đơn vị", "Loại", "Ngày", "Số", "Nguồn"]] + rows).map { $0.map { .text($0) } })
    }

    @Test func anOfficialCountTypedInBecomesTheDenominatorAndBadFieldsStoreNothing() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let officer = Browser(app)
            try await officer.login("officer")
            #expect(try await officer.get("/indicators/\(Self.tranDe)/setup").status == .ok)
            let refused = try await officer.post("/indicators/\(Self.tranDe)/baselines", [("unit", Self.hamlet), ("kind", "households"), ("date", "31/02/2025"),
                                                                                      ("value", "-5"), ("source", "")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("ngày số liệu phải có dạng 01/04/2025") && refused.text.contains("số phải là số nguyên từ 1 đến 100.000.000"))
            #expect(refused.text.contains("ghi nguồn số liệu"))
            #expect(try await IndicatorBaselineModel.query(on: app.db).count() == 0)
            // Another commune's hamlet is not this officer's to count.
            let elsewhere = try await officer.post("/indicators/\(Self.tranDe)/baselines", [("unit", TranDeUnits.newID("31699-1")), ("kind", "households"),
                                                                                        ("date", "01/07/2025"), ("value", "90"), ("source", "Trưởng ấp")])
            #expect(elsewhere.status == .unprocessableEntity && elsewhere.text.contains("trong phạm vi của bạn"))
            let saved = try await officer.post("/indicators/\(Self.tranDe)/baselines", [("unit", Self.hamlet), ("kind", "households"), ("date", "01/07/2025"),
                                                                                    ("value", "1.250"), ("source", "Trưởng ấp")])
            #expect(saved.status == .seeOther)
            // Corrected the same day: one row, the new number.
            _ = try await officer.post("/indicators/\(Self.tranDe)/baselines", [("unit", Self.hamlet), ("kind", "households"), ("date", "2025-07-01"),
                                                                                ("value", "1250"), ("source", "Trưởng ấp (sửa)")])
            #expect(try await IndicatorBaselineModel.query(on: app.db).count() == 1)
            let table = try await app.api(.GET, "/api/v1/units/\(Self.tranDe)/indicators", token: community.tokens["officer"]).json()
            let figure = IndicatorTests.figure(table, code: "XH-01", unit: Self.hamlet)
            #expect(figure?["denominator"] as? Int == 1250 && (figure?["denominatorSource"] as? String)?.hasPrefix("Trưởng ấp (sửa)") == true)

            // Nobody else keeps these numbers.
            for name in ["officerelsewhere", "teammember", "managera"] {
                let other = Browser(app)
                try await other.login(name)
                #expect(try await other.get("/indicators/\(Self.tranDe)/setup").status == .notFound, "\(name)")
                let attempt = try await other.post("/indicators/\(Self.tranDe)/baselines", [("unit", Self.hamlet), ("kind", "adults"), ("date", "01/07/2025"),
                                                                                         ("value", "3000"), ("source", "x")])
                #expect(attempt.status == .unprocessableEntity || attempt.status == .notFound, "\(name): \(attempt.status)")
            }
            #expect(try await IndicatorBaselineModel.query(on: app.db).count() == 1)
        }
    }

    @Test func aSheetWithOneBadRowImportsNothingAndAGoodOneImportsEveryRow() async throws {
        try await withTestApp { app in
            _ = try await CommunityFixture.make(app)
            let officer = Browser(app)
            try await officer.login("officer")
            try await officer.get("/indicators/\(Self.tranDe)/setup")
            let bad = Self.sheet([["31672", "Số hộ", "01/04/2025", "2.350", "Chi cục Thống kê"], ["31672", "số hộ", "01/04/2025", "2350", "Chi cục Thống kê"],
                                  ["31699", "Số hộ", "01/04/2025", "2000", "Chi cục Thống kê"], ["31681", "cây lúa", "01/04/2030", "abc", ""]])
            let refused = try await officer.upload("/indicators/\(Self.tranDe)/baselines/import", file: ("file", "so-ho.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bad))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Dòng 4: trùng với dòng 3") && refused.text.contains("Dòng 5: không có đơn vị mã"))
            #expect(refused.text.contains("Dòng 6:") && refused.text.contains("loại số liệu phải là"))
            #expect(try await IndicatorBaselineModel.query(on: app.db).count() == 0)
            let crafted = try await officer.upload("/indicators/\(Self.tranDe)/baselines/import", file: ("file", "x.xlsx", "application/octet-stream", Array("PK\u{3}\u{4}garbage".utf8)))
            #expect(crafted.status == .unprocessableEntity)
            let good = Self.sheet([["31672", "Số hộ", "01/04/2025", "2.350", "Chi cục Thống kê"], ["31681", "Người trưởng thành", "2025-04-01", "4900", "Chi cục Thống kê"],
                                   [Self.tranDe, "dân số", "01/07/2025", "31.000", "UBND xã"]])
            let imported = try await officer.upload("/indicators/\(Self.tranDe)/baselines/import", file: ("file", "so-ho.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", good))
            #expect(imported.status == .seeOther)
            #expect(try await IndicatorBaselineModel.query(on: app.db).count() == 3)
            let page = try await officer.get("/indicators/\(Self.tranDe)/setup").text
            #expect(page.contains("2.350") && page.contains("31.000") && page.contains("Xã Đại Ân 2 (31672)"))
        }
    }

    @Test func aTargetNamesItsPlanAndIsReadInTheIndicatorsOwnTerms() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let officer = Browser(app)
            try await officer.login("officer")
            try await officer.get("/indicators/\(Self.tranDe)/setup")
            let refused = try await officer.post("/indicators/\(Self.tranDe)/targets", [("unit", Self.tranDe), ("code", "XH-01"), ("period", "2030"), ("value", "120"),
                                                                                    ("planNumber", ""), ("planDate", "27/10/2021"), ("issuer", "UBND xã")])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("tỷ lệ từ 0 đến 100") && refused.text.contains("ghi số văn bản"))
            let unknown = try await officer.post("/indicators/\(Self.tranDe)/targets", [("unit", Self.tranDe), ("code", "ZZ-99"), ("period", "2030"), ("value", "5"),
                                                                                    ("planNumber", "1/KH"), ("planDate", "27/10/2021"), ("issuer", "UBND xã")])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("chọn một chỉ tiêu trong danh mục"))
            #expect(try await IndicatorTargetModel.query(on: app.db).count() == 0)
            let grouped = try await officer.post("/indicators/\(Self.tranDe)/targets", [("unit", Self.tranDe), ("code", "KT-01"), ("period", "2030"), ("value", "2.5"),
                                                                                    ("planNumber", "1/KH"), ("planDate", "27/10/2021"), ("issuer", "UBND xã")])
            #expect(grouped.status == .unprocessableEntity && grouped.text.contains("số nguyên không âm"), "2.5 is not 25")
            for (code, value) in [("XH-01", "85,5"), ("KT-01", "3")] {
                let saved = try await officer.post("/indicators/\(Self.tranDe)/targets", [("unit", Self.tranDe), ("code", code), ("period", "2030"), ("value", value),
                                                                                      ("planNumber", "15/KH-UBND"), ("planDate", "15/01/2026"), ("issuer", "UBND xã Trần Đề")])
                #expect(saved.status == .seeOther, "\(code)")
            }
            let table = try await app.api(.GET, "/api/v1/units/\(Self.tranDe)/indicators", token: community.tokens["officer"]).json()
            #expect(IndicatorTests.figure(table, code: "XH-01")?["target"] as? Double == 85.5)
            #expect(IndicatorTests.figure(table, code: "KT-01")?["target"] as? Double == 3)
            #expect(try await officer.get("/indicators/\(Self.tranDe)/setup").text.contains("15/KH-UBND ngày 15/01/2026 của UBND xã Trần Đề"))
            // Of a year's target and its fourth quarter's, the quarter's applies to its months.
            let year = Self.today.year
            for (period, value) in [("\(year)", "70"), ("\(year)-Q4", "60")] {
                _ = try await officer.post("/indicators/\(Self.tranDe)/targets", [("unit", Self.tranDe), ("code", "XH-02"), ("period", period), ("value", value),
                                                                               ("planNumber", "15/KH-UBND"), ("planDate", "15/01/2026"), ("issuer", "UBND xã Trần Đề")])
            }
            let december = try await app.api(.GET, "/api/v1/units/\(Self.tranDe)/indicators?period=\(year)-12&asOf=", token: community.tokens["officer"])
            #expect(december.status == .ok, "an empty date is the period's end or today")
            #expect(IndicatorTests.figure(try december.json(), code: "XH-02")?["target"] as? Double == 60)
        }
    }

    @Test func theAdministratorAddsAndEditsIndicatorsAndNobodyElseDoes() async throws {
        try await withTestApp { app in
            let community = try await CommunityFixture.make(app)
            let admin = Browser(app)
            try await admin.login("admin")
            try await admin.get("/indicators/catalogue")
            let fields = [("code", "xh-06"), ("nameVi", "Tỷ lệ hộ đã ghi nhận có cáp quang"), ("nameEn", ""), ("pillar", "society"), ("unit", "percent"),
                          ("numerator", "households.broadband"), ("denominator", "measure:households.registered")]
            let noDenominator = try await admin.post("/indicators/catalogue", fields.map { $0.0 == "denominator" ? ($0.0, "") : $0 })
            #expect(noDenominator.status == .unprocessableEntity && noDenominator.text.contains("một tỷ lệ cần mẫu số"))
            let mismatch = try await admin.post("/indicators/catalogue", [("code", "KT-09"), ("nameVi", "Tiền"), ("pillar", "economy"), ("unit", "count"),
                                                                          ("numerator", "transfers.dong"), ("denominator", "")])
            #expect(mismatch.status == .unprocessableEntity && mismatch.text.contains("đơn vị tính không hợp với tử số"))
            #expect(try await admin.post("/indicators/catalogue", fields).status == .seeOther)
            let taken = try await admin.post("/indicators/catalogue", fields)
            #expect(taken.status == .unprocessableEntity && taken.text.contains("đã có chỉ tiêu mã XH-06"))
            let catalogue = try await app.api(.GET, "/api/v1/indicators", token: community.tokens["officer"]).json() as? [[String: Any]]
            #expect(catalogue?.last?["code"] as? String == "XH-06" && catalogue?.last?["denominator"] as? String == "measure:households.registered")
            #expect(try await admin.post("/indicators/catalogue", fields.map { $0.0 == "nameVi" ? ($0.0, "Hộ có cáp quang (trên số hộ đã ghi)") : $0 } + [("editing", "1")]).status == .seeOther)
            let table = try await app.api(.GET, "/api/v1/units/\(Self.tranDe)/indicators", token: community.tokens["officer"]).json()
            #expect(IndicatorTests.figure(table, code: "XH-06") != nil)
            #expect(try await IndicatorDefinitionModel.find("XH-06", on: app.db)?.nameVI == "Hộ có cáp quang (trên số hộ đã ghi)")
            // An officer reads the catalogue and changes nothing; others do not see it.
            let officer = Browser(app)
            try await officer.login("officer")
            #expect(try await officer.get("/indicators/catalogue").status == .ok)
            #expect(try await officer.post("/indicators/catalogue", fields.map { $0.0 == "code" ? ($0.0, "XH-07") : $0 }).status == .forbidden)
            let member = Browser(app)
            try await member.login("teammember")
            #expect(try await member.get("/indicators/catalogue").status == .notFound)
            #expect(try await IndicatorDefinitionModel.query(on: app.db).count() == IndicatorDefinition.seeded.count + 1)
        }
    }
}
