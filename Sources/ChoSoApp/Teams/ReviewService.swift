import ChoSoCore
import Fluent
import Foundation
import Vapor

/// The team leader's review list: two versions of a household from two phones, a visit id sent
/// twice with other content, a household that may be registered twice. Settling never deletes:
/// a chosen version becomes a new current version (the history stays), a duplicate is marked as
/// merged into the other, a visit's other content becomes a correcting visit.
struct ReviewService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone

    struct Item {
        var review: CommunityReviewModel
        var household: HouseholdModel?
        /// The versions in conflict (household) with their content.
        var versions: [(version: Int, content: HouseholdRecord.Content, by: UUID?)]
        var twin: HouseholdModel?
        var visit: VisitModel?
        var otherVisit: VisitRecord.Content?
        var canSettle: Bool
    }

    enum Choice: String { case version, distinct, same, keep, replace }

    func open(in given: CommunityReach? = nil) async throws -> [Item] {
        let reach: CommunityReach
        if let given { reach = given } else { reach = try await CommunityReach.load(on: database, today: Day(Date(), in: timeZone)) }
        let leaders = try await leaderIDs()
        var items: [Item] = []
        for review in try await CommunityReviewModel.query(on: database).filter(\.$settledAt == nil).sort(\.$openedAt).all() {
            let decision = access(review, reach: reach, leaders: leaders)
            guard decision.read else { continue }
            items.append(try await item(review, canSettle: decision.settle))
        }
        return items
    }

    func settle(_ reviewID: String, choice rawChoice: String?, version: Int?) async throws {
        guard let uuid = UUID(uuidString: reviewID), let review = try await CommunityReviewModel.find(uuid, on: database) else { throw AppError.notFound }
        let reach = try await CommunityReach.load(on: database, today: Day(Date(), in: timeZone))
        let decision = access(review, reach: reach, leaders: try await leaderIDs())
        guard decision.read else { throw AppError.notFound }
        guard decision.settle else { throw AppError.forbidden }
        guard review.settledAt == nil else {
            throw AppError(status: .conflict, code: "already_settled", message: .init(vi: "Mục này đã được xử lý", en: "This was settled already"))
        }
        guard let choice = rawChoice.flatMap(Choice.init(rawValue:)), Self.allowed(review.kind).contains(choice) else {
            throw AppError.invalid(ValidationFailure(FieldError(field: "choice", code: "bad_choice", message: .init(
                vi: "Chọn một cách xử lý có trong danh sách", en: "Choose one of the listed ways to settle it"))))
        }
        let now = Date()
        try await database.transaction { db in
            // A chosen version, a duplicate settled or a visit replaced changes what the household counts for.
            var indicators: IndicatorStore.HouseholdChange?
            if let householdID = review.householdID { indicators = try await IndicatorStore.beginHouseholdChange(householdID, timeZone: timeZone, on: db) }
            switch choice {
            case .version:
                guard let householdID = review.householdID, let household = try await HouseholdModel.find(householdID, on: db),
                      let version, [review.version, review.otherVersion].contains(version),
                      let chosen = try await HouseholdVersionModel.query(on: db).filter(\.$householdID == householdID).filter(\.$version == version).first(),
                      let content = CommunityJSON.decode(HouseholdRecord.Content.self, chosen.content)
                else {
                    throw AppError.invalid(ValidationFailure(FieldError(field: "version", code: "bad_version", message: .init(
                        vi: "Chọn một trong hai phiên bản đang vênh", en: "Choose one of the two versions in conflict"))))
                }
                let newest = try await HouseholdVersionModel.query(on: db).filter(\.$householdID == householdID).max(\.$version) ?? household.currentVersion
                let row = HouseholdVersionModel()
                row.householdID = householdID
                row.version = newest + 1
                row.baseVersion = household.currentVersion
                row.content = chosen.content
                row.contentHash = chosen.contentHash
                row.recordedBy = user.id
                row.deviceID = "review"
                row.recordedAt = now
                try await row.create(on: db)
                household.apply(content, version: newest + 1, by: user.id, at: now)
                try await household.save(on: db)
                review.settlement = "version \(version)"
            case .distinct:
                review.settlement = "distinct"
            case .same:
                guard let householdID = review.householdID, let household = try await HouseholdModel.find(householdID, on: db),
                      let twin = Self.twinID(review) else { throw AppError.notFound }
                household.mergedInto = twin
                household.updatedBy = user.id
                household.updatedAt = now
                try await household.save(on: db)
                review.settlement = "same as \(twin.uuidString.lowercased())"
            case .keep:
                review.settlement = "kept the stored visit"
            case .replace:
                // The correction goes to the household under review, never to another one.
                guard let visitID = review.visitID, let stored = try await VisitModel.find(visitID, on: db), stored.householdID == review.householdID,
                      let other = review.content.flatMap({ CommunityJSON.decode(VisitRecord.Content.self, $0) }) else { throw AppError.notFound }
                var corrected = other
                corrected.corrects = visitID.uuidString.lowercased()
                let correction = VisitModel(
                    id: UUID(), householdID: stored.householdID, hamletID: stored.hamletID, memberID: stored.memberID, content: corrected,
                    deviceID: "review", recordedAt: now)
                try await correction.create(on: db)
                review.settlement = "replaced by \(correction.id!.uuidString.lowercased())"
            }
            if let indicators { try await IndicatorStore.finishHouseholdChange(indicators, on: db) }
            review.settledBy = user.id
            review.settledAt = now
            try await review.save(on: db)
        }
    }

    static func allowed(_ kind: String) -> [Choice] {
        switch CommunityReviewModel.Kind(rawValue: kind) {
        case .householdConflict: [.version]
        case .duplicate: [.distinct, .same]
        case .visitConflict: [.keep, .replace]
        case nil: []
        }
    }

    static func twinID(_ review: CommunityReviewModel) -> UUID? {
        review.content.flatMap { CommunityJSON.decode([String: String].self, $0)?["possibleTwin"] }.flatMap(UUID.init(uuidString:))
    }

    // MARK: Pieces

    private func leaderIDs() async throws -> [UUID: Set<String>] {
        let leaders = try await TeamMemberModel.query(on: database).filter(\.$userID != nil).all().filter(\.isLeader)
        return Dictionary(grouping: leaders, by: { $0.$team.id }).mapValues { Set($0.compactMap { $0.userID?.uuidString }) }
    }

    /// Seen by whoever sees one of the teams serving the review's hamlet; settled by one of their
    /// leaders (or an administrator).
    private func access(_ review: CommunityReviewModel, reach: CommunityReach, leaders: [UUID: Set<String>]) -> (read: Bool, settle: Bool) {
        var read = false, settle = false
        for team in reach.teamIDs(serving: review.hamletID) {
            let resource = Resource.teamReview(
                teamID: team, leaderIDs: UUID(uuidString: team).flatMap { leaders[$0] } ?? [], units: reach.tree.lineage(of: review.hamletID))
            read = read || AccessPolicy.permits(user.principal, .read, resource)
            settle = settle || AccessPolicy.permits(user.principal, .update, resource)
        }
        return (read, settle)
    }

    private func item(_ review: CommunityReviewModel, canSettle: Bool) async throws -> Item {
        let household = try await review.householdID.asyncFlatMap { try await HouseholdModel.find($0, on: database) }
        var versions: [(Int, HouseholdRecord.Content, UUID?)] = []
        if let householdID = review.householdID, review.kind == CommunityReviewModel.Kind.householdConflict.rawValue {
            let wanted = [review.version, review.otherVersion].compactMap { $0 }
            for row in try await HouseholdVersionModel.query(on: database).filter(\.$householdID == householdID).filter(\.$version ~~ wanted).sort(\.$version).all() {
                if let content = CommunityJSON.decode(HouseholdRecord.Content.self, row.content) { versions.append((row.version, content, row.recordedBy)) }
            }
        }
        let twin = try await Self.twinID(review).asyncFlatMap { try await HouseholdModel.find($0, on: database) }
        let visit = try await review.visitID.asyncFlatMap { try await VisitModel.find($0, on: database) }
        let other = review.content.flatMap { CommunityJSON.decode(VisitRecord.Content.self, $0) }
        return Item(review: review, household: household, versions: versions, twin: twin, visit: visit, otherVisit: other, canSettle: canSettle)
    }
}

extension Request {
    var reviews: ReviewService {
        get throws { ReviewService(database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone) }
    }
}
