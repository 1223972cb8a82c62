import ChoSoCore
import Foundation
import Vapor

/// The teams' register and management through the API (issue 14): hamlets, households, visits,
/// follow-ups for everyone who reaches them; teams, members and targets for officers.
struct TeamAdminAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("teams", use: createTeam)
        routes.put("teams", ":teamId", "hamlets", use: setHamlets)
        routes.get("teams", ":teamId", "members", use: members)
        routes.post("teams", ":teamId", "members", use: addMember)
        routes.post("teams", ":teamId", "members", ":memberId", "end", use: endMember)
        routes.post("teams", ":teamId", "members", ":memberId", "reset-password", use: resetPassword)
        routes.get("teams", ":teamId", "targets", use: targets)
        routes.put("teams", ":teamId", "targets", use: setTarget)
        routes.get("hamlets", use: hamlets)
        routes.get("households", use: households)
        routes.get("households", ":householdId", "visits", use: visits)
        routes.get("follow-ups", use: followUps)
    }

    struct NewTeam: Content { var name: String, unit: String, hamlets: [String]? }
    struct Hamlets: Content { var hamlets: [String] }
    struct NewMember: Content {
        var fullName: String, role: String, affiliation: String
        var phone: String?, activeFrom: String?, activeTo: String?, username: String?
    }
    struct NewTarget: Content {
        var item: String, period: String, start: String, target: Int
        var planReference: String?
    }

    private func teamID(_ req: Request) -> String { req.parameters.get("teamId") ?? "" }

    @Sendable func createTeam(req: Request) async throws -> Response {
        let body = try req.content.decode(NewTeam.self)
        let team = try await req.teamAdmin.createTeam(TeamInput(name: body.name, unit: body.unit, hamlets: body.hamlets ?? []))
        guard let created = try await req.community.teams().first(where: { $0.id == team.id?.uuidString }) else { throw AppError.notFound }
        return try await created.encodeResponse(status: .created, for: req)
    }

    @Sendable func setHamlets(req: Request) async throws -> TeamDTO {
        let body = try req.content.decode(Hamlets.self)
        try await req.teamAdmin.setHamlets(teamID(req), body.hamlets)
        guard let team = try await req.community.teams().first(where: { $0.id.lowercased() == teamID(req).lowercased() }) else { throw AppError.notFound }
        return team
    }

    @Sendable func members(req: Request) async throws -> [TeamMemberDTO] {
        try await req.teamAdmin.members(teamID(req)).map(TeamMemberDTO.init)
    }

    @Sendable func addMember(req: Request) async throws -> Response {
        let body = try req.content.decode(NewMember.self)
        let added = try await req.teamAdmin.addMember(teamID(req), TeamMemberInput(
            fullName: body.fullName, phone: body.phone ?? "", role: body.role, affiliation: body.affiliation,
            activeFrom: body.activeFrom ?? "", activeTo: body.activeTo ?? "", username: body.username ?? ""))
        return try await NewTeamMemberDTO(member: TeamMemberDTO(added.member), oneTimeCode: added.oneTimeCode).encodeResponse(status: .created, for: req)
    }

    @Sendable func endMember(req: Request) async throws -> TeamMemberDTO {
        TeamMemberDTO(try await req.teamAdmin.endMember(teamID(req), req.parameters.get("memberId") ?? ""))
    }

    @Sendable func resetPassword(req: Request) async throws -> OneTimeCodeDTO {
        OneTimeCodeDTO(oneTimeCode: try await req.teamAdmin.resetMemberPassword(teamID(req), req.parameters.get("memberId") ?? ""))
    }

    @Sendable func targets(req: Request) async throws -> TargetsDTO {
        let (team, _) = try await req.teamAdmin.team(teamID(req))
        let progress = try await req.community.progress(of: try team.requireID(), reach: req.community.reach())
        return TargetsDTO(planReference: progress.planReference, targets: progress.rows.map(TargetDTO.init))
    }

    @Sendable func setTarget(req: Request) async throws -> TargetsDTO {
        let body = try req.content.decode(NewTarget.self)
        _ = try await req.teamAdmin.setTarget(teamID(req), TargetInput(
            item: body.item, period: body.period, start: body.start, target: String(body.target), planReference: body.planReference ?? ""))
        return try await targets(req: req)
    }

    @Sendable func hamlets(req: Request) async throws -> [CommuneHamletDTO] {
        try await req.community.hamlets()
    }

    @Sendable func households(req: Request) async throws -> [HouseholdDTO] {
        try await req.community.households(hamlet: req.query[String.self, at: "hamlet"], query: req.query[String.self, at: "q"])
    }

    @Sendable func visits(req: Request) async throws -> [VisitDTO] {
        try await req.community.visits(ofHousehold: req.parameters.get("householdId") ?? "")
    }

    @Sendable func followUps(req: Request) async throws -> [FollowUpDTO] {
        try await req.community.followUps().map(FollowUpDTO.init)
    }
}
