import ChoSoCore
import Foundation
import Vapor

/// Market fees through the API (issue 15): a period's bills with what is paid, and issuing them.
struct FeeAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", ":marketId", "fees", use: period)
        routes.post("markets", ":marketId", "fees", "bills", use: bill)
        routes.post("markets", ":marketId", "fees", "cash-payments", use: cashPayment)
        routes.get("fees", "figures", use: figures)
        routes.post("markets", ":marketId", "fees", "tickets", use: sellTicket)
        routes.get("fee-tickets", ":ticketId", use: ticket)
        routes.post("markets", ":marketId", "fees", "reminders", use: remind)
        routes.get("markets", ":marketId", "fee-account", use: feeAccount)
        routes.put("markets", ":marketId", "fee-account", use: setFeeAccount)
        routes.post("market-account-changes", ":changeId", "confirm", use: confirmChange)
        routes.post("market-account-changes", ":changeId", "reject", use: rejectChange)
        routes.get("stalls", ":stallId", "fees", use: stallFees)
        routes.get("fee-bills", ":billId", use: feeBill)
        routes.post("fee-payments", ":paymentId", "reverse", use: reverse)
        routes.post("transfers", ":transferId", "fee-payment", use: assignTransfer)
    }

    private func marketID(_ req: Request) -> String { req.parameters.get("marketId") ?? "" }

    static func period(_ text: String?, default fallback: FeePeriod) throws -> FeePeriod {
        guard let text else { return fallback }
        guard let period = FeePeriod(text) else {
            throw AppError(status: .badRequest, code: "bad_period", message: .init(vi: "Kỳ phí theo dạng YYYY-MM", en: "A period is YYYY-MM"))
        }
        return period
    }

    @Sendable func period(req: Request) async throws -> FeePeriodDTO {
        let thisMonth = FeePeriod(containing: Day(Date(), in: req.application.choSoConfig.timeZone))
        let period = try Self.period(req.query[String.self, at: "period"], default: thisMonth)
        let found = try await req.fees.report(market: marketID(req), period: period)
        let report = found.report
        return FeePeriodDTO(
            period: period.iso, billed: report.totals.billed, paid: report.totals.paid, remaining: report.totals.remaining,
            bills: found.lines.map(FeeBillDTO.init), collected: FeeCollectionDTO(report.collection),
            arrears: report.arrears.map { row in
                FeeArrearsDTO(stallNumber: row.stallNumber, phone: row.phone.isEmpty ? nil : row.phone, upTo30Days: row.upTo30,
                              from31To60Days: row.from31To60, over60Days: row.over60, total: row.total)
            })
    }

    struct BillBody: Content { var period: String }

    @Sendable func bill(req: Request) async throws -> FeeBillRunDTO {
        let body = try req.content.decode(BillBody.self)
        guard let period = FeePeriod(body.period) else {
            throw AppError.invalid(ValidationFailure(FieldError(field: "period", code: "bad_period", message: .init(vi: "Kỳ phí theo dạng YYYY-MM", en: "A period is YYYY-MM"))))
        }
        let run = try await req.fees.bill(market: marketID(req), period: period)
        return FeeBillRunDTO(
            created: run.created, existing: run.existing,
            skipped: run.skipped.map { .init(stall: $0.stall, line: $0.line, reason: $0.reason.label.text(in: req.language)) })
    }

    @Sendable func figures(req: Request) async throws -> FeeFiguresDTO {
        let thisMonth = FeePeriod(containing: Day(Date(), in: req.application.choSoConfig.timeZone))
        let period = try Self.period(req.query[String.self, at: "period"], default: thisMonth)
        let reports = try await req.fees.figures(period: period)
        let total = reports.map(\.report.collection).reduce(FeeReport.Collection(), +)
        return FeeFiguresDTO(
            period: period.iso,
            markets: reports.map { found in
                let totals = found.report.totals
                return .init(marketId: found.market.id?.uuidString ?? "", name: found.market.name, billCount: totals.billCount, billed: totals.billed,
                             paid: totals.paid, remaining: totals.remaining, collected: FeeCollectionDTO(found.report.collection))
            },
            billed: reports.reduce(0) { $0 + $1.report.totals.billed }, paid: reports.reduce(0) { $0 + $1.report.totals.paid },
            collected: FeeCollectionDTO(total))
    }

    struct ReminderBody: Content { var stallId: String? }
    struct ReminderDTO: Content { var announcement: String }

    /// 202: the reminder went to the stall's screens that are open now.
    @Sendable func remind(req: Request) async throws -> Response {
        let body = try req.content.decode(ReminderBody.self)
        let said = try await req.fees.remind(market: marketID(req), stallID: body.stallId, events: req.application.intake.events)
        return try await ReminderDTO(announcement: said).encodeResponse(status: .accepted, for: req)
    }

    struct TicketBody: Content { var line: String?, cash: Bool? }

    @Sendable func sellTicket(req: Request) async throws -> Response {
        let body = try req.content.decode(TicketBody.self)
        let user = try req.requireUser()
        let key = req.headers.first(name: IdempotencyMiddleware.header).map { "api:\(user.id):\($0)" }
        let service = try req.feeTickets
        let sold = try await service.sell(market: marketID(req), line: body.line, cash: body.cash ?? false, requestKey: key)
        let (ticket, _, payload) = try await service.ticket(sold.id?.uuidString ?? "")
        return try await FeeTicketDTO(ticket, payload: payload).encodeResponse(status: .created, for: req)
    }

    @Sendable func ticket(req: Request) async throws -> FeeTicketDTO {
        let (ticket, _, payload) = try await req.feeTickets.ticket(req.parameters.get("ticketId") ?? "")
        return FeeTicketDTO(ticket, payload: payload)
    }

    struct CashBody: Content { var stallId: String?, amount: Int64?, payer: String?, note: String? }

    @Sendable func cashPayment(req: Request) async throws -> Response {
        let body = try req.content.decode(CashBody.self)
        let user = try req.requireUser()
        let key = req.headers.first(name: IdempotencyMiddleware.header).map { "api:\(user.id):\($0)" }
        let payment = try await req.feePayments.recordCash(
            market: marketID(req), stallID: body.stallId, amount: body.amount, payer: body.payer, note: body.note, requestKey: key)
        return try await FeeReceiptDTO(payment, reversed: false, publicURL: req.application.choSoConfig.publicURL)
            .encodeResponse(status: .created, for: req)
    }

    struct ReasonBody: Content { var reason: String? }

    @Sendable func reverse(req: Request) async throws -> FeeReceiptDTO {
        let body = try req.content.decode(ReasonBody.self)
        let payment = try await req.feePayments.reverse(payment: req.parameters.get("paymentId") ?? "", reason: body.reason)
        return FeeReceiptDTO(payment, reversed: true, publicURL: req.application.choSoConfig.publicURL)
    }

    struct AssignBody: Content { var stallId: String?, note: String? }

    @Sendable func assignTransfer(req: Request) async throws -> FeeReceiptDTO {
        let body = try req.content.decode(AssignBody.self)
        let payment = try await req.feePayments.assignTransfer(req.parameters.get("transferId") ?? "", toStall: body.stallId, note: body.note)
        return FeeReceiptDTO(payment, reversed: false, publicURL: req.application.choSoConfig.publicURL)
    }

    @Sendable func stallFees(req: Request) async throws -> StallFeesDTO {
        let fees = try await req.feePayments.stallFees(req.parameters.get("stallId") ?? "")
        let publicURL = req.application.choSoConfig.publicURL
        return StallFeesDTO(
            stallId: fees.stall.id?.uuidString ?? "", balance: fees.balance, credit: fees.credit, bills: fees.bills.map(FeeBillDTO.init),
            receipts: fees.payments.map { FeeReceiptDTO($0, reversed: fees.reversedPayments.contains($0.id ?? UUID()), publicURL: publicURL) })
    }

    @Sendable func feeBill(req: Request) async throws -> FeeBillDetailDTO {
        let (line, payload) = try await req.feePayments.bill(req.parameters.get("billId") ?? "")
        return FeeBillDetailDTO(bill: FeeBillDTO(line), payload: payload)
    }

    @Sendable func feeAccount(req: Request) async throws -> MarketFeeAccountDTO {
        let market = try await req.fees.managedMarket(marketID(req))
        let accounts = try req.marketAccounts
        let current = try await accounts.current(market: try market.requireID())
        return MarketFeeAccountDTO(
            bin: current?.bin, accountNumber: current?.accountNumber, holderName: current?.holderName,
            pending: try await accounts.pending(market: try market.requireID()).map(Self.change))
    }

    static func change(_ change: MarketAccountChangeModel) -> MarketFeeAccountDTO.Change {
        .init(id: change.id?.uuidString ?? "", bin: change.bin, accountNumber: change.accountNumber, holderName: change.holderName,
              status: change.status, requestedAt: change.requestedAt)
    }

    struct AccountBody: Content { var bin: String?, accountNumber: String?, holderName: String? }

    /// 200 with the account when it is the market's first; 202 with the change waiting for a
    /// second board member otherwise.
    @Sendable func setFeeAccount(req: Request) async throws -> Response {
        let body = try req.content.decode(AccountBody.self)
        switch try await req.marketAccounts.register(market: marketID(req), ReceivingAccountInput(
            kind: "bank", bin: body.bin ?? "", accountNumber: body.accountNumber ?? "", holderName: body.holderName ?? "")) {
        case .applied(let account):
            return try await MarketFeeAccountDTO(bin: account.bin, accountNumber: account.accountNumber, holderName: account.holderName, pending: [])
                .encodeResponse(status: .ok, for: req)
        case .pending(let change):
            return try await Self.change(change).encodeResponse(status: .accepted, for: req)
        }
    }

    @Sendable func confirmChange(req: Request) async throws -> MarketFeeAccountDTO.Change {
        Self.change(try await req.marketAccounts.decide(change: req.parameters.get("changeId") ?? "", confirm: true))
    }

    @Sendable func rejectChange(req: Request) async throws -> MarketFeeAccountDTO.Change {
        Self.change(try await req.marketAccounts.decide(change: req.parameters.get("changeId") ?? "", confirm: false))
    }
}
