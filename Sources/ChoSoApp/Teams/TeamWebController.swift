import ChoSoCore
import Vapor

/// `/community/team`: the team's work as its leader sees it — the review list to settle, the
/// members' visits, progress against targets, the barriers found.
struct TeamWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("community", "team", use: page)
        routes.post("reviews", ":reviewId", "settle", use: settle)
    }

    struct Choice: Encodable, Sendable { var value: String, label: String, version: Int? }
    struct VersionRow: Encodable, Sendable { var version: Int, text: String }
    struct ReviewRow: Encodable, Sendable {
        var id: String, title: String, detail: String, versions: [VersionRow], choices: [Choice], canSettle: Bool
    }
    struct LogRow: Encodable, Sendable { var date: String, member: String, household: String, help: String }
    struct Count: Encodable, Sendable { var label: String, count: Int }
    struct FollowUpRow: Encodable, Sendable { var household: String, action: String, due: String, overdue: Bool }
    struct Content: Encodable, Sendable {
        var teamName: String
        var reviews: [ReviewRow]
        var hasReviews: Bool
        var progress: [CommunityWebController.ProgressRow]
        var hasProgress: Bool
        var log: [LogRow]
        var hasLog: Bool
        var barriers: [Count]
        var followUps: [FollowUpRow]
    }

    @Sendable func page(req: Request) async throws -> Response {
        guard [.teamMember, .officer, .admin].contains(try req.requireUser().role) else { throw AppError.notFound }
        let language = req.language
        let community = try req.community
        let reach = try await community.reach()
        let work = try await community.work(in: reach)
        let (lines, barrierCounts) = try await community.log(days: 30, in: reach)
        let reviews = try await req.reviews.open(in: reach).map { Self.row($0, language: language) }
        let followUps = try await community.followUps(in: reach).map { line in
            FollowUpRow(household: "\(line.headName) · \(line.address)", action: line.open.followUp.action.label.text(in: language),
                        due: line.open.followUp.due.vietnamese, overdue: line.open.isOverdue)
        }
        let content = Content(
            teamName: work.teams.first?.name ?? LocalizedText(vi: "Tổ công nghệ số", en: "Digital team").text(in: language),
            reviews: reviews, hasReviews: !reviews.isEmpty,
            progress: CommunityWebController.progressRows(work, language: language), hasProgress: !work.progress.isEmpty,
            log: lines.map { LogRow(date: $0.date, member: $0.member, household: $0.household, help: $0.help.map { $0.label.text(in: language) }.joined(separator: ", ")) },
            hasLog: !lines.isEmpty,
            barriers: Barrier.allCases.map { Count(label: $0.label.text(in: language), count: barrierCounts[$0] ?? 0) }.filter { $0.count > 0 },
            followUps: followUps)
        return try await req.renderPage("team", title: .init(vi: "Công việc của tổ", en: "The team's work"), content)
    }

    struct SettleForm: Vapor.Content { var choice: String?, version: Int? }

    @Sendable func settle(req: Request) async throws -> Response {
        let form = try req.content.decode(SettleForm.self)
        try await req.reviews.settle(req.parameters.get("reviewId") ?? "", choice: form.choice, version: form.version)
        req.flash(.init(vi: "Đã xử lý. Mọi phiên bản vẫn được giữ.", en: "Settled. Every version is kept."))
        return req.redirectAfterPost(to: "/community/team")
    }

    static func row(_ item: ReviewService.Item, language: Language) -> ReviewRow {
        let id = item.review.id?.uuidString ?? ""
        func describe(_ content: HouseholdRecord.Content) -> String {
            let phones = content.answer(.smartphone).map { "\($0.count)" } ?? "?"
            return LocalizedText(
                vi: "\(content.headName), \(content.address) · \(content.members) nhân khẩu, \(content.adults) từ 15 tuổi · điện thoại thông minh: \(phones)",
                en: "\(content.headName), \(content.address) · \(content.members) members, \(content.adults) adults · smartphones: \(phones)").text(in: language)
        }
        switch CommunityReviewModel.Kind(rawValue: item.review.kind) {
        case .householdConflict:
            return ReviewRow(
                id: id, title: LocalizedText(vi: "Hai máy sửa cùng một hộ", en: "Two phones edited one household").text(in: language),
                detail: LocalizedText(vi: "Chọn phiên bản đúng; phiên bản kia vẫn được lưu lại.", en: "Choose the right version; the other is kept.").text(in: language),
                versions: item.versions.map { VersionRow(version: $0.version, text: describe($0.content)) },
                choices: item.versions.map { Choice(value: "version", label: LocalizedText(vi: "Giữ phiên bản \($0.version)", en: "Keep version \($0.version)").text(in: language), version: $0.version) },
                canSettle: item.canSettle)
        case .duplicate:
            let this = item.household.map { describe($0.content) } ?? "—"
            let twin = item.twin.map { describe($0.content) } ?? "—"
            return ReviewRow(
                id: id, title: LocalizedText(vi: "Có thể trùng hộ", en: "A likely duplicate").text(in: language),
                detail: "\(this) ↔ \(twin)", versions: [],
                choices: [
                    Choice(value: "distinct", label: LocalizedText(vi: "Hai hộ khác nhau", en: "Two households").text(in: language), version: nil),
                    Choice(value: "same", label: LocalizedText(vi: "Là một hộ", en: "The same household").text(in: language), version: nil),
                ], canSettle: item.canSettle)
        case .visitConflict, nil:
            // Both, side by side: what is stored and what came again, so the choice can be made.
            func describe(_ content: VisitRecord.Content) -> String {
                ([content.date.vietnamese] + content.help.map { $0.label.text(in: language) } + [content.outcome?.label.text(in: language) ?? "", content.note])
                    .filter { !$0.isEmpty }.joined(separator: " · ")
            }
            let stored = item.visit.map { describe($0.content) } ?? "—"
            let other = item.otherVisit.map(describe) ?? "—"
            return ReviewRow(
                id: id, title: LocalizedText(vi: "Một lần thăm gửi hai lần với nội dung khác", en: "A visit sent twice with other content").text(in: language),
                detail: "", versions: [
                    VersionRow(version: 1, text: LocalizedText(vi: "Đã lưu: \(stored)", en: "Stored: \(stored)").text(in: language)),
                    VersionRow(version: 2, text: LocalizedText(vi: "Bản mới: \(other)", en: "New: \(other)").text(in: language)),
                ],
                choices: [
                    Choice(value: "keep", label: LocalizedText(vi: "Giữ bản đã lưu", en: "Keep the stored one").text(in: language), version: nil),
                    Choice(value: "replace", label: LocalizedText(vi: "Thay bằng bản mới", en: "Replace with the new one").text(in: language), version: nil),
                ], canSettle: item.canSettle)
        }
    }
}
