import ChoSoCore
import Vapor

/// `/community/commune`: the commune officer's page — progress by hamlet, counted from the
/// records, and the household register and visit log as Excel files.
struct CommuneWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("community", "commune", use: page)
        routes.get("community", "export.xlsx", use: export)
    }

    struct Row: Encodable, Sendable {
        var hamlet: String, teams: String, households: Int, adults: Int, counts: [Int], visited: Int
    }
    struct TeamRow: Encodable, Sendable { var id: String, name: String, unit: String, hamlets: String }
    struct Option: Encodable, Sendable { var value: String, label: String, selected: Bool }
    struct Content: Encodable, Sendable {
        var rows: [Row]
        var hasRows: Bool
        var items: [String]
        var teams: [TeamRow]
        /// The communes in force where the caller may set up a team.
        var communes: [Option]
        var teamForm: FormState
    }

    /// Officers and administrators: the register holds names and phone numbers.
    private func requireOfficer(_ req: Request) throws {
        guard [.officer, .admin].contains(try req.requireUser().role) else { throw AppError.notFound }
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req)
    }

    func render(_ req: Request, teamForm: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        try requireOfficer(req)
        let language = req.language
        let community = try req.community
        let reach = try await community.reach()
        let rows = try await community.overview(in: reach).map { row in
            Row(hamlet: row.hamlet, teams: row.teams, households: row.households, adults: row.adults,
                counts: ChecklistItem.allCases.map { row[$0] }, visited: row.visitedThisMonth)
        }
        let teams = try await community.teams(in: reach).map { team in
            TeamRow(id: team.id.lowercased(), name: team.name, unit: team.unit.name,
                    hamlets: team.hamlets.map(\.name).joined(separator: ", "))
        }
        let principal = try req.requireUser().principal
        let communes = reach.tree.units.values
            .filter { [.commune, .ward, .township].contains($0.type) && $0.isValid(on: reach.today) }
            .filter { AccessPolicy.permits(principal, .create, .team(id: "", units: reach.tree.lineage(of: $0.id))) }
            .sorted { $0.name < $1.name }
            .map { Option(value: $0.id, label: $0.name, selected: teamForm.values["unit"] == $0.id) }
        let content = Content(
            rows: rows, hasRows: !rows.isEmpty, items: ChecklistItem.allCases.map { $0.label.text(in: language) },
            teams: teams, communes: communes, teamForm: teamForm)
        return try await req.renderPage("commune", title: .init(vi: "Tổ công nghệ số của xã", en: "The commune's digital teams"), content, status: status)
    }

    @Sendable func export(req: Request) async throws -> Response {
        try requireOfficer(req)
        let table = req.query[String.self, at: "table"] ?? "households"
        guard ["households", "visits"].contains(table) else {
            throw AppError(status: .badRequest, code: "bad_parameter", message: .init(vi: "table là households hoặc visits", en: "table is households or visits"))
        }
        let bytes = try await req.community.export(table)
        let day = Day(Date(), in: req.application.choSoConfig.timeZone).iso
        return ReportsWebController.download(
            bytes, name: "choso-\(table == "visits" ? "lan-tham" : "so-ho")-\(day).xlsx",
            type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
}
