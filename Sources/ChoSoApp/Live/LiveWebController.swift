import ChoSoCore
import Fluent
import Vapor

/// The stall keeper's "Tiền đã về" screen: today's takings by transfer in big digits, the last
/// credits, a banner and a voice for each new one (Server-Sent Events; polling when they fail).
struct LiveWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "live", use: live)
        routes.post("stalls", ":stallId", "speech", use: setReading)
    }

    struct ReadingForm: Content { var zeroTens: String?, thousand: String?, four: String? }

    @Sendable func setReading(req: Request) async throws -> Response {
        let form = try req.content.decode(ReadingForm.self)
        let stallID = req.parameters.get("stallId") ?? ""
        let stall = try await req.live.setReading(stallID: stallID, zeroTens: form.zeroTens, thousand: form.thousand, four: form.four)
        req.flash(LocalizedText(vi: "Đã lưu cách đọc: \(stall.reading.words(1_005_024))", en: "Reading saved: \(stall.reading.words(1_005_024))"))
        return req.redirectAfterPost(to: "/stalls/\(stallID)/live")
    }

    struct Row: Encodable, Sendable {
        var transferId: String, requestId: String, time: String, amount: String, sender: String, status: String, statusLabel: String, isWarning: Bool
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
        var zeroTens: String, thousand: String, four: String
        /// Each status's words, so a payment that arrives live reads as it will after a reload.
        var statusLabels: String
    }

    static func statusLabels(_ language: Language) -> String {
        var labels: [String: String] = [:]
        for status in ["walk_in", "paid", "underpaid", "overpaid", "late", "duplicate_payment"] {
            labels[status] = IntakeWebController.statusLabel(status).text(in: language)
        }
        let json = (try? JSONEncoder().encode(labels)).map { String(decoding: $0, as: UTF8.self) }
        return json ?? "{}"
    }

    @Sendable func live(req: Request) async throws -> Response {
        let stallID = req.parameters.get("stallId") ?? ""
        let (stall, all) = try await req.transfers.stallTransfers(stallID: stallID, day: nil)
        // Money that came in for the stall, as the rollups count it.
        let transfers = all.filter { RollupFigures.countsAsTakings(status: TransferStatus(rawValue: $0.status), resolution: $0.resolution) }
        let account = try await stall.$accounts.query(on: req.db).filter(\.$activeKind != nil).first()
        let timeZone = req.application.choSoConfig.timeZone
        let language = req.language
        let total = transfers.reduce(Int64(0)) { $0 + $1.amount }
        let requestStatus = try await PaymentRequestModel.statuses(of: transfers, on: req.db)
        let rows = transfers.reversed().prefix(30).map { transfer in
            let settled = RequestSettlement.isSettled(
                transferStatus: transfer.status, requestStatus: transfer.paymentRequestID.flatMap { requestStatus[$0] })
            let label = IntakeWebController.statusLabel(transfer.status).text(in: language)
            return Row(
                transferId: transfer.id?.uuidString ?? "", requestId: transfer.paymentRequestID?.uuidString ?? "",
                time: String(BankTime.formatLocal(transfer.effectiveTime, timeZone: timeZone).dropFirst(11).prefix(5)),
                amount: Money(dong: transfer.amount).formatted, sender: transfer.counterAccountName ?? "",
                status: settled ? "paid" : transfer.status,
                statusLabel: settled ? label + " — " + RequestSettlement.settledNote.text(in: language) : label,
                isWarning: !settled && ["underpaid", "overpaid", "duplicate_payment", "late"].contains(transfer.status))
        }
        let content = LiveContent(
            stallId: stallID, stallNumber: stall.number, stallName: stall.name, date: Day(Date(), in: timeZone).vietnamese,
            total: Money(dong: total).formatted, totalDong: total, rows: Array(rows), hasRows: !rows.isEmpty, timeZone: timeZone.identifier,
            qrUrl: account.map(BoardWebController.staticQRURL) ?? "",
            zeroTens: stall.reading.zeroTens == .linh ? "linh" : "le", thousand: stall.reading.thousand == .nghin ? "nghin" : "ngan",
            four: stall.reading.four == .bon ? "bon" : "tu",
            statusLabels: Self.statusLabels(language))
        return try await req.renderPage("live", title: .init(vi: "Tiền đã về — quầy \(stall.number)", en: "Money in — stall \(stall.number)"), content)
    }
}
