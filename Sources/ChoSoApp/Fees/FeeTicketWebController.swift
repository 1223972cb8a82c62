import ChoSoCore
import QRImage
import Vapor

/// Selling daily tickets on a phone (issue 15): the ticket types of the tariff in force, a VietQR
/// for the one sold (the page turns to "paid" when its transfer arrives) or cash at once, and
/// the day's tickets with their numbers.
struct FeeTicketWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", ":marketId", "fees", "tickets", use: page)
        routes.post("markets", ":marketId", "fees", "tickets", use: sell)
        routes.get("fee-tickets", ":ticketId", use: ticketPage)
        routes.get("fee-tickets", ":ticketId", "qr.png", use: qr)
    }

    struct TicketType: Encodable, Sendable { var code: String, name: String, price: String }
    struct TicketRow: Encodable, Sendable { var id: String, number: String, name: String, price: String, time: String, paid: Bool, method: String }
    struct Content: Encodable, Sendable {
        var marketId: String, marketName: String, date: String
        var types: [TicketType], hasTypes: Bool, tickets: [TicketRow], hasTickets: Bool
        var count: Int, total: String
    }

    static func method(_ ticket: FeeTicketModel, _ language: Language) -> String {
        guard ticket.isPaid else { return LocalizedText(vi: "Đang chờ chuyển khoản", en: "Waiting for the transfer").text(in: language) }
        return FeeStrings.all[ticket.method == FeePaymentModel.Method.cash.rawValue ? "feesInCash" : "feesByTransfer"]!.text(in: language)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let id = req.parameters.get("marketId") ?? ""
        let market = try await req.fees.managedMarket(id)
        let timeZone = req.application.choSoConfig.timeZone
        let today = Day(Date(), in: timeZone)
        let service = try req.feeTickets
        let types = try await service.ticketLines(market: try market.requireID())
        let tickets = try await service.tickets(market: id, day: today)
        let clock = CashierWebController.clock(timeZone)
        let paid = tickets.filter(\.isPaid)
        let content = Content(
            marketId: id, marketName: market.name, date: today.vietnamese,
            types: types.map { TicketType(code: $0.line.code, name: $0.line.name, price: Money(dong: $0.price).formatted) }, hasTypes: !types.isEmpty,
            tickets: tickets.map { ticket in
                TicketRow(id: ticket.id?.uuidString ?? "", number: ticket.number, name: ticket.lineName, price: Money(dong: ticket.price).formatted,
                          time: clock.string(from: ticket.createdAt), paid: ticket.isPaid, method: Self.method(ticket, req.language))
            }, hasTickets: !tickets.isEmpty,
            count: paid.count, total: Money(dong: paid.reduce(0) { $0 + $1.amountReceived }).formatted)
        return try await req.renderPage("fee-tickets", title: .init(vi: "Vé chợ — \(market.name)", en: "Daily tickets — \(market.name)"), content)
    }

    struct SellForm: Vapor.Content { var line: String?, cash: String?, _once: String? }

    @Sendable func sell(req: Request) async throws -> Response {
        let form = try req.content.decode(SellForm.self)
        let id = req.parameters.get("marketId") ?? ""
        do {
            let user = try req.requireUser()
            let ticket = try await req.feeTickets.sell(market: id, line: form.line, cash: form.cash == "1",
                                                       requestKey: form._once.map { "web:\(user.id):\($0)" })
            return req.redirectAfterPost(to: "/fee-tickets/\(ticket.id?.uuidString ?? "")")
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            req.flash(error.fieldErrors.first?.message ?? error.message)
            return req.redirectAfterPost(to: "/markets/\(id)/fees/tickets")
        }
    }

    struct TicketContent: Encodable, Sendable {
        var id: String, marketId: String, marketName: String, number: String, name: String, price: String, code: String
        var paid: Bool, method: String, received: String, short: String?, qrUrl: String?, time: String
    }

    @Sendable func ticketPage(req: Request) async throws -> Response {
        let (ticket, market, payload) = try await req.feeTickets.ticket(req.parameters.get("ticketId") ?? "")
        let id = ticket.id?.uuidString ?? ""
        let timeZone = req.application.choSoConfig.timeZone
        let short = ticket.price - ticket.amountReceived
        let content = TicketContent(
            id: id, marketId: market.id?.uuidString ?? "", marketName: market.name, number: ticket.number, name: ticket.lineName,
            price: Money(dong: ticket.price).formatted, code: ticket.code, paid: ticket.isPaid, method: Self.method(ticket, req.language),
            received: Money(dong: ticket.amountReceived).formatted,
            short: !ticket.isPaid && ticket.amountReceived > 0 ? Money(dong: short).formatted : nil,
            qrUrl: payload == nil ? nil : "/fee-tickets/\(id)/qr.png?received=\(ticket.amountReceived)",
            time: CashierWebController.clock(timeZone).string(from: ticket.createdAt) + " " + Day(ticket.createdAt, in: timeZone).vietnamese)
        return try await req.renderPage("fee-ticket", title: .init(vi: "Vé chợ \(ticket.number)", en: "Daily ticket \(ticket.number)"), content)
    }

    @Sendable func qr(req: Request) async throws -> Response {
        let (_, _, payload) = try await req.feeTickets.ticket(req.parameters.get("ticketId") ?? "")
        guard let payload, let symbol = QRSymbol(payload) else { throw AppError.notFound }
        return FeeStallWebController.png(symbol, payload: payload, cache: "private, no-cache", req: req)
    }
}
