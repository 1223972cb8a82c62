import ChoSoCore
import Fluent
import Foundation
import Vapor

/// `POST /api/v1/sync` and `GET /api/v1/sync`: what the team members' phones send and fetch
/// (issue 14). Each record is answered on its own — stored, unchanged, conflict or rejected — and
/// the database's uniqueness (one row per household version, one per visit id) makes it exactly
/// once across concurrent requests and processes: whoever loses a race reads again and decides
/// again.
struct SyncService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone
    var language: Language
    /// Where each record's outcome is counted (`choso_sync_records_total`); none for the demo seed.
    var metrics: OperationalMetrics? = nil

    struct Result: Content {
        var id: String?
        var status: String
        var version: Int?
        var error: ErrorBody.Detail?
    }

    static let maxRecords = SyncRecords.maxRecords
    /// How far back `since` looks again: two transactions may commit out of the order of their
    /// clocks; a phone keeps what it has by id and version, so seeing a change twice is harmless.
    static let cursorOverlap: TimeInterval = 10

    func sync(deviceID: String?, records: [Any]) async throws -> [Result] {
        guard records.count <= Self.maxRecords else {
            // 400, as for any other body the contract refuses (its schema says maxItems 5000).
            throw AppError(status: .badRequest, code: "too_many_records", message: .init(
                vi: "Một lần gửi tối đa \(Self.maxRecords) bản ghi", en: "At most \(Self.maxRecords) records in one sync"))
        }
        let today = Day(Date(), in: timeZone)
        // Reading and checking needs no gate; storing does on SQLite (SyncGate).
        let parsed = records.map { SyncRecords.parse($0, today: today) }
        let device = deviceID.map { String($0.prefix(64)) }
        let service = self
        let results = try await SyncGate.shared.around(database) {
            // On SQLite (one batch at a time) the batch is one transaction: one write to the disk
            // instead of one per record. On PostgreSQL each record commits on its own, so
            // concurrent batches settle by the unique constraints.
            guard SyncGate.isSQLite(service.database) else { return try await service.storeAll(parsed, today: today, device: device) }
            return try await service.database.transaction { db in
                var inTransaction = service
                inTransaction.database = db
                return try await inTransaction.storeAll(parsed, today: today, device: device)
            }
        }
        metrics?.syncRecords(outcomes: results.map(\.status))
        return results
    }

    private func storeAll(_ parsed: [(id: String?, record: Validated<SyncRecord>)], today: Day, device: String?) async throws -> [Result] {
        let reach = try await CommunityReach.load(on: database, today: today)
        let snapshot = try await SyncSnapshot.load(for: parsed.compactMap { if case .valid(let record) = $0.record { record } else { nil } }, on: database)
        var results: [Result] = []
        results.reserveCapacity(parsed.count)
        for (givenID, record) in parsed {
            switch record {
            case .invalid(let errors):
                results.append(rejected(givenID, errors))
            case .valid(.household(let household)):
                let id = UUID(uuidString: household.id)!
                results.append(try await withRetry(reread: { try await snapshot.read(households: [id], visits: [], on: database) }) {
                    try await store(household, reach: reach, snapshot: snapshot, device: device)
                })
            case .valid(.visit(let visit)):
                let household = UUID(uuidString: visit.content.household)!, visitID = UUID(uuidString: visit.id)!
                results.append(try await withRetry(reread: { try await snapshot.read(households: [household], visits: [visitID], on: database) }) {
                    try await store(visit, reach: reach, snapshot: snapshot, device: device)
                })
            }
        }
        return results
    }

    // MARK: Households

    private func store(_ record: HouseholdRecord, reach: CommunityReach, snapshot: SyncSnapshot, device: String?) async throws -> Result {
        let id = UUID(uuidString: record.id)!
        guard reach.isHamlet(record.content.hamlet), AccessPolicy.permits(user.principal, .create, reach.resource(hamletID: record.content.hamlet)) else {
            return rejected(record.id, [Self.notServed])
        }
        return try await database.transaction { db in
            let existing = snapshot.households[id]
            if let existing, existing.hamletID != record.content.hamlet,
               !AccessPolicy.permits(user.principal, .update, reach.resource(hamletID: existing.hamletID)) {
                return rejected(record.id, [Self.notServed])
            }
            let hash = record.contentHash
            switch SyncDecision.household(stored: snapshot.versions[id] ?? [], current: existing?.currentVersion, base: record.baseVersion, hash: hash) {
            case .unchanged(let version):
                return Result(id: record.id, status: "unchanged", version: version)
            case .store(let version, let conflictWith):
                let indicators = try await IndicatorStore.beginHouseholdChange(id, isNew: existing == nil, timeZone: timeZone, on: db)
                let now = Date()
                let row = HouseholdVersionModel()
                row.householdID = id
                row.version = version
                row.baseVersion = record.baseVersion
                row.content = CommunityJSON.encode(record.content)
                row.contentHash = hash
                row.conflictWith = conflictWith
                row.recordedBy = user.id
                row.deviceID = device
                row.recordedAt = now
                let household = existing ?? HouseholdModel()
                if existing == nil {
                    household.id = id
                    household.createdBy = user.id
                    household.createdAt = now
                }
                // The newest is shown; a conflict keeps both versions for the leader.
                household.apply(record.content, version: version, by: user.id, at: now)
                if existing == nil { try await household.create(on: db) } else { try await household.save(on: db) }
                try await row.create(on: db)
                try await IndicatorStore.finishHouseholdChange(indicators, on: db)
                snapshot.stored(household, version: row.stored)
                if let conflictWith {
                    try await openReview(.householdConflict, hamlet: record.content.hamlet, household: id, version: version, other: conflictWith, on: db)
                } else if existing == nil, let twin = try await likelyDuplicate(of: record, on: db) {
                    try await openReview(.duplicate, hamlet: record.content.hamlet, household: id, version: version, other: nil, twin: twin, on: db)
                }
                return Result(id: record.id, status: conflictWith == nil ? "stored" : "conflict", version: version)
            }
        }
    }

    /// A household of the same hamlet whose head's name matches without diacritics, with the same
    /// house number or phone.
    func likelyDuplicate(of record: HouseholdRecord, on db: any Database) async throws -> UUID? {
        let folded = HouseholdIdentity.folded(record.content.headName)
        let candidates = try await HouseholdModel.query(on: db)
            .filter(\.$hamletID == record.content.hamlet).filter(\.$headNameFolded == folded).filter(\.$mergedInto == nil).all()
        return candidates.first { $0.id?.uuidString.lowercased() != record.id && HouseholdIdentity.mayBeSame($0.content, record.content) }?.id
    }

    // MARK: Visits

    private func store(_ record: VisitRecord, reach: CommunityReach, snapshot: SyncSnapshot, device: String?) async throws -> Result {
        let id = UUID(uuidString: record.id)!
        let householdID = UUID(uuidString: record.content.household)!
        guard let household = snapshot.households[householdID],
              AccessPolicy.permits(user.principal, .create, reach.resource(hamletID: household.hamletID))
        else {
            return rejected(record.id, [FieldError(field: "household", code: "unknown_household", message: .init(
                vi: "Không có hộ này trong các ấp của tổ (hãy gửi hộ trước lần thăm)",
                en: "No such household in the team's hamlets (send the household before its visits)"))])
        }
        let stored = snapshot.visits[id]
        // An id already used for another household's visit is not this household's to contest:
        // a conflict would put the other visit (maybe of another commune) on this team's list.
        if let stored, stored.household != householdID {
            return rejected(record.id, [FieldError(field: "id", code: "visit_id_taken", message: .init(
                vi: "Mã lần thăm này đã được dùng; hãy ghi một lần thăm mới", en: "This visit id is taken; record a new visit"))])
        }
        // A correction names an earlier visit of the same household.
        if let corrects = record.content.corrects.flatMap(UUID.init(uuidString:)),
           corrects == id || snapshot.visits[corrects]?.household != householdID {
            return rejected(record.id, [FieldError(field: "corrects", code: "unknown_visit", message: .init(
                vi: "Lần thăm được sửa phải là một lần thăm đã gửi của cùng hộ", en: "The corrected visit must be an earlier visit of the same household"))])
        }
        switch SyncDecision.visit(storedHash: stored?.hash, hash: record.contentHash) {
        case .unchanged:
            return Result(id: record.id, status: "unchanged")
        case .conflict:
            // The id is taken by other content: keep this one for the leader, once.
            let content = CommunityJSON.encode(record.content)
            let open = try await CommunityReviewModel.query(on: database).filter(\.$visitID == id).filter(\.$content == content).first()
            if open == nil {
                try await openReview(.visitConflict, hamlet: household.hamletID, household: householdID, version: nil, other: nil, visit: id, content: content, on: database)
            }
            return Result(id: record.id, status: "conflict")
        case .store:
            let visit = VisitModel(
                id: id, householdID: householdID, hamletID: household.hamletID, memberID: user.id, content: record.content,
                deviceID: device, recordedAt: Date())
            try await database.transaction { db in
                let indicators = try await IndicatorStore.beginHouseholdChange(householdID, timeZone: timeZone, on: db)
                try await visit.create(on: db)
                try await IndicatorStore.finishHouseholdChange(indicators, on: db)
            }
            snapshot.stored(visit: id, hash: visit.contentHash, household: householdID)
            return Result(id: record.id, status: "stored")
        }
    }

    // MARK: Pieces

    private func openReview(
        _ kind: CommunityReviewModel.Kind, hamlet: String, household: UUID, version: Int?, other: Int?, twin: UUID? = nil,
        visit: UUID? = nil, content: String? = nil, on db: any Database
    ) async throws {
        let review = CommunityReviewModel()
        review.kind = kind.rawValue
        review.hamletID = hamlet
        review.householdID = household
        review.version = version
        review.otherVersion = other
        review.visitID = visit
        review.content = content ?? twin.map { CommunityJSON.encode(["possibleTwin": $0.uuidString.lowercased()]) }
        review.openedBy = user.id
        review.openedAt = Date()
        try await review.create(on: db)
    }

    /// A unique constraint lost to a concurrent request (or another process): read the record's
    /// rows again and decide again on what is stored now.
    private func withRetry(reread: () async throws -> Void, _ attempt: () async throws -> Result) async throws -> Result {
        for _ in 0..<3 {
            do {
                return try await attempt()
            } catch let error as any DatabaseError where error.isConstraintFailure {
                try await reread()
            }
        }
        return try await attempt()
    }

    private func rejected(_ id: String?, _ errors: [FieldError]) -> Result {
        let first = errors.first
        return Result(id: id, status: "rejected", version: nil, error: ErrorBody.Detail(
            code: first?.code ?? "rejected",
            message: errors.map { "\($0.field): \($0.message.text(in: language))" }.joined(separator: "; "),
            fields: errors.map { ErrorBody.FieldDetail(field: $0.field, code: $0.code, message: $0.message.text(in: language)) }))
    }

    static let notServed = FieldError(field: "hamlet", code: "hamlet_not_served", message: .init(
        vi: "Tổ của bạn không phụ trách ấp này", en: "Your team does not serve this hamlet"))
}
