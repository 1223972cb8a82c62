import ChoSoCore
import QRImage
import Vapor

/// Payment requests, cash sales, debts and the day's list through the JSON API.
struct CashierAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("stalls", ":stallId", "payment-requests", use: createRequest)
        routes.get("payment-requests", ":requestId", use: request)
        routes.post("payment-requests", ":requestId", "cancel", use: cancel)
        routes.post("payment-requests", ":requestId", "reopen", use: reopen)
        routes.get("payment-requests", ":requestId", "qr.svg", use: qrSVG)
        routes.get("payment-requests", ":requestId", "qr.png", use: qrPNG)
        routes.post("stalls", ":stallId", "cash-sales", use: cashSale)
        routes.post("stalls", ":stallId", "debts", use: debt)
        routes.get("stalls", ":stallId", "entries", use: entries)
        routes.rateLimited(.qrCheck).post("qr", "check", use: check)
        routes.post("cash-entries", ":entryId", "void", use: voidEntry)
        routes.post("cash-entries", ":entryId", "settle", use: settle)
    }

    struct VoidBody: Content { var reason: String? }
    struct SettleBody: Content { var how: String? }

    @Sendable func voidEntry(req: Request) async throws -> CashEntryDTO {
        let body = try req.content.decode(VoidBody.self)
        return try CashEntryDTO(try await req.cashier.voidCash(req.parameters.get("entryId") ?? "", reason: body.reason))
    }

    @Sendable func settle(req: Request) async throws -> SettlementDTO {
        let body = try req.content.decode(SettleBody.self)
        let settled = try await req.cashier.settleDebt(req.parameters.get("entryId") ?? "", how: body.how)
        return SettlementDTO(
            debt: try CashEntryDTO(settled.debt, settled: settled.sale != nil), cashSale: try settled.sale.map { try CashEntryDTO($0) },
            paymentRequest: try settled.request.map { try PaymentRequestDTO($0) })
    }

    struct RequestBody: Content {
        var amount: Int64?
        var note: String?
        /// true once the caller confirmed an amount above the market's warning level.
        var confirm: Bool?
    }

    @Sendable func createRequest(req: Request) async throws -> Response {
        let body = try req.content.decode(RequestBody.self)
        let request = try await req.cashier.createRequest(stallID: req.parameters.get("stallId") ?? "", amount: body.amount, note: body.note, confirmed: body.confirm == true)
        return try await PaymentRequestDTO(request).encodeResponse(status: .created, for: req)
    }

    @Sendable func request(req: Request) async throws -> PaymentRequestDTO {
        try PaymentRequestDTO(try await req.cashier.request(req.parameters.get("requestId") ?? ""))
    }

    @Sendable func cancel(req: Request) async throws -> PaymentRequestDTO {
        try PaymentRequestDTO(try await req.cashier.cancel(req.parameters.get("requestId") ?? ""))
    }

    @Sendable func reopen(req: Request) async throws -> PaymentRequestDTO {
        try PaymentRequestDTO(try await req.cashier.reopen(req.parameters.get("requestId") ?? ""))
    }

    @Sendable func qrSVG(req: Request) async throws -> Response {
        try await qr(req, png: false)
    }

    @Sendable func qrPNG(req: Request) async throws -> Response {
        try await qr(req, png: true)
    }

    private func qr(_ req: Request, png: Bool) async throws -> Response {
        let request = try await req.cashier.request(req.parameters.get("requestId") ?? "")
        // What the customer should pay now: the rest after an under-payment, else the whole.
        guard let symbol = QRSymbol(request.payableNow) else { throw AppError.notFound }
        let scale = req.query[Int.self, at: "scale"] ?? 8
        guard req.query[String.self, at: "scale"] == nil || req.query[Int.self, at: "scale"] != nil, (1...20).contains(scale) else {
            throw AppError(status: .badRequest, code: "bad_parameter", message: .init(vi: "scale từ 1 đến 20", en: "scale is 1 to 20"))
        }
        let body = png ? Data(PNGWriter.png(symbol, scale: scale)) : Data(SVGWriter.svg(symbol).utf8)
        // The image changes only when money arrives (it then asks for the rest). A URL that names
        // the amount received so far (the request page's) names one image: a phone keeps it; any
        // other asks again.
        let pinned = req.query[Int64.self, at: "received"] == request.receivedAmount
        return Response(
            status: .ok,
            headers: ["Content-Type": png ? "image/png" : "image/svg+xml", "Cache-Control": pinned ? "private, max-age=86400" : "private, no-cache"],
            body: .init(data: body))
    }

    struct CashBody: Content {
        var amount: Int64?
        var customerName: String?
        var note: String?
        var confirm: Bool?
    }

    @Sendable func cashSale(req: Request) async throws -> Response {
        let body = try req.content.decode(CashBody.self)
        let entry = try await req.cashier.recordCash(stallID: req.parameters.get("stallId") ?? "", kind: .cashSale, amount: body.amount, customerName: nil, note: body.note, confirmed: body.confirm == true)
        return try await CashEntryDTO(entry).encodeResponse(status: .created, for: req)
    }

    @Sendable func debt(req: Request) async throws -> Response {
        let body = try req.content.decode(CashBody.self)
        let entry = try await req.cashier.recordCash(stallID: req.parameters.get("stallId") ?? "", kind: .debt, amount: body.amount, customerName: body.customerName, note: body.note, confirmed: body.confirm == true)
        return try await CashEntryDTO(entry).encodeResponse(status: .created, for: req)
    }

    @Sendable func entries(req: Request) async throws -> DayListDTO {
        let date = try req.dayQuery()?.iso
        return DayListDTO(try await req.cashier.day(stallID: req.parameters.get("stallId") ?? "", date: date))
    }

    struct CheckBody: Content { var payload: String }

    /// Public, like the board it checks.
    @Sendable func check(req: Request) async throws -> QRCheckDTO {
        let body = try req.content.decode(CheckBody.self)
        let result = try await QRCheckService(database: req.db, config: req.application.choSoConfig).check(body.payload)
        return QRCheckDTO(result, language: req.language)
    }
}

extension Request {
    var cashier: CashierService {
        get throws { CashierService(database: db, user: try requireUser(), config: application.choSoConfig) }
    }
}
