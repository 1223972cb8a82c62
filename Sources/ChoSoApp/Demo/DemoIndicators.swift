import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// The demo's official baselines and targets (issue 17), every number invented for the demo and
/// its source saying so; and the demo households dated back to when the team first recorded them,
/// so last month's figures are not empty.
enum DemoIndicators {
    /// Official households and adults of the former communes (1/4/2025) — invented, in the
    /// range of Trần Đề's communes.
    static let formerCommunes: [(code: String, households: Int64, adults: Int64)] = [
        ("31672", 2_350, 6_100), ("31673", 3_900, 9_800), ("31675", 2_800, 7_200), ("31678", 2_050, 5_300),
        ("31679", 3_100, 7_900), ("31681", 1_900, 4_900), ("31687", 2_600, 6_700), ("31696", 2_700, 7_000),
        ("31699", 2_450, 6_300), ("31702", 2_150, 5_600), ("31705", 1_750, 4_500),
    ]
    static let statistics = "Chi cục Thống kê huyện Trần Đề (số minh hoạ)"
    static let communeReport = "Báo cáo của UBND xã sau sáp nhập (số minh hoạ)"

    static func seed(on db: any Database, today: Day, timeZone: TimeZone) async throws {
        guard try await IndicatorBaselineModel.query(on: db).count() == 0 else { return }
        let now = Date()
        func baseline(_ unit: String, _ kind: IndicatorBaselineKind, _ day: String, _ value: Int64, _ source: String) async throws {
            let row = IndicatorBaselineModel()
            row.unitID = unit
            row.kind = kind.rawValue
            row.asOf = day
            row.value = value
            row.source = source
            row.enteredAt = now
            try await row.create(on: db)
        }
        for commune in formerCommunes {
            try await baseline(commune.code, .households, "2025-04-01", commune.households, statistics)
            try await baseline(commune.code, .adults, "2025-04-01", commune.adults, statistics)
        }
        // The merged communes' own counts after 1/7/2025: the sums of the communes they were made of.
        for merge in TranDeUnits.merges {
            let parts = formerCommunes.filter { merge.former.contains($0.code) }
            try await baseline(TranDeUnits.newID(merge.new), .households, "2025-07-01", parts.map(\.households).reduce(0, +), communeReport)
            try await baseline(TranDeUnits.newID(merge.new), .adults, "2025-07-01", parts.map(\.adults).reduce(0, +), communeReport)
        }
        // The demo team's hamlet, counted by the hamlet head.
        let hamlet = TranDeUnits.demoHamletID(ofTeam: 0)
        try await baseline(hamlet, .households, "2025-07-01", 152, "Trưởng ấp báo cáo (số minh hoạ)")
        try await baseline(hamlet, .adults, "2025-07-01", 410, "Trưởng ấp báo cáo (số minh hoạ)")

        func target(_ unit: String, _ code: String, _ period: String, _ value: Int64, plan: String, date: String, issuer: String) async throws {
            let row = IndicatorTargetModel()
            row.unitID = unit
            row.code = code
            row.period = period
            row.value = value
            row.planNumber = plan
            row.planDate = date
            row.issuer = issuer
            row.isDemo = true
            try await row.create(on: db)
        }
        // In the spirit of Resolution 07-NQ/TU (27/10/2021); the figures are the demo's, not quoted.
        let resolution = (plan: "07-NQ/TU (số minh hoạ)", date: "2021-10-27", issuer: "Tỉnh ủy Sóc Trăng")
        for (code, value) in [("XH-01", 8_000), ("XH-02", 8_000), ("XH-03", 8_000), ("XH-04", 7_000), ("CQ-01", 8_000), ("CQ-02", 5_000), ("KT-02", 8_000)] {
            try await target("94", code, "2025", Int64(value), plan: resolution.plan, date: resolution.date, issuer: resolution.issuer)
        }
        // A demo plan of the merged commune for 2026.
        let plan = (plan: "15/KH-UBND (số minh hoạ)", date: "2026-01-15", issuer: "UBND xã Trần Đề")
        let commune = TranDeUnits.newID("31673")
        for (code, value) in [("XH-01", 8_500), ("XH-02", 8_500), ("XH-04", 7_500), ("XH-05", 6_000), ("CQ-01", 9_000), ("CQ-02", 6_000), ("KT-02", 9_000)] {
            try await target(commune, code, String(today.year), Int64(value), plan: plan.plan, date: plan.date, issuer: plan.issuer)
        }
        try await target(commune, "KT-01", String(today.year), 2, plan: plan.plan, date: plan.date, issuer: plan.issuer)
        try await target(hamlet, "XH-01", String(today.year), 9_000, plan: plan.plan, date: plan.date, issuer: plan.issuer)

        // The demo markets have run since last year, and the team recorded its hamlet's
        // households over the last four months, not all today.
        if let sql = db as? any SQLDatabase {
            let opened = now.addingTimeInterval(-400 * 86_400)
            let markets = SQLList([DemoSeed.nganRoID, DemoSeed.streetID, DemoSeed.ocopShopID].map { SQLBind($0) })
            try await sql.raw("UPDATE markets SET created_at = \(bind: opened) WHERE id IN (\(markets))").run()
            try await sql.raw("UPDATE stalls SET created_at = \(bind: opened) WHERE market_id IN (\(markets))").run()
            try await sql.raw("""
                UPDATE board_prints SET printed_at = \(bind: opened.addingTimeInterval(7 * 86_400))
                WHERE stall_id IN (SELECT id FROM stalls WHERE market_id IN (\(markets)))
                """).run()
            let ids = try await HouseholdModel.query(on: db).filter(\.$hamletID == hamlet).all().compactMap(\.id).sorted { $0.uuidString < $1.uuidString }
            for (index, id) in ids.enumerated() {
                let recorded = now.addingTimeInterval(-Double(20 + index * 2) * 86_400)
                try await sql.raw("UPDATE household_versions SET recorded_at = \(bind: recorded) WHERE household_id = \(bind: id) AND version = 1").run()
            }
            try await IndicatorStore.rebuild(timeZone: timeZone, on: db)
        }
    }
}
