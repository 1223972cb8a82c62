import ChoSoCore
import Fluent
import Foundation

/// Which hamlets a person reaches, worked out once per request: a team serves the hamlets it was
/// given, or with none every hamlet of its commune; a household recorded under a hamlet's earlier
/// version (before a commune merger) follows the hamlet to its current version.
struct CommunityReach: Sendable {
    let tree: UnitTree
    /// Current hamlet id → the teams serving it.
    let teamsByHamlet: [String: Set<String>]
    let teams: [TeamModel]
    let today: Day

    static func load(on database: any Database, today: Day) async throws -> CommunityReach {
        let tree = try await UnitService(database: database).tree()
        let teams = try await TeamModel.query(on: database).all()
        let served = try await TeamHamletModel.query(on: database).all()
        let hamletsByTeam = Dictionary(grouping: served, by: { $0.$team.id }).mapValues { $0.map(\.unitID) }
        var teamsByHamlet: [String: Set<String>] = [:]
        for team in teams {
            guard let id = team.id else { continue }
            let hamlets = hamletsByTeam[id] ?? Self.hamlets(ofCommune: team.unitID, tree: tree, on: today).map(\.id)
            for hamlet in hamlets { teamsByHamlet[hamlet, default: []].insert(id.uuidString) }
        }
        return CommunityReach(tree: tree, teamsByHamlet: teamsByHamlet, teams: teams, today: today)
    }

    /// The current hamlets of a commune (the commune as it is today, if it was merged since).
    static func hamlets(ofCommune unitID: String, tree: UnitTree, on day: Day) -> [AdminUnit] {
        tree.current(unitID, on: day).flatMap { tree.children(of: $0.id, on: day) }.filter { $0.type == .hamlet }
    }

    /// A hamlet id as recorded (maybe an earlier version) → the current hamlet(s) it is now.
    func currentHamlets(_ id: String) -> [AdminUnit] {
        tree.current(id, on: today).filter { $0.type == .hamlet }
    }

    func teamIDs(serving hamletID: String) -> Set<String> {
        currentHamlets(hamletID).reduce(into: Set<String>()) { $0.formUnion(teamsByHamlet[$1.id] ?? []) }
    }

    /// What the access policy needs to judge a household of this hamlet.
    func resource(hamletID: String) -> Resource {
        .household(hamletID: hamletID, teamIDs: teamIDs(serving: hamletID), units: tree.lineage(of: hamletID))
    }

    /// Every hamlet (all versions) whose households the person may read: their teams' hamlets, or
    /// the hamlets under an officer's units; everything for an administrator.
    func readableHamlets(for principal: Principal) -> Set<String> {
        let hamlets = tree.units.values.filter { $0.type == .hamlet }.map(\.id)
        return Set(hamlets.filter { AccessPolicy.permits(principal, .read, resource(hamletID: $0)) })
    }

    func isHamlet(_ id: String) -> Bool { tree.units[id]?.type == .hamlet }

    func name(_ id: String) -> String { tree.units[id]?.name ?? id }

    /// A hamlet's name as people tell it apart after a merger: "Ấp 1 (trước đây Xã Đại Ân 2)" when
    /// the merged commune has two "Ấp 1"; a hamlet recorded under an earlier version is named as
    /// it is today.
    func hamletLabel(_ id: String) -> String {
        let current = currentHamlets(id).first?.id ?? id
        return tree.distinctName(of: current, on: today) { "trước đây \($0)" }
    }

    /// The commune a team belongs to today (a team set up before a merger belongs to the merged commune).
    func currentCommune(of team: TeamModel) -> String {
        Self.currentCommune(of: team, tree: tree, on: today)
    }

    static func currentCommune(of team: TeamModel, tree: UnitTree, on day: Day) -> String {
        tree.current(team.unitID, on: day).first?.id ?? team.unitID
    }
}
