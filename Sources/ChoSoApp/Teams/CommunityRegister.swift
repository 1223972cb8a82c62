import ChoSoCore
import Fluent
import Foundation
import Vapor

/// The register as the API reads it (issue 14): the hamlets a caller reaches, their households
/// (searched without diacritics), a household's visits.
extension CommunityService {
    /// Hamlets in force today that the caller reaches, with their commune.
    func hamlets(in given: CommunityReach? = nil) async throws -> [CommuneHamletDTO] {
        let reach = try await reach(given)
        return reach.readableHamlets(for: user.principal).compactMap { id -> CommuneHamletDTO? in
            guard let hamlet = reach.tree.units[id], hamlet.isValid(on: today), let communeID = hamlet.parentID else { return nil }
            return CommuneHamletDTO(id: id, name: hamlet.name, commune: HamletDTO(id: communeID, name: reach.name(communeID)))
        }.sorted { ($0.commune.name, $0.name) < ($1.commune.name, $1.name) }
    }

    static let householdPage = 2_000

    /// Households of one hamlet (with its earlier versions) or of all the caller's hamlets; `query`
    /// matches the head's name or the address, without diacritics. At most `householdPage`.
    func households(hamlet: String?, query: String?) async throws -> [HouseholdDTO] {
        let reach = try await reach()
        let readable = reach.readableHamlets(for: user.principal)
        var hamlets = Array(readable)
        if let hamlet {
            // A hamlet outside the caller's reach is answered like one that does not exist.
            guard readable.contains(hamlet) else { throw AppError.notFound }
            let current = Set(reach.currentHamlets(hamlet).map(\.id))
            hamlets = readable.filter { reach.currentHamlets($0).contains { current.contains($0.id) } }
        }
        guard !hamlets.isEmpty else { return [] }
        let rows = try await HouseholdModel.query(on: database).filter(\.$hamletID ~~ hamlets).filter(\.$mergedInto == nil)
            .sort(\.$headNameFolded).all()
        let key = query.map(TextNormalization.searchKey) ?? ""
        let matching = key.isEmpty ? rows : rows.filter {
            $0.headNameFolded.contains(key) || TextNormalization.searchKey($0.address).contains(key)
        }
        return matching.prefix(Self.householdPage).map(HouseholdDTO.init)
    }

    /// A household's visits, newest first (corrections included: each names what it corrects).
    func visits(ofHousehold id: String) async throws -> [VisitDTO] {
        let reach = try await reach()
        guard let uuid = UUID(uuidString: id), let household = try await HouseholdModel.find(uuid, on: database),
              AccessPolicy.permits(user.principal, .read, reach.resource(hamletID: household.hamletID)) else { throw AppError.notFound }
        return try await VisitModel.query(on: database).filter(\.$householdID == uuid)
            .sort(\.$visitDate, .descending).sort(\.$recordedAt, .descending).all().map(VisitDTO.init)
    }
}
