import ChoSoCore
import Fluent
import Foundation
import Spreadsheet

/// The commune officer's view of the teams' work (issue 14): each hamlet the officer's units hold
/// today, its households and how many of their adults have each item, counted from the records;
/// and the household register and visit log as Excel files.
extension CommunityService {
    struct HamletRow {
        var hamlet: String
        var teams: String
        var households: Int
        var adults: Int
        var counts: [ChecklistItem: Int]
        var visitedThisMonth: Int
    }

    /// Households by the hamlet they belong to today (one recorded before a merger follows it).
    func overview(in given: CommunityReach? = nil) async throws -> [HamletRow] {
        let today = today
        let reach = try await reach(given)
        let readable = Array(reach.readableHamlets(for: user.principal))
        guard !readable.isEmpty else { return [] }
        let households = try await HouseholdModel.query(on: database).filter(\.$hamletID ~~ readable).filter(\.$mergedInto == nil).all()
        let monthStart = Day(year: today.year, month: today.month, day: 1).iso
        let visits = try await VisitModel.query(on: database).filter(\.$hamletID ~~ readable).filter(\.$visitDate >= monthStart).all()
        let teamNames = Dictionary(reach.teams.compactMap { t in t.id.map { ($0.uuidString, t.name) } }, uniquingKeysWith: { first, _ in first })
        var rows: [String: HamletRow] = [:]
        func row(_ recorded: String) -> String? {
            guard let current = reach.currentHamlets(recorded).first else { return nil }
            if rows[current.id] == nil {
                rows[current.id] = HamletRow(
                    hamlet: "\(reach.hamletLabel(current.id)) — \(current.parentID.map(reach.name) ?? "")",
                    teams: reach.teamIDs(serving: current.id).compactMap { teamNames[$0] }.sorted().joined(separator: "; "),
                    households: 0, adults: 0, counts: [:], visitedThisMonth: 0)
            }
            return current.id
        }
        for household in households {
            guard let key = row(household.hamletID) else { continue }
            rows[key]!.households += 1
            rows[key]!.adults += household.adults
            for (item, answer) in household.content.checklist {
                if let item = ChecklistItem(rawValue: item) { rows[key]![item] += answer.count }
            }
        }
        for (hamlet, visited) in Dictionary(grouping: visits, by: \.hamletID).mapValues({ Set($0.map(\.householdID)).count }) {
            if let key = row(hamlet) { rows[key]!.visitedThisMonth += visited }
        }
        return rows.values.sorted { StallNumberOrder.precedes($0.hamlet, $1.hamlet) }
    }

    /// The register (current versions) or the visit log of the caller's hamlets, as XLSX.
    func export(_ table: String) async throws -> [UInt8] {
        let reach = try await reach()
        let readable = Array(reach.readableHamlets(for: user.principal))
        let households = readable.isEmpty ? [] : try await HouseholdModel.query(on: database).filter(\.$hamletID ~~ readable).filter(\.$mergedInto == nil).all()
        var rows: [[XLSX.Cell]]
        if table == "visits" {
            let visits = readable.isEmpty ? [] : try await VisitModel.query(on: database).filter(\.$hamletID ~~ readable).sort(\.$visitDate).all()
            let names = Self.headNames(households)
            let members = try await memberNames(visits)
            rows = [["Ngày thăm", "Ấp, khóm", "Chủ hộ", "Tổ viên", "Đã giúp", "Khó khăn", "Kết quả", "Ghi chú", "Sửa lần thăm"].map(XLSX.Cell.text)]
            for visit in visits {
                let content = visit.content
                let day = Day(iso: visit.visitDate)
                rows.append([
                    day.map { .date(year: $0.year, month: $0.month, day: $0.day) } ?? .text(visit.visitDate), .text(reach.hamletLabel(visit.hamletID)),
                    .text(names[visit.householdID] ?? ""), .text(visit.memberID.flatMap { members[$0] } ?? ""),
                    .text(content.help.map { $0.label.vi }.joined(separator: ", ")), .text(content.barriers.map { $0.label.vi }.joined(separator: ", ")),
                    .text(content.outcome?.label.vi ?? ""), .text(content.note), .text(visit.corrects?.uuidString.lowercased() ?? ""),
                ])
            }
        } else {
            rows = [(["Ấp, khóm", "Số nhà / nơi ở", "Chủ hộ", "Điện thoại", "Nhân khẩu", "Từ 15 tuổi", "Ngôn ngữ"]
                + ChecklistItem.allCases.map { $0.label.vi } + ["Khó khăn", "Phiên bản", "Cập nhật"]).map(XLSX.Cell.text)]
            for household in households.sorted(by: { ($0.hamletID, $0.headNameFolded) < ($1.hamletID, $1.headNameFolded) }) {
                let content = household.content
                let updated = Day(household.updatedAt, in: timeZone)
                rows.append([.text(reach.hamletLabel(household.hamletID)), .text(content.address), .text(content.headName), .text(content.phone ?? ""),
                             .number(Int64(content.members)), .number(Int64(content.adults)), .text(content.language.label.vi)]
                    + ChecklistItem.allCases.map { item in content.answer(item).map { .number(Int64($0.count)) } ?? .empty }
                    + [.text(content.barriers.map { $0.label.vi }.joined(separator: ", ")), .number(Int64(household.currentVersion)),
                       .date(year: updated.year, month: updated.month, day: updated.day)])
            }
        }
        return XLSX.workbook(sheetName: table == "visits" ? "Lan tham" : "So ho", rows: rows, boldRows: [0])
    }
}

extension CommunityService.HamletRow {
    subscript(item: ChecklistItem) -> Int {
        get { counts[item] ?? 0 }
        set { counts[item] = newValue }
    }
}
