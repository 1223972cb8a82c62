import ChoSoCore
import Fluent
import Foundation
import Vapor
import VietQR

/// Daily tickets (vé chợ) for sellers without a fixed stall (issue 15): a board member sells one
/// on a phone — paid by VietQR to the fee account (the intake marks it paid when the transfer with
/// its code arrives) or in cash at once. Each ticket has its own number.
struct FeeTicketService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone

    private var fees: FeeService { FeeService(database: database, user: user, timeZone: timeZone) }

    /// The ticket lines of the tariff in force today.
    func ticketLines(market marketID: UUID) async throws -> [(line: FeeLine, price: Int64)] {
        let versions = try await FeeTariffModel.query(on: database).filter(\.$marketID == marketID).all().compactMap(\.version)
        let today = Day(Date(), in: timeZone)
        guard let version = versions.first(where: { $0.applies(on: today) }) else { return [] }
        return version.lines.compactMap { line in
            if case .dailyTicket(let price) = line.kind { return (line, price) }
            return nil
        }
    }

    func sell(market marketID: String, line lineCode: String?, cash: Bool, requestKey: String?) async throws -> FeeTicketModel {
        let market = try await fees.managedMarket(marketID)
        let id = try market.requireID()
        let key = requestKey.flatMap { $0.isEmpty || $0.count > 100 ? nil : $0 }
        if let key, let earlier = try await FeeTicketModel.query(on: database).filter(\.$requestKey == key).first() { return earlier }
        guard let (line, price) = try await ticketLines(market: id).first(where: { lineCode == nil || $0.line.code == lineCode }) else {
            throw AppError.invalid(ValidationFailure(FieldError(field: "line", code: "no_ticket", message: .init(
                vi: "Biểu phí đang có hiệu lực của chợ không có loại vé này", en: "The market's tariff in force has no such ticket"))))
        }
        if !cash, try await MarketAccountService(database: database, user: user).current(market: id) == nil {
            throw AppError(status: .conflict, code: "no_fee_account", message: .init(
                vi: "Chợ chưa có tài khoản thu phí: chỉ bán vé tiền mặt được", en: "The market has no fee account: tickets can only be sold for cash"))
        }
        let ticket = FeeTicketModel()
        ticket.id = UUID()
        ticket.marketID = id
        ticket.lineCode = line.code
        ticket.lineName = line.name
        ticket.price = price
        ticket.status = cash ? FeeTicketModel.Status.paid.rawValue : FeeTicketModel.Status.pending.rawValue
        ticket.method = cash ? FeePaymentModel.Method.cash.rawValue : nil
        ticket.amountReceived = cash ? price : 0
        ticket.requestKey = key
        ticket.soldBy = user.id
        ticket.createdAt = Date()
        ticket.paidAt = cash ? ticket.createdAt : nil
        for attempt in 0..<5 {
            ticket.code = FeeCode.generate()
            ticket.number = try await FeeLedgerWriter.freshReceiptNumber(on: database)
            do {
                try await ticket.create(on: database)
                return ticket
            } catch {
                // The same key at the same moment (the other tap made it), or a code that is taken.
                guard (error as? any DatabaseError)?.isConstraintFailure == true else { throw error }
                if let key, let earlier = try await FeeTicketModel.query(on: database).filter(\.$requestKey == key).first() { return earlier }
                if attempt == 4 { throw error }
                ticket.id = UUID()
            }
        }
        return ticket
    }

    /// A ticket with its VietQR while unpaid; the market's board, admins and officers read it.
    func ticket(_ id: String) async throws -> (ticket: FeeTicketModel, market: MarketModel, payload: String?) {
        guard let uuid = UUID(uuidString: id), let ticket = try await FeeTicketModel.find(uuid, on: database),
              let market = try await MarketModel.find(ticket.marketID, on: database) else { throw AppError.notFound }
        _ = try await fees.bills(market: ticket.marketID.uuidString, period: FeePeriod(containing: Day(ticket.createdAt, in: timeZone)))
        guard !ticket.isPaid, let account = try await MarketAccountService(database: database, user: user).current(market: ticket.marketID) else {
            return (ticket, market, nil)
        }
        let payload = try VietQRBuilder.build(VietQRRequest(
            bin: account.bin, account: account.accountNumber, amount: ticket.price - ticket.amountReceived, purpose: "Ve cho",
            paymentCode: ticket.code, merchantName: account.holderName))
        return (ticket, market, payload)
    }

    /// The market's tickets of a business day, newest first.
    func tickets(market marketID: String, day: Day) async throws -> [FeeTicketModel] {
        _ = try await fees.bills(market: marketID, period: FeePeriod(containing: day))
        guard let uuid = UUID(uuidString: marketID) else { throw AppError.notFound }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? .distantPast
        return try await FeeTicketModel.query(on: database).filter(\.$marketID == uuid)
            .filter(\.$createdAt >= start).filter(\.$createdAt < start.addingTimeInterval(86_400)).sort(\.$createdAt, .descending).all()
    }
}

extension Request {
    var feeTickets: FeeTicketService {
        get throws { FeeTicketService(database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone) }
    }
}
