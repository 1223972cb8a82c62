import ChoSoCore
import Fluent
import Vapor

/// `/`: each role lands where its work is.
struct HomeWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
    }

    struct StallLink: Encodable, Sendable { var id: String, number: String, name: String, marketName: String }
    struct TeamInfo: Encodable, Sendable { var name: String, memberCount: Int }
    struct HomeContent: Encodable, Sendable {
        var stalls: [StallLink]
        var teams: [TeamInfo]
        var hasStalls: Bool
        var hasTeams: Bool
    }

    @Sendable func home(req: Request) async throws -> Response {
        guard let user = req.currentUser else { return req.redirect(to: "/login") }
        switch user.role {
        case .admin, .officer:
            return req.redirect(to: "/markets")
        case .marketManager:
            let markets = try await req.registry.visibleMarkets()
            if markets.count == 1, let id = markets[0].market.id { return req.redirect(to: "/markets/\(id.uuidString)") }
            return req.redirect(to: "/markets")
        case .producer:
            return req.redirect(to: "/ocop/register")
        case .teamMember:
            // The team member's work is the phone app (it also opens with no connection).
            return req.redirect(to: "/community")
        case .merchant:
            // A stall keeper with one stall goes straight to its till.
            if user.role == .merchant, user.scope.count == 1, let only = user.scope.first {
                return req.redirect(to: "/stalls/\(only)/today")
            }
            let stalls = try await req.registry.ownStalls().map {
                StallLink(id: try $0.requireID().uuidString, number: $0.number, name: $0.name, marketName: $0.market.name)
            }
            var teams: [TeamInfo] = []
            if user.role == .teamMember {
                let ids = user.scope.compactMap(UUID.init(uuidString:))
                for team in try await TeamModel.query(on: req.db).filter(\.$id ~~ ids).with(\.$members).all() {
                    teams.append(TeamInfo(name: team.name, memberCount: team.members.count))
                }
            }
            return try await req.renderPage("home", title: .init(vi: "Trang chính", en: "Home"), HomeContent(stalls: stalls, teams: teams, hasStalls: !stalls.isEmpty, hasTeams: !teams.isEmpty))
        }
    }
}
