import ChoSoCore
import Foundation
import SQLKit

/// Reads what the aggregates need of some households — their versions, visits and whether each
/// was settled as a duplicate — and works out each one's contribution.
enum HouseholdFacts {
    static func load(_ ids: [UUID], timeZone: TimeZone, on sql: any SQLDatabase) async throws -> [UUID: IndicatorContribution] {
        guard !ids.isEmpty else { return [:] }
        let list = SQLList(ids.map { SQLBind($0) })
        var duplicates: Set<UUID> = []
        var known: [UUID] = []
        for row in try await sql.raw("SELECT id, merged_into FROM households WHERE id IN (\(list))").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            known.append(id)
            if try row.decodeNil(column: "merged_into") == false { duplicates.insert(id) }
        }
        var versions: [UUID: [(version: Int, day: Day, content: HouseholdRecord.Content)]] = [:]
        for row in try await sql.raw("SELECT household_id, version, content, recorded_at FROM household_versions WHERE household_id IN (\(list))").all() {
            guard let content = CommunityJSON.decode(HouseholdRecord.Content.self, try row.decode(column: "content", as: String.self)) else { continue }
            let day = Day(try row.decode(column: "recorded_at", as: Date.self), in: timeZone)
            versions[try row.decode(column: "household_id", as: UUID.self), default: []].append((try row.decode(column: "version", as: Int.self), day, content))
        }
        var visits: [UUID: [HouseholdVisitFact]] = [:]
        for row in try await sql.raw("SELECT id, household_id, hamlet_id, visit_date, corrects FROM visits WHERE household_id IN (\(list))").all() {
            guard let date = Day(iso: try row.decode(column: "visit_date", as: String.self)) else { continue }
            let corrects = try row.decode(column: "corrects", as: UUID?.self)
            visits[try row.decode(column: "household_id", as: UUID.self), default: []].append(HouseholdVisitFact(
                id: try row.decode(column: "id", as: UUID.self).uuidString, hamlet: try row.decode(column: "hamlet_id", as: String.self),
                date: date, corrects: corrects?.uuidString))
        }
        var contributions: [UUID: IndicatorContribution] = [:]
        for id in known {
            let ordered = (versions[id] ?? []).sorted { $0.version < $1.version }.map { (day: $0.day, content: $0.content) }
            contributions[id] = IndicatorContribution.household(versions: ordered, visits: visits[id] ?? [], isDuplicate: duplicates.contains(id))
        }
        return contributions
    }
}
