import ChoSoCore
import Fluent
import Vapor

/// The stall keeper's "Tiền đã về" screen: today's takings by transfer in big digits, the last
/// credits, a banner and a voice for each new one (Server-Sent Events; polling when they fail).
struct LiveWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "live", use: live)
    }

    struct Row: Encodable, Sendable {
        var transferId: String, time: String, amount: String, sender: String, status: String, statusLabel: String, isWarning: Bool
    }

    struct LiveContent: Encodable, Sendable {
        var stallId: String
        var stallNumber: String
        var stallName: String
        var date: String
        var total: String
        var totalDong: Int64
        var rows: [Row]
        var hasRows: Bool
        var timeZone: String
        /// The stall's static QR, kept by the service worker so it shows with no connection.
        var qrUrl: String
    }

    /// Money that came in for the stall; what went out or was set aside is not takings.
    static let takings: Set<String> = ["walk_in", "paid", "underpaid", "overpaid", "late", "duplicate_payment"]

    @Sendable func live(req: Request) async throws -> Response {
        let stallID = req.parameters.get("stallId") ?? ""
        let transfers = try await req.transfers.stallTransfers(stallID: stallID, day: nil)
            .filter { Self.takings.contains($0.status) && $0.resolution != "dismissed" }
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: req.db).filter(\.$id == uuid).with(\.$accounts).first()
        else { throw AppError.notFound }
        let account = stall.accounts.first { $0.activeKind != nil }
        let timeZone = req.application.choSoConfig.timeZone
        let language = req.language
        let total = transfers.reduce(Int64(0)) { $0 + $1.amount }
        let rows = transfers.reversed().prefix(30).map { transfer in
            Row(
                transferId: transfer.id?.uuidString ?? "",
                time: String(BankTime.formatLocal(transfer.receivedAt, timeZone: timeZone).dropFirst(11).prefix(5)),
                amount: Money(dong: transfer.amount).formatted, sender: transfer.counterAccountName ?? "", status: transfer.status,
                statusLabel: IntakeWebController.statusLabel(transfer.status).text(in: language),
                isWarning: ["underpaid", "overpaid", "duplicate_payment", "late"].contains(transfer.status))
        }
        let content = LiveContent(
            stallId: stallID, stallNumber: stall.number, stallName: stall.name, date: Day(Date(), in: timeZone).vietnamese,
            total: Money(dong: total).formatted, totalDong: total, rows: Array(rows), hasRows: !rows.isEmpty, timeZone: timeZone.identifier,
            qrUrl: account.map(BoardWebController.staticQRURL) ?? "")
        return try await req.renderPage("live", title: .init(vi: "Tiền đã về — quầy \(stall.number)", en: "Money in — stall \(stall.number)"), content)
    }
}
