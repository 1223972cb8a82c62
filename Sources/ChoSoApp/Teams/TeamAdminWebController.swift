import ChoSoCore
import Fluent
import Foundation
import Vapor

/// `/community/teams/{id}`: a commune officer manages one team — its members and their logins,
/// the hamlets it serves, its targets with progress counted from the records. New teams are set
/// up from the commune page.
struct TeamAdminWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("community", "teams", use: createTeam)
        routes.get("community", "teams", ":teamId", use: page)
        routes.post("community", "teams", ":teamId", "members", use: addMember)
        // The address the add-member form leaves in the bar (the one-time code is shown there once).
        routes.get("community", "teams", ":teamId", "members") { req in
            req.redirect(to: "/community/teams/\(UUID(uuidString: req.parameters.get("teamId") ?? "")?.uuidString.lowercased() ?? "")")
        }
        routes.post("community", "teams", ":teamId", "members", ":memberId", "end", use: endMember)
        routes.post("community", "teams", ":teamId", "members", ":memberId", "reset-password", use: resetPassword)
        routes.post("community", "teams", ":teamId", "hamlets", use: setHamlets)
        routes.post("community", "teams", ":teamId", "targets", use: setTarget)
    }

    struct Option: Encodable, Sendable { var value: String, label: String, selected: Bool }
    struct MemberRow: Encodable, Sendable {
        var id: String, name: String, role: String, affiliation: String, phone: String, period: String, hasLogin: Bool, isActive: Bool
    }
    struct Issued: Encodable, Sendable { var name: String, code: String }
    struct Content: Encodable, Sendable {
        var teamId: String, teamName: String, unitName: String
        var members: [MemberRow]
        var hamlets: [Option]
        var progress: [CommunityWebController.ProgressRow]
        var hasProgress: Bool
        var planReference: String?
        var roles: [Option], affiliations: [Option], items: [Option], periods: [Option]
        var memberForm: FormState, targetForm: FormState
        var issued: Issued?
    }

    private func teamID(_ req: Request) -> String { req.parameters.get("teamId") ?? "" }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req)
    }

    func render(_ req: Request, memberForm: FormState = FormState(), targetForm: FormState = FormState(),
                issued: Issued? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let language = req.language
        let admin = try req.teamAdmin
        // Only those who manage the team see this page (its members have the leader's page).
        let (team, tree) = try await admin.team(teamID(req), change: true)
        let id = try team.requireID()
        let community = try req.community
        let reach = try await community.reach()
        let served = Set(try await TeamHamletModel.query(on: req.db).filter(\.$team.$id == id).all().map(\.unitID))
        let today = admin.today
        let members = try await admin.members(teamID(req)).map { member in
            let ended = member.activeTo.flatMap(Day.init(iso:)).map { $0 <= today } ?? false
            let from = member.activeFrom.flatMap(Day.init(iso:))?.vietnamese ?? "—"
            return MemberRow(
                id: member.id?.uuidString.lowercased() ?? "", name: member.fullName,
                role: member.role.flatMap(TeamRole.init(rawValue:))?.label.text(in: language) ?? "—",
                affiliation: member.affiliation.flatMap(Affiliation.init(rawValue:))?.label.text(in: language) ?? "—",
                phone: member.phone ?? "", period: "\(from) – \(member.activeTo.flatMap(Day.init(iso:))?.vietnamese ?? "")",
                hasLogin: member.userID != nil, isActive: !ended)
        }
        let progress = try await community.progress(of: id, reach: reach)
        let monthStart = Day(year: today.year, month: today.month, day: 1).iso
        var targetForm = targetForm
        if targetForm.values.isEmpty { targetForm.values = ["start": monthStart, "period": "month", "planReference": progress.planReference ?? ""] }
        let content = Content(
            teamId: id.uuidString.lowercased(), teamName: team.name, unitName: reach.name(reach.currentCommune(of: team)), members: members,
            hamlets: CommunityReach.hamlets(ofCommune: team.unitID, tree: tree, on: today)
                .map { Option(value: $0.id, label: reach.hamletLabel($0.id), selected: served.contains($0.id)) },
            progress: CommunityWebController.progressRows(progress.rows, language: language), hasProgress: !progress.rows.isEmpty,
            planReference: progress.planReference,
            // "Thành viên" first: most people added are members, not leaders.
            roles: TeamRole.allCases.reversed().map { Option(value: $0.rawValue, label: $0.label.text(in: language), selected: memberForm.values["role"] == $0.rawValue) },
            affiliations: Affiliation.allCases.map { Option(value: $0.rawValue, label: $0.label.text(in: language), selected: memberForm.values["affiliation"] == $0.rawValue) },
            items: ([TeamProgress.householdsVisited] + ChecklistItem.allCases.map(\.rawValue)).map {
                Option(value: $0, label: CommunityWebController.itemLabel($0, language: language), selected: targetForm.values["item"] == $0)
            },
            periods: TeamProgress.Period.allCases.map { Option(value: $0.rawValue, label: $0.label.text(in: language), selected: targetForm.values["period"] == $0.rawValue) },
            memberForm: memberForm, targetForm: targetForm, issued: issued)
        return try await req.renderPage("team-admin", title: .init(vi: "Quản lý \(team.name)", en: "Manage \(team.name)"), content, status: status)
    }

    struct TeamForm: Vapor.Content { var name: String?, unit: String? }

    @Sendable func createTeam(req: Request) async throws -> Response {
        let form = try req.content.decode(TeamForm.self)
        do {
            let team = try await req.teamAdmin.createTeam(TeamInput(name: form.name ?? "", unit: form.unit ?? "", hamlets: []))
            req.flash(.init(vi: "Đã lập \(team.name). Chọn ấp tổ phụ trách và thêm thành viên.", en: "\(team.name) is set up. Choose its hamlets and add members."))
            return req.redirectAfterPost(to: "/community/teams/\(try team.requireID().uuidString.lowercased())")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await CommuneWebController().render(
                req, teamForm: FormState(values: ["name": form.name ?? "", "unit": form.unit ?? ""], error: error, language: req.language), status: error.status)
        }
    }

    struct MemberForm: Vapor.Content {
        var fullName: String?, phone: String?, role: String?, affiliation: String?, activeFrom: String?, username: String?
    }

    @Sendable func addMember(req: Request) async throws -> Response {
        let form = try req.content.decode(MemberForm.self)
        let input = TeamMemberInput(
            fullName: form.fullName ?? "", phone: form.phone ?? "", role: form.role ?? "", affiliation: form.affiliation ?? "",
            activeFrom: form.activeFrom ?? "", activeTo: "", username: form.username ?? "")
        do {
            let added = try await req.teamAdmin.addMember(teamID(req), input)
            guard let code = added.oneTimeCode else {
                req.flash(.init(vi: "Đã thêm \(added.member.fullName).", en: "\(added.member.fullName) added."))
                return req.redirectAfterPost(to: "/community/teams/\(teamID(req))")
            }
            return try await render(req, issued: Issued(name: "\(added.member.fullName) · \(input.username.lowercased())", code: code)).shownOnce()
        } catch let error as AppError where error.status == .unprocessableEntity {
            let values = ["fullName": input.fullName, "phone": input.phone, "role": input.role, "affiliation": input.affiliation,
                          "activeFrom": input.activeFrom, "username": input.username]
            return try await render(req, memberForm: FormState(values: values, error: error, language: req.language), status: error.status)
        }
    }

    @Sendable func endMember(req: Request) async throws -> Response {
        let member = try await req.teamAdmin.endMember(teamID(req), req.parameters.get("memberId") ?? "")
        req.flash(.init(vi: "\(member.fullName) đã thôi tham gia tổ; tài khoản đã khoá, các lần thăm vẫn giữ.",
                        en: "\(member.fullName) has left the team; their login is disabled, their visits are kept."))
        return req.redirectAfterPost(to: "/community/teams/\(teamID(req))")
    }

    @Sendable func resetPassword(req: Request) async throws -> Response {
        let memberID = req.parameters.get("memberId") ?? ""
        let code = try await req.teamAdmin.resetMemberPassword(teamID(req), memberID)
        let name = try await TeamMemberModel.find(UUID(uuidString: memberID), on: req.db)?.fullName ?? ""
        return try await render(req, issued: Issued(name: name, code: code)).shownOnce()
    }

    struct HamletsForm: Vapor.Content { var hamlets: [String]? }

    @Sendable func setHamlets(req: Request) async throws -> Response {
        let form = try req.content.decode(HamletsForm.self)
        try await req.teamAdmin.setHamlets(teamID(req), form.hamlets ?? [])
        req.flash(.init(vi: "Đã lưu các ấp tổ phụ trách.", en: "The team's hamlets are saved."))
        return req.redirectAfterPost(to: "/community/teams/\(teamID(req))")
    }

    struct TargetForm: Vapor.Content { var item: String?, period: String?, start: String?, target: String?, planReference: String? }

    @Sendable func setTarget(req: Request) async throws -> Response {
        let form = try req.content.decode(TargetForm.self)
        let input = TargetInput(item: form.item ?? "", period: form.period ?? "", start: form.start ?? "", target: form.target ?? "", planReference: form.planReference ?? "")
        do {
            _ = try await req.teamAdmin.setTarget(teamID(req), input)
            req.flash(.init(vi: "Đã lưu chỉ tiêu. Tiến độ được đếm từ sổ hộ.", en: "Target saved. Progress is counted from the register."))
            return req.redirectAfterPost(to: "/community/teams/\(teamID(req))")
        } catch let error as AppError where error.status == .unprocessableEntity {
            let values = ["item": input.item, "period": input.period, "start": input.start, "target": input.target, "planReference": input.planReference]
            return try await render(req, targetForm: FormState(values: values, error: error, language: req.language), status: error.status)
        }
    }
}
