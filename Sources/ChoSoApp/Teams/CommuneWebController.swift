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
    struct Content: Encodable, Sendable {
        var rows: [Row]
        var hasRows: Bool
        var items: [String]
    }

    /// Officers and administrators: the register holds names and phone numbers.
    private func requireOfficer(_ req: Request) throws {
        guard [.officer, .admin].contains(try req.requireUser().role) else { throw AppError.notFound }
    }

    @Sendable func page(req: Request) async throws -> Response {
        try requireOfficer(req)
        let language = req.language
        let rows = try await req.community.overview().map { row in
            Row(hamlet: row.hamlet, teams: row.teams, households: row.households, adults: row.adults,
                counts: ChecklistItem.allCases.map { row[$0] }, visited: row.visitedThisMonth)
        }
        let content = Content(rows: rows, hasRows: !rows.isEmpty, items: ChecklistItem.allCases.map { $0.label.text(in: language) })
        return try await req.renderPage("commune", title: .init(vi: "Tổ công nghệ số của xã", en: "The commune's digital teams"), content)
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
