import ChoSoCore
import Fluent
import Foundation

/// The demo team's work (issue 14): the households of the first team's hamlet (Đại Ân 2, ấp 1)
/// with a realistic spread of answers — about half of the adults with a smartphone, as in Sóc
/// Trăng's 2022 baseline (53.8 % of people) — visits over the last three months, the month's
/// targets from an invented plan, and one conflict and one likely duplicate waiting for the
/// leader. Everything goes through the sync service, as a phone's records would, with ids
/// derived from names, so a second run stores nothing new.
enum DemoCommunity {
    static let households = 60
    static let planReference = "KH số 45/KH-UBND ngày 10/01/2026 (minh hoạ)"

    static func seed(on db: any Database, team: UUID, hamlet: String, member: CurrentUser, leader: CurrentUser, today: Day, timeZone: TimeZone) async throws {
        guard try await HouseholdModel.query(on: db).filter(\.$hamletID == hamlet).count() == 0 else { return }
        var random = SplitMix64(seed: 14)
        let surnames = ["Thạch", "Sơn", "Lâm", "Danh", "Nguyễn", "Trần", "Lý", "Kim", "Huỳnh", "Trương"]
        let givens = ["Thị Sà Rươl", "Văn Sóc", "Thị Mỹ", "Văn Tâm", "Thị Phol", "Văn Hoàng", "Thị Nguyệt", "Văn Chanh", "Thị Bé", "Văn Út"]
        var records: [Any] = []
        var visits: [Any] = []
        let calendar = Calendar(identifier: .gregorian)
        for index in 0..<households {
            let id = DemoSeed.demoID("household/\(hamlet)/\(index)").uuidString.lowercased()
            let members = 2 + random.next(below: 5)
            let adults = max(1, members - random.next(below: 3))
            func some(_ percent: Int) -> Int { (0..<adults).filter { _ in random.next(below: 100) < percent }.count }
            let phones = some(55)
            let checklist: [String: Any] = [
                "smartphone": ["count": phones, "evidence": random.next(below: 3) == 0 ? "self_reported" : "seen"],
                "paymentAccount": ["count": min(phones, some(45)), "evidence": "seen"],
                "vneidLevel2": ["count": min(phones, some(35)), "evidence": "seen"],
                "dvcAccount": ["count": min(phones, some(20)), "evidence": "self_reported"],
                "broadband": ["count": random.next(below: 100) < 30 ? 1 : 0, "evidence": "self_reported"],
                "paysCashless": ["count": min(phones, some(25)), "evidence": "self_reported"],
            ]
            var barriers: [String] = []
            if phones == 0 { barriers.append("no_smartphone") }
            if random.next(below: 5) == 0 { barriers.append("no_money_for_data") }
            if random.next(below: 6) == 0 { barriers.append("elderly_or_disabled") }
            let khmer = random.next(below: 100) < 40
            if khmer && random.next(below: 3) == 0 { barriers.append("language") }
            records.append([
                "type": "household", "id": id, "baseVersion": NSNull(), "hamlet": hamlet,
                "address": "\(1 + index * 3)/\(1 + random.next(below: 9)) ấp 1", "headName": "\(surnames[index % surnames.count]) \(givens[random.next(below: givens.count)])",
                "phone": random.next(below: 2) == 0 ? "09" + random.digits(8) : NSNull(), "members": members, "adults": adults,
                "language": khmer ? "km" : "vi", "checklist": checklist, "barriers": barriers,
            ] as [String: Any])
            // One to three visits each over the last three months.
            for visit in 0..<(1 + random.next(below: 3)) {
                let daysAgo = random.next(below: 90)
                let date = calendar.date(byAdding: .day, value: -daysAgo, to: Date()).map { Day($0, in: timeZone) } ?? today
                let help = [["install_payment_app"], ["open_account", "scam_warning"], ["vneid_level1"], ["vneid_level2"], ["dvc_account"], ["scam_warning"]][random.next(below: 6)]
                let level1 = help == ["vneid_level1"]
                visits.append([
                    "type": "visit", "id": DemoSeed.demoID("visit/\(hamlet)/\(index)/\(visit)").uuidString.lowercased(), "household": id,
                    "date": date.iso, "help": help, "barriers": [], "outcome": level1 ? "follow_up" : "done",
                    "note": level1 ? "Hẹn lên công an xã để kích hoạt mức 2" : "",
                    "followUp": level1 ? ["action": FollowUpAction.vneidLevel2AtPolice.rawValue, "due": date.adding(days: 7).iso] as [String: Any] : NSNull(),
                ] as [String: Any])
            }
        }
        let memberSync = SyncService(database: db, user: member, timeZone: timeZone, language: .vi)
        _ = try await memberSync.sync(deviceID: "demo-phone-member", records: records + visits)

        // Two phones edited household 3 offline: a conflict for the leader.
        var edited = records[3] as! [String: Any]
        edited["baseVersion"] = 1
        edited["members"] = (edited["members"] as! Int) + 1
        _ = try await memberSync.sync(deviceID: "demo-phone-member", records: [edited])
        var other = records[3] as! [String: Any]
        other["baseVersion"] = 1
        other["address"] = "\(other["address"] as! String), cạnh chùa"
        _ = try await SyncService(database: db, user: leader, timeZone: timeZone, language: .vi).sync(deviceID: "demo-phone-leader", records: [other])
        // Household 7 registered again, its head's name typed without diacritics.
        var twin = records[7] as! [String: Any]
        twin["id"] = DemoSeed.demoID("household/\(hamlet)/twin").uuidString.lowercased()
        twin["headName"] = HouseholdIdentity.folded(twin["headName"] as! String).capitalized
        _ = try await memberSync.sync(deviceID: "demo-phone-member", records: [twin])

        let monthStart = Day(year: today.year, month: today.month, day: 1).iso
        for (item, target) in [(TeamProgress.householdsVisited, 40), (ChecklistItem.smartphone.rawValue, 120), (ChecklistItem.paymentAccount.rawValue, 90),
                               (ChecklistItem.vneidLevel2.rawValue, 80), (ChecklistItem.dvcAccount.rawValue, 50)] {
            let row = CommunityTargetModel()
            row.id = DemoSeed.demoID("target/\(team)/\(monthStart)/\(item)")
            row.teamID = team
            row.period = "month"
            row.periodStart = monthStart
            row.item = item
            row.target = target
            row.planReference = planReference
            row.createdAt = Date()
            row.targetKey = CommunityTargetModel.key(teamID: team, hamletID: nil, period: row.period, start: monthStart, item: item)
            try await row.create(on: db)
        }
    }
}
