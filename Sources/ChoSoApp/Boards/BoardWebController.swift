import ChoSoCore
import Vapor
import VietQR

/// Printable QR boards (A5/A6, one stall per page, or a whole market) and the public
/// "Kiểm tra mã QR" page.
struct BoardWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "board", use: board)
        routes.post("stalls", ":stallId", "board", "printed", use: printed)
        routes.get("markets", ":marketId", "boards", use: marketBoards)
        routes.get("kiem-tra", use: checkPage)
        routes.rateLimited(.qrCheck).post("kiem-tra", use: check)
    }

    struct BoardView: Encodable, Sendable {
        var stallId: String
        var marketName: String
        var stallNumber: String
        var stallName: String
        var hasAccount: Bool
        var qrUrl: String
        var bankName: String
        var holderName: String
        var displayName: String
        var lastDigits: String
        var code: String
        var payload: String
        var printedAt: String?
        var handedOverAt: String?
    }

    struct BoardsContent: Encodable, Sendable {
        var size: String
        var boards: [BoardView]
        var checkURL: String
        var single: Bool
        var backURL: String
        /// Stalls left out of a batch (no receiving account yet), named on the screen, not printed.
        var skipped: String?
    }

    /// The stall's static VietQR as an SVG from the encode API (cached for a year by the browser).
    static func staticQRURL(_ account: ReceivingAccountModel) -> String {
        "/api/v1/qr/encode?bin=\(account.bin)&account=\(account.accountNumber)&name="
            + (account.holderName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "&format=svg"
    }

    static func size(_ req: Request) -> String {
        req.query[String.self, at: "size"] == "a6" ? "a6" : "a5"
    }

    static func view(_ board: BoardService.Board, timeZone: TimeZone) -> BoardView {
        let account = board.account
        return BoardView(
            stallId: board.stall.id?.uuidString ?? "", marketName: board.market.name, stallNumber: board.stall.number,
            stallName: board.stall.name, hasAccount: account != nil,
            qrUrl: account.map(Self.staticQRURL) ?? "",
            bankName: account.flatMap { BankDirectory.bundled.bank(bin: $0.bin)?.name } ?? "",
            holderName: account?.holderName ?? "", displayName: account?.displayName ?? board.stall.keeperName,
            lastDigits: String(account?.accountNumber.suffix(4) ?? ""), code: board.code ?? "", payload: board.payload ?? "",
            printedAt: board.lastPrint.map { Day($0.printedAt, in: timeZone).vietnamese },
            handedOverAt: board.lastPrint?.handedOverAt.map { Day($0, in: timeZone).vietnamese })
    }

    private func service(_ req: Request) throws -> BoardService {
        BoardService(database: req.db, user: try req.requireUser(), config: req.application.choSoConfig)
    }

    @Sendable func board(req: Request) async throws -> Response {
        let board = try await service(req).board(stallID: req.parameters.get("stallId") ?? "")
        let config = req.application.choSoConfig
        let content = BoardsContent(
            size: Self.size(req), boards: [Self.view(board, timeZone: config.timeZone)], checkURL: config.publicURL + "/kiem-tra",
            single: true, backURL: "/stalls/\(board.stall.id?.uuidString ?? "")", skipped: nil)
        return try await req.renderPage("board", title: .init(vi: "Bảng QR quầy \(board.stall.number)", en: "QR board, stall \(board.stall.number)"), content)
    }

    @Sendable func marketBoards(req: Request) async throws -> Response {
        let id = req.parameters.get("marketId") ?? ""
        let config = req.application.choSoConfig
        let all = try await service(req).boards(marketID: id)
        let boards = all.filter { $0.account != nil }
        let skipped = all.filter { $0.account == nil }.map(\.stall.number)
        let content = BoardsContent(
            size: Self.size(req), boards: boards.map { Self.view($0, timeZone: config.timeZone) },
            checkURL: config.publicURL + "/kiem-tra", single: false, backURL: "/markets/\(id)",
            skipped: skipped.isEmpty ? nil : skipped.joined(separator: ", "))
        return try await req.renderPage("board", title: .init(vi: "In bảng QR cả chợ", en: "Print every QR board"), content)
    }

    struct PrintedForm: Content { var handedOver: String? }

    @Sendable func printed(req: Request) async throws -> Response {
        let form = try req.content.decode(PrintedForm.self)
        let id = req.parameters.get("stallId") ?? ""
        let handedOver = form.handedOver == "1"
        _ = try await service(req).record(stallID: id, handedOver: handedOver)
        req.flash(handedOver
            ? .init(vi: "Đã ghi nhận bảng QR được giao cho quầy.", en: "The QR board is recorded as handed over.")
            : .init(vi: "Đã ghi nhận bảng QR được in.", en: "The QR board is recorded as printed."))
        return req.redirectAfterPost(to: "/stalls/\(id)/board")
    }

    // MARK: Kiểm tra mã QR

    struct CheckContent: Encodable, Sendable {
        var payload: String
        var expectStall: String
        var hasResult: Bool
        var ok: Bool
        var message: String
        var boardCode: String?
        var mismatch: String?
    }

    @Sendable func checkPage(req: Request) async throws -> Response {
        let content = CheckContent(
            payload: "", expectStall: req.query[String.self, at: "stall"] ?? "", hasResult: false, ok: false, message: "")
        return try await req.renderPage("check", title: .init(vi: "Kiểm tra mã QR", en: "Check a QR code"), content)
    }

    struct CheckForm: Content {
        var payload: String?
        var expectStall: String?
    }

    @Sendable func check(req: Request) async throws -> Response {
        let form = try req.content.decode(CheckForm.self)
        let payload = form.payload?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let result = try await QRCheckService(database: req.db, config: req.application.choSoConfig).check(payload)
        let expected = form.expectStall.flatMap(UUID.init(uuidString:))
        var ok = result.verdict == .registered
        var mismatch: String?
        // "Check my board": the board must pay into this stall, not just into some stall.
        if ok, let expected, result.stallID != expected {
            ok = false
            mismatch = LocalizedText(
                vi: "Cảnh báo: bảng này không phải của quầy bạn! Có thể đã bị dán đè. Báo ngay ban quản lý chợ.",
                en: "Warning: this board is not your stall's! It may have been pasted over. Tell the market board now.").text(in: req.language)
        }
        let content = CheckContent(
            payload: payload, expectStall: form.expectStall ?? "", hasResult: true, ok: ok,
            message: result.message.text(in: req.language), boardCode: result.boardCode, mismatch: mismatch)
        return try await req.renderPage("check", title: .init(vi: "Kiểm tra mã QR", en: "Check a QR code"), content)
    }
}
