import ChoSoCore
import Vapor

/// `/community`: a team member's phone app. The page is the shell; the households, the forms'
/// records and what is still unsent live in the phone's IndexedDB (community.js), so the work
/// goes on with no connection at all and reaches the server by `/api/v1/sync` when it returns.
struct CommunityWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("community", use: page)
    }

    struct Choice: Encodable, Sendable { var value: String, label: String }
    struct ProgressRow: Encodable, Sendable { var label: String, period: String, done: Int, target: Int, remaining: Int, percent: Int }
    struct Content: Encodable, Sendable {
        var teamName: String?
        var hamlets: [Choice]
        var hasHamlets: Bool
        var progress: [ProgressRow]
        var hasProgress: Bool
        var visitedToday: Int
        /// "còn 14 hộ tới chỉ tiêu tháng": the month's households-visited target, what is left.
        var visitsLeft: Int?
        var planReference: String?
        var items: [Choice]
        var householdItems: [String]
        var barriers: [Choice]
        var help: [Choice]
        var followUps: [Choice]
        var today: String
        /// Whose visits count as "today" on this phone (with the ones not sent yet).
        var userId: String
    }

    static func progressRows(_ work: CommunityService.Work, language: Language) -> [ProgressRow] {
        progressRows(work.progress, language: language)
    }

    static func progressRows(_ rows: [TeamProgress.Row], language: Language) -> [ProgressRow] {
        rows.map { row in
            ProgressRow(
                label: itemLabel(row.target.item, language: language), period: periodLabel(row.target, language: language),
                done: row.done, target: row.target.target, remaining: row.remaining,
                percent: row.target.target > 0 ? min(100, row.done * 100 / row.target.target) : 100)
        }
    }

    static func itemLabel(_ item: String, language: Language) -> String {
        item == TeamProgress.householdsVisited
            ? LocalizedText(vi: "Hộ được thăm", en: "Households visited").text(in: language)
            : ChecklistItem(rawValue: item)?.label.text(in: language) ?? item
    }

    /// "Tháng 11/2026", "Quý 4/2026", "Năm 2026".
    static func periodLabel(_ target: TeamProgress.Target, language: Language) -> String {
        let start = target.start
        switch target.period {
        case .month: return "\(target.period.label.text(in: language)) \(start.month)/\(start.year)"
        case .quarter: return "\(target.period.label.text(in: language)) \((start.month - 1) / 3 + 1)/\(start.year)"
        case .year: return "\(target.period.label.text(in: language)) \(start.year)"
        }
    }

    @Sendable func page(req: Request) async throws -> Response {
        // The phone app is the team members' (an administrator may look); nobody else has a
        // team's households here.
        guard [.teamMember, .admin].contains(try req.requireUser().role) else { throw AppError.notFound }
        let work = try await req.community.work()
        let language = req.language
        let progress = Self.progressRows(work, language: language)
        let visitsLeft = work.progress.first { $0.target.item == TeamProgress.householdsVisited && $0.target.period == .month }?.remaining
        let content = Content(
            teamName: work.teams.first?.name,
            hamlets: work.teams.flatMap(\.hamlets).map { Choice(value: $0.id, label: $0.name) },
            hasHamlets: work.teams.contains { !$0.hamlets.isEmpty },
            progress: progress, hasProgress: !progress.isEmpty, visitedToday: work.visitedToday, visitsLeft: visitsLeft,
            planReference: work.planReference,
            items: ChecklistItem.allCases.map { Choice(value: $0.rawValue, label: $0.label.text(in: language)) },
            householdItems: ChecklistItem.allCases.filter(\.isPerHousehold).map(\.rawValue),
            barriers: Barrier.allCases.map { Choice(value: $0.rawValue, label: $0.label.text(in: language)) },
            help: Help.allCases.map { Choice(value: $0.rawValue, label: $0.label.text(in: language)) },
            followUps: FollowUpAction.allCases.map { Choice(value: $0.rawValue, label: $0.label.text(in: language)) },
            today: Day(Date(), in: req.application.choSoConfig.timeZone).iso, userId: try req.requireUser().id.uuidString)
        return try await req.renderPage("community", title: .init(vi: "Tổ công nghệ số", en: "Digital team"), content)
    }
}
