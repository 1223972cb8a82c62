import ChoSoCore
import Fluent
import Foundation
import Spreadsheet
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// The indicators' numbers agree everywhere (issue 17): a known set of households with their
/// checklists, visits, stalls, transfers, fees and OCOP products across the communes merged into
/// Xã Trần Đề on 1/7/2025 gives the same figures in the API, on the officer's page, in the frozen
/// report's workbook and its CSV; on the new tree and the former one, whose totals agree; as of a
/// day before the merger and a day after it.
@Suite struct IndicatorNumbersAgreeTests {
    static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    static let beforeMerger = Day(year: 2025, month: 5, day: 31)

    static func instant(_ day: Day, hour: Int = 9) -> Date { day.start(in: timeZone).addingTimeInterval(Double(hour) * 3_600) }

    struct Setting {
        var fixture: Fixture
        var lastMonthEnd: Day
    }

    /// Households in hamlets of the former Đại Ân 2, Trung Bình and TT Trần Đề; two recorded
    /// before the merger (under the hamlets' new ids, as a phone updated since would send them).
    static func setUp(_ app: Application) async throws -> Setting {
        let s = try await FeePaymentTests.setUp(app)
        let f = s.fixture
        let hamlets = TranDeUnits.demoHamlets
        try await UnitService(database: app.db).upsert(units: hamlets.units, successions: hamlets.successions, on: app.db)
        let today = Day(Date(), in: timeZone)
        let lastMonthEnd = today.adding(days: -today.day)
        let lastMonthMid = Day(year: lastMonthEnd.year, month: lastMonthEnd.month, day: 10)
        let households: [(id: String, hamlet: String, phones: Int, recorded: Day?)] = [
            ("6f1c1e70-0000-4000-8000-00000000a001", TranDeUnits.newID("31672-1"), 2, beforeMerger.adding(days: -60)),
            ("6f1c1e70-0000-4000-8000-00000000a002", TranDeUnits.newID("31681-2"), 1, beforeMerger.adding(days: -40)),
            ("6f1c1e70-0000-4000-8000-00000000a003", TranDeUnits.newID("31681-2"), 0, lastMonthMid),
            ("6f1c1e70-0000-4000-8000-00000000a004", TranDeUnits.newID("31673-1"), 3, lastMonthMid),
            ("6f1c1e70-0000-4000-8000-00000000a005", TranDeUnits.newID("31672-1"), 1, nil),
        ]
        var records = households.enumerated().map { index, household in
            CommunityFixture.household(household.id, hamlet: household.hamlet, headName: "Thạch Văn \(index)", smartphones: household.phones, address: "\(index)/7")
        }
        func visit(_ id: String, _ household: String, _ day: Day) -> String {
            #"{"type":"visit","id":"\#(id)","household":"\#(household)","date":"\#(day.iso)","help":["open_account"],"barriers":[],"outcome":"done","note":""}"#
        }
        records += [visit("6f1c1e70-0000-4000-8000-00000000b001", households[0].id, lastMonthMid),
                    visit("6f1c1e70-0000-4000-8000-00000000b002", households[2].id, lastMonthMid),
                    visit("6f1c1e70-0000-4000-8000-00000000b003", households[3].id, lastMonthEnd)]
        let results = try await SyncTests.sync(app, f.tokens["teamMember"], records)
        #expect(results.allSatisfy { $0["status"] as? String == "stored" }, "\(results)")
        let sql = try #require(app.db as? any SQLDatabase)
        for household in households {
            guard let day = household.recorded else { continue }
            try await sql.raw("UPDATE household_versions SET recorded_at = \(bind: instant(day)) WHERE household_id = \(bind: UUID(uuidString: household.id)!)").run()
        }
        // A phone refuses a visit dated more than a year back; this one was typed in then.
        try await sql.raw("UPDATE visits SET visit_date = '2025-05-20' WHERE id = \(bind: UUID(uuidString: "6f1c1e70-0000-4000-8000-00000000b001")!)").run()
        try await IndicatorStore.rebuild(timeZone: timeZone, on: app.db)
        // The markets have run since 2024; a transfer at stall A1 and a cash fee last month.
        try await sql.raw("UPDATE markets SET created_at = \(bind: instant(Day(year: 2024, month: 3, day: 1)))").run()
        try await sql.raw("UPDATE stalls SET created_at = \(bind: instant(Day(year: 2024, month: 3, day: 1)))").run()
        let transfer = IncomingTransfer(provider: "generic", providerTransactionID: "agree-1", accountNumber: "1234567890123", amount: 250_000,
                                        direction: .incoming, description: "mua ca", bankTime: instant(lastMonthMid))
        let delivery = WebhookDeliveryBuilder.make(transfer, kind: WebhookConnectionKind(provider: "generic", auth: nil)!, secret: IntakeTests.genericSecret,
                                                   timeZone: timeZone)
        #expect(try await IntakeTests.send(app, s.hook, delivery).status == .ok)
        // OCOP: a producer of the new commune, recognised in 2024 (4 stars) and in 2025 after the merger (3 stars).
        let officer = Browser(app)
        try await officer.login("officer")
        try await officer.get("/ocop/register")
        for (name, number, stars, date) in [("Mắm cá linh", "11/QĐ-UBND", "4", "2024-05-02"), ("Bánh pía sầu riêng", "91/QĐ-UBND", "3", "2025-09-15")] {
            let added = try await officer.post("/ocop/register/add", [
                ("name", name), ("producer", "HTX Trung Bình"), ("address", "ấp 2"), ("groupCode", "I.2"), ("stars", stars), ("number", number),
                ("date", date), ("issuer", "UBND tỉnh Sóc Trăng"), ("level", "province"), ("unit", TranDeUnits.newID("31673"))])
            #expect(added.status == .seeOther, "\(added.text.prefix(300))")
        }
        return Setting(fixture: f, lastMonthEnd: lastMonthEnd)
    }

    /// code → (numerator, denominator) of the unit answered.
    static func figures(_ app: Application, _ token: String?, unit: String, query: String) async throws -> [String: (Int, Int?)] {
        let response = try await app.api(.GET, "/api/v1/units/\(unit)/indicators?\(query)", token: token)
        #expect(response.status == .ok, "\(unit) \(query): \(response.text)")
        let table = try #require(try response.json() as? [String: Any])
        let indicators = try #require((table["unit"] as? [String: Any])?["indicators"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: indicators.map { ($0["code"] as! String, ($0["numerator"] as! Int, $0["denominator"] as? Int)) })
    }

    @Test func apiPageWorkbookAndCsvAgreeOnBothTreesBeforeAndAfterTheMerger() async throws {
        try await withTestApp { app in
            let setting = try await Self.setUp(app)
            let f = setting.fixture
            let admin = f.tokens["admin"]
            let after = setting.lastMonthEnd
            let afterPeriod = IndicatorGrain.month.bucket(after)
            let catalogue = IndicatorDefinition.seeded

            // Before the merger both trees are the same tree: the former district.
            let before = "asOf=\(Self.beforeMerger.iso)&period=2025-05"
            let district = try await Self.figures(app, admin, unit: "951", query: before)
            #expect(try await Self.figures(app, admin, unit: "951", query: before + "&tree=before-2025-07-01").mapValues { "\($0)" } == district.mapValues { "\($0)" })
            #expect(district["XH-01"]?.0 == 2 && district["XH-05"]?.0 == 1 && district["KT-05"]?.0 == 1 && district["KT-01"]?.0 == 2)
            // After it: the former district on the former tree holds what the city's communes hold now.
            let formerAfter = try await Self.figures(app, admin, unit: "951", query: "asOf=\(after.iso)&period=\(afterPeriod)&tree=before-2025-07-01")
            let cityAfter = try await Self.figures(app, admin, unit: "92", query: "asOf=\(after.iso)&period=\(afterPeriod)")
            for definition in catalogue {
                #expect(formerAfter[definition.code]?.0 == cityAfter[definition.code]?.0, "\(definition.code): former \(String(describing: formerAfter[definition.code])) vs now \(String(describing: cityAfter[definition.code]))")
            }
            #expect(cityAfter["XH-01"]?.0 == 3 && cityAfter["XH-05"]?.0 == 3 && cityAfter["KT-05"]?.0 == 2 && cityAfter["KT-02"]?.1 == 3)
            #expect(cityAfter["KT-03"]?.0 == 250_000)
            // The former communes that made Xã Trần Đề add up to it.
            let tranDe = try await Self.figures(app, admin, unit: TranDeUnits.newID("31673"), query: "asOf=\(after.iso)&period=\(afterPeriod)")
            var formerSum: [String: Int] = [:]
            for code in ["31672", "31673", "31681"] {
                for (indicator, value) in try await Self.figures(app, admin, unit: code, query: "asOf=\(after.iso)&period=\(afterPeriod)&tree=before-2025-07-01") {
                    formerSum[indicator, default: 0] += value.0
                }
            }
            for definition in catalogue { #expect(formerSum[definition.code] == tranDe[definition.code]?.0, "\(definition.code)") }

            // The page, the frozen report's workbook and CSV show the API's numbers, for each case.
            let officer = Browser(app)
            try await officer.login("admin")
            for (unit, day, period, tree) in [("951", Self.beforeMerger, "2025-05", "before-2025-07-01"), ("31672", after, afterPeriod, "before-2025-07-01"),
                                              (TranDeUnits.newID("31673"), after, afterPeriod, "current")] {
                let api = try await Self.figures(app, admin, unit: unit, query: "asOf=\(day.iso)&period=\(period)&tree=\(tree)")
                let page = try await officer.get("/indicators/\(unit)?asOf=\(day.iso)&period=\(period)&tree=\(tree)").text
                let totalRow = try #require(page.range(of: #"<tr class="total" data-unit="\#(unit)">"#).map { String(page[$0.upperBound...]).components(separatedBy: "</tr>")[0] })
                let cells = totalRow.components(separatedBy: "<td class=\"num\">").dropFirst(2)
                #expect(cells.count == catalogue.count)
                for (definition, cell) in zip(catalogue, cells) {
                    let (n, big) = try #require(api[definition.code])
                    let shown = definition.unit == .percent ? "\(Money.groupDigits(Int64(n))) / \(big.map { Money.groupDigits(Int64($0)) } ?? "?")"
                        : IndicatorResult.text(Int64(n), unit: definition.unit)
                    #expect(cell.contains(shown), "page \(unit) \(definition.code): \(shown) in \(cell.prefix(200))")
                }
                let frozen = try await app.api(.POST, "/api/v1/units/\(unit)/indicator-reports", token: admin, json: #"{"period":"\#(period)","tree":"\#(tree)"}"#)
                #expect(frozen.status == .created, "\(frozen.text)")
                let id = try #require((try frozen.json() as? [String: Any])?["id"] as? String)
                let xlsx = try XLSX.firstSheet(Array(try await officer.get("/indicators/reports/\(id)/report.xlsx").body.readableBytesView))
                let csvText = try await officer.get("/indicators/reports/\(id)/report.csv").text
                let csv = csvText.split(separator: "\r\n", omittingEmptySubsequences: false).map { Self.csvFields(String($0)) }
                for (name, rows) in [("xlsx", xlsx), ("csv", csv)] {
                    let lines = Dictionary(rows.filter { $0.count >= 7 && Int($0[0]) != nil }.map { ($0[1], $0) }, uniquingKeysWith: { a, _ in a })
                    #expect(lines.count == catalogue.count, "\(name) \(unit)")
                    for definition in catalogue {
                        let (n, big) = try #require(api[definition.code])
                        let row = try #require(lines[definition.name.vi], "\(name): \(definition.name.vi)")
                        if definition.unit == .percent {
                            #expect(row[6].hasPrefix("\(n) / \(big.map(String.init) ?? "")"), "\(name) \(unit) \(definition.code): \(row[6])")
                        } else {
                            #expect(row[4] == String(n), "\(name) \(unit) \(definition.code): \(row[4]) vs \(n)")
                        }
                    }
                }
            }
            #expect(try await IndicatorStore.verify(timeZone: Self.timeZone, on: app.db).isEmpty)
        }
    }

    /// One CSV line's fields (quoted fields may hold commas).
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            switch (character, quoted) {
            case ("\"", true) where characters.first == "\"": current.append("\""); characters.removeFirst()
            case ("\"", _): quoted.toggle()
            case (",", false): fields.append(current); current = ""
            default: current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
