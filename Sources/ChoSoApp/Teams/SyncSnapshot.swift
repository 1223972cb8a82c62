import ChoSoCore
import Fluent
import Foundation

/// What a sync batch's records find already stored — their households, those households' versions,
/// their visits — read in a few queries for the whole batch instead of several per record, and
/// kept current as the batch stores. After a race lost to another request (PostgreSQL), the
/// record's rows are read again before deciding again.
final class SyncSnapshot: @unchecked Sendable {
    private(set) var households: [UUID: HouseholdModel] = [:]
    private(set) var versions: [UUID: [SyncDecision.StoredVersion]] = [:]
    /// Visit id → its content hash and household.
    private(set) var visits: [UUID: (hash: String, household: UUID)] = [:]

    /// Ids per query: far below SQLite's and PostgreSQL's limits on bound values.
    static let chunk = 1_000

    static func load(for records: [SyncRecord], on db: any Database) async throws -> SyncSnapshot {
        var householdIDs = Set<UUID>(), visitIDs = Set<UUID>()
        for record in records {
            switch record {
            case .household(let household): if let id = UUID(uuidString: household.id) { householdIDs.insert(id) }
            case .visit(let visit):
                if let id = UUID(uuidString: visit.id) { visitIDs.insert(id) }
                if let corrected = visit.content.corrects.flatMap(UUID.init(uuidString:)) { visitIDs.insert(corrected) }
                if let id = UUID(uuidString: visit.content.household) { householdIDs.insert(id) }
            }
        }
        let snapshot = SyncSnapshot()
        try await snapshot.read(households: Array(householdIDs), visits: Array(visitIDs), on: db)
        return snapshot
    }

    /// Reads (again) the rows of these ids.
    func read(households ids: [UUID], visits visitIDs: [UUID], on db: any Database) async throws {
        for part in stride(from: 0, to: ids.count, by: Self.chunk).map({ Array(ids[$0..<min($0 + Self.chunk, ids.count)]) }) {
            for id in part { households[id] = nil; versions[id] = [] }
            for household in try await HouseholdModel.query(on: db).filter(\.$id ~~ part).all() {
                if let id = household.id { households[id] = household }
            }
            for version in try await HouseholdVersionModel.query(on: db).filter(\.$householdID ~~ part).all() {
                versions[version.householdID, default: []].append(version.stored)
            }
        }
        for part in stride(from: 0, to: visitIDs.count, by: Self.chunk).map({ Array(visitIDs[$0..<min($0 + Self.chunk, visitIDs.count)]) }) {
            for id in part { visits[id] = nil }
            for visit in try await VisitModel.query(on: db).filter(\.$id ~~ part).all() {
                if let id = visit.id { visits[id] = (visit.contentHash, visit.householdID) }
            }
        }
    }

    func stored(_ household: HouseholdModel, version: SyncDecision.StoredVersion) {
        guard let id = household.id else { return }
        households[id] = household
        versions[id, default: []].append(version)
    }

    func stored(visit id: UUID, hash: String, household: UUID) {
        visits[id] = (hash, household)
    }
}
