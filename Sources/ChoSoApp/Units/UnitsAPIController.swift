import ChoSoCore
import Vapor

/// `GET /api/v1/units?date=YYYY-MM-DD`: the unit tree as it stood on a day (default today).
struct UnitsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("units", use: units)
    }

    struct UnitDTO: Content {
        var id: String
        var code: String
        var name: String
        var type: String
        var parentId: String?
        var validFrom: String?
        var validTo: String?
        var children: [UnitDTO]
        /// Units that merged into this one, for reports that still show former districts.
        var predecessors: [String]
    }

    struct TreeDTO: Content {
        var date: String
        var units: [UnitDTO]
    }

    @Sendable func units(req: Request) async throws -> TreeDTO {
        let user = try req.requireUser()
        let decision = AccessPolicy.decide(user.principal, .read, .unitTree)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let day = try req.dayQuery() ?? Day(Date(), in: req.application.choSoConfig.timeZone)
        let tree = try await UnitService(database: req.db).tree()
        let predecessors = Dictionary(grouping: tree.successions, by: \.successorID)
        func dto(_ unit: AdminUnit) -> UnitDTO {
            UnitDTO(
                id: unit.id, code: unit.code, name: unit.name, type: unit.type.rawValue, parentId: unit.parentID,
                validFrom: unit.validFrom?.iso, validTo: unit.validTo?.iso,
                children: tree.children(of: unit.id, on: day).map(dto),
                predecessors: (predecessors[unit.id] ?? []).map(\.predecessorID).sorted())
        }
        return TreeDTO(date: day.iso, units: tree.roots(on: day).map(dto))
    }
}
