import ChoSoCore
import Fluent
import Foundation
import Vapor

/// What a team member's phone downloads, and the teams a person sees (issue 14).
struct CommunityService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone

    var today: Day { Day(Date(), in: timeZone) }

    /// The unit tree, teams and hamlets as they are today: loaded once per page, passed on.
    func reach(_ given: CommunityReach? = nil) async throws -> CommunityReach {
        if let given { return given }
        return try await CommunityReach.load(on: database, today: today)
    }

    /// The caller's teams (a member's own, an officer's communes', every team for an administrator),
    /// each with the hamlets it serves today.
    func teams(in given: CommunityReach? = nil) async throws -> [TeamDTO] {
        let reach = try await reach(given)
        let leaders = try await TeamMemberModel.query(on: database).filter(\.$userID == user.id).all()
        return reach.teams.compactMap { team -> TeamDTO? in
            guard let id = team.id else { return nil }
            let resource = Resource.team(id: id.uuidString, units: reach.tree.lineage(of: team.unitID))
            guard AccessPolicy.permits(user.principal, .read, resource) else { return nil }
            let hamlets = reach.teamsByHamlet.filter { $0.value.contains(id.uuidString) }.keys
                .map { HamletDTO(id: $0, name: reach.hamletLabel($0)) }.sorted { StallNumberOrder.precedes($0.name, $1.name) }
            return TeamDTO(
                id: id.uuidString, name: team.name, unit: HamletDTO(id: team.unitID, name: reach.name(team.unitID)), hamlets: hamlets,
                isLeader: leaders.contains { $0.$team.id == id && $0.isLeader })
        }.sorted { $0.name < $1.name }
    }

    /// Households and visits of the caller's hamlets changed since a cursor (nil: everything).
    func changes(since cursor: String?) async throws -> ChangesDTO {
        var since: Date?
        if let cursor {
            // An empty `since` is not a cursor (the first sync sends none at all).
            guard let milliseconds = Int64(cursor), milliseconds >= 0 else {
                throw AppError(status: .badRequest, code: "bad_cursor", message: .init(
                    vi: "since phải là con trỏ nhận được từ lần đồng bộ trước", en: "since must be a cursor from an earlier sync"))
            }
            since = Date(timeIntervalSince1970: Double(milliseconds) / 1000 - SyncService.cursorOverlap)
        }
        let now = Date()
        let reach = try await CommunityReach.load(on: database, today: today)
        let hamlets = Array(reach.readableHamlets(for: user.principal))
        guard !hamlets.isEmpty else { return ChangesDTO(cursor: Self.cursor(now), households: [], visits: []) }
        var households = HouseholdModel.query(on: database).filter(\.$hamletID ~~ hamlets)
        var visits = VisitModel.query(on: database).filter(\.$hamletID ~~ hamlets)
        if let since {
            households = households.filter(\.$updatedAt > since)
            visits = visits.filter(\.$recordedAt > since)
        }
        return ChangesDTO(
            cursor: Self.cursor(now),
            households: try await households.sort(\.$updatedAt).all().map(HouseholdDTO.init),
            visits: try await visits.sort(\.$recordedAt).all().map(VisitDTO.init))
    }

    static func cursor(_ date: Date) -> String { String(Int64(date.timeIntervalSince1970 * 1000)) }

    struct Work {
        var teams: [TeamDTO]
        var progress: [TeamProgress.Row]
        /// Distinct households the caller visited today.
        var visitedToday: Int
        var planReference: String?
    }

    /// The phone's "today": the caller's teams and their hamlets, what the caller did today, and
    /// the first team's targets for the periods that include today, counted from the records.
    func work(in given: CommunityReach? = nil) async throws -> Work {
        let today = today
        let reach = try await reach(given)
        let teams = try await teams(in: reach)
        let mine = try await VisitModel.query(on: database).filter(\.$memberID == user.id).filter(\.$visitDate == today.iso).all()
            .map { TeamProgress.Visit(household: $0.householdID.uuidString, date: today) }
        guard let first = teams.first, let teamID = UUID(uuidString: first.id) else {
            return Work(teams: teams, progress: [], visitedToday: TeamProgress.visited(on: today, mine), planReference: nil)
        }
        let progress = try await progress(of: teamID, reach: reach) { $0.period.contains(today, start: $0.start) }
        return Work(teams: teams, progress: progress.rows, visitedToday: TeamProgress.visited(on: today, mine), planReference: progress.planReference)
    }

    /// A team's targets (those `including` keeps) with what is done, counted from the households
    /// of the hamlets the team serves and the visits made there.
    func progress(
        of teamID: UUID, reach: CommunityReach, including: (TeamProgress.Target) -> Bool = { _ in true }
    ) async throws -> (rows: [TeamProgress.Row], planReference: String?) {
        let rows = try await CommunityTargetModel.query(on: database).filter(\.$teamID == teamID).all()
        let targets = rows.compactMap { row -> TeamProgress.Target? in
            guard let period = TeamProgress.Period(rawValue: row.period), let start = Day(iso: row.periodStart) else { return nil }
            return TeamProgress.Target(item: row.item, target: row.target, period: period, start: start)
        }.filter(including).sorted { ($0.start, $0.item) > ($1.start, $1.item) }
        guard !targets.isEmpty else { return ([], nil) }
        let served = Set(reach.teamsByHamlet.filter { $0.value.contains(teamID.uuidString) }.keys)
        let hamlets = reach.tree.units.values.filter { $0.type == .hamlet && reach.currentHamlets($0.id).contains { served.contains($0.id) } }.map(\.id)
        let households = hamlets.isEmpty ? [] : try await HouseholdModel.query(on: database)
            .filter(\.$hamletID ~~ hamlets).filter(\.$mergedInto == nil).all().map(\.content)
        let visits = hamlets.isEmpty ? [] : try await VisitModel.query(on: database).filter(\.$hamletID ~~ hamlets).all()
            .map { TeamProgress.Visit(household: $0.householdID.uuidString, date: Day(iso: $0.visitDate) ?? today) }
        return (TeamProgress.rows(targets: targets, households: households, visits: visits), rows.compactMap(\.planReference).first)
    }
}

extension CommunityService {
    struct FollowUpLine {
        var open: FollowUps.Open
        var headName: String
        var address: String
    }

    /// The open follow-ups of the caller's hamlets, soonest due first.
    func followUps(in given: CommunityReach? = nil) async throws -> [FollowUpLine] {
        let reach = try await reach(given)
        let hamlets = Array(reach.readableHamlets(for: user.principal))
        guard !hamlets.isEmpty else { return [] }
        let visits = try await VisitModel.query(on: database).filter(\.$hamletID ~~ hamlets).all().map { visit in
            FollowUps.Visit(
                id: visit.id?.uuidString.lowercased() ?? "", household: visit.householdID.uuidString.lowercased(), date: Day(iso: visit.visitDate) ?? today,
                followUp: visit.followUp.flatMap { CommunityJSON.decode(FollowUp.self, $0) })
        }
        let open = FollowUps.open(visits, today: today)
        guard !open.isEmpty else { return [] }
        let ids = open.compactMap { UUID(uuidString: $0.household) }
        let households = Dictionary(
            try await HouseholdModel.query(on: database).filter(\.$id ~~ ids).filter(\.$mergedInto == nil).all().compactMap { h in h.id.map { ($0.uuidString.lowercased(), h) } },
            uniquingKeysWith: { first, _ in first })
        return open.compactMap { item in
            households[item.household].map { FollowUpLine(open: item, headName: $0.headName, address: $0.address) }
        }
    }

    struct LogLine {
        var date: String
        var member: String
        var household: String
        var help: [Help]
        var outcome: VisitOutcome?
    }

    /// The visits of the caller's hamlets over the last days, newest first, with who and whom.
    func log(days: Int, in given: CommunityReach? = nil) async throws -> (lines: [LogLine], barriers: [Barrier: Int]) {
        let reach = try await reach(given)
        let hamlets = Array(reach.readableHamlets(for: user.principal))
        guard !hamlets.isEmpty else { return ([], [:]) }
        let since = Calendar(identifier: .gregorian).date(byAdding: .day, value: -days, to: Date()).map { Day($0, in: timeZone).iso } ?? ""
        let visits = try await VisitModel.query(on: database).filter(\.$hamletID ~~ hamlets).filter(\.$visitDate >= since)
            .sort(\.$visitDate, .descending).sort(\.$recordedAt, .descending).range(..<300).all()
        let households = try await HouseholdModel.query(on: database).filter(\.$hamletID ~~ hamlets).filter(\.$mergedInto == nil).all()
        let names = Self.headNames(households)
        let members = try await memberNames(visits)
        let lines = visits.map { visit in
            LogLine(date: Day(iso: visit.visitDate)?.vietnamese ?? visit.visitDate, member: visit.memberID.flatMap { members[$0] } ?? "—",
                    household: names[visit.householdID] ?? "—", help: visit.content.help, outcome: visit.content.outcome)
        }
        var barriers: [Barrier: Int] = [:]
        for household in households { for barrier in household.content.barriers { barriers[barrier, default: 0] += 1 } }
        return (lines, barriers)
    }
}

extension CommunityService {
    /// Household id → head's name, for logs and exports.
    static func headNames(_ households: [HouseholdModel]) -> [UUID: String] {
        Dictionary(households.compactMap { h in h.id.map { ($0, h.headName) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Who recorded the visits: user id → display name.
    func memberNames(_ visits: [VisitModel]) async throws -> [UUID: String] {
        let ids = Array(Set(visits.compactMap(\.memberID)))
        guard !ids.isEmpty else { return [:] }
        return Dictionary(try await UserModel.query(on: database).filter(\.$id ~~ ids).all().compactMap { u in u.id.map { ($0, u.displayName) } },
                          uniquingKeysWith: { first, _ in first })
    }
}

extension Request {
    var community: CommunityService {
        get throws { CommunityService(database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone) }
    }

    var sync: SyncService {
        get throws { SyncService(
            database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone, language: language,
            metrics: application.operationalMetrics) }
    }
}
