import ChoSoCore
import Fluent
import Foundation

extension PeopleService {
    /// Every login with its scope named as people know it ("Chợ Ngan Rô", "Quầy 12 · Trái cây Cô
    /// Ba", "Xã Trần Đề", a team's name) instead of raw ids; administrators only.
    func everyoneWithScopeNames() async throws -> [(person: UserModel, scopes: [String])] {
        let decision = AccessPolicy.decide(user.principal, .read, .administration)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let users = try await UserModel.query(on: database).with(\.$scopes).sort(\.$username).all()
        let ids = Set(users.flatMap { $0.scopes.map(\.scopeID) })
        let names = try await scopeNames(ids)
        return users.map { user in (user, user.scopes.map { names[$0.scopeID] ?? $0.scopeID }.sorted()) }
    }

    func scopeNames(_ ids: Set<String>) async throws -> [String: String] {
        var names: [String: String] = [:]
        let uuids = ids.compactMap(UUID.init(uuidString:))
        if !uuids.isEmpty {
            for market in try await MarketModel.query(on: database).filter(\.$id ~~ uuids).all() {
                if let id = market.id { names[id.uuidString] = market.name }
            }
            for stall in try await StallModel.query(on: database).filter(\.$id ~~ uuids).with(\.$market).all() {
                if let id = stall.id { names[id.uuidString] = "\(stall.market.name) · \(stall.number) \(stall.name)" }
            }
            for team in try await TeamModel.query(on: database).filter(\.$id ~~ uuids).all() {
                if let id = team.id { names[id.uuidString] = team.name }
            }
        }
        let codes = Array(ids.filter { UUID(uuidString: $0) == nil })
        if !codes.isEmpty {
            // A unit's current version names it; the id is the unit's own (code and version).
            for unit in try await AdminUnitModel.query(on: database).group(.or, { $0.filter(\.$id ~~ codes).filter(\.$code ~~ codes) }).all() {
                for key in [unit.id ?? "", unit.code] where ids.contains(key) && (names[key] == nil || unit.validTo == nil) {
                    names[key] = unit.name
                }
            }
        }
        return names
    }
}
