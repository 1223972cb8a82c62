import ChoSoCore
import Fluent
import Foundation

/// A market's fees for a period as its board, its exports, the commune and the API read them:
/// everything from the bills and the ledger, so every view shows the same numbers.
extension FeeService {
    struct PeriodReport: Sendable {
        var market: MarketModel
        var report: FeeReport
        var lines: [BillLine]
        /// The month's payments (reversed ones included, marked), newest first.
        var payments: [(payment: FeePaymentModel, stallNumber: String, reversed: Bool)]
        var stalls: [StallModel]
    }

    /// The market's board and administrators, and the commune's officers, read this.
    func report(market marketID: String, period: FeePeriod) async throws -> PeriodReport {
        let lines = try await bills(market: marketID, period: period)
        guard let uuid = UUID(uuidString: marketID), let market = try await MarketModel.find(uuid, on: database) else { throw AppError.notFound }
        let stalls = try await StallModel.query(on: database).filter(\.$market.$id == uuid).all()
        let byID = Dictionary(stalls.compactMap { stall in stall.id.map { ($0, stall) } }, uniquingKeysWith: { first, _ in first })
        let entries = try await FeeLedgerEntryModel.query(on: database).filter(\.$marketID == uuid).all()
        let figures = FeeLedger.figures(entries.map(\.entry))
        let reversedPayments = Set(entries.filter { $0.kind == FeeLedger.Kind.reversal.rawValue && $0.reverses != nil }.compactMap(\.paymentID))

        // The month's payments, by the business day they were made.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.date(from: DateComponents(year: period.year, month: period.month, day: 1)) ?? .distantPast
        let end = calendar.date(from: DateComponents(year: period.next.year, month: period.next.month, day: 1)) ?? .distantFuture
        let payments = try await FeePaymentModel.query(on: database).filter(\.$marketID == uuid)
            .filter(\.$paidAt >= start).filter(\.$paidAt < end).sort(\.$paidAt, .descending).all()

        // Daily tickets paid in the month count among the money collected.
        let tickets = try await FeeTicketModel.query(on: database).filter(\.$marketID == uuid).filter(\.$status == FeeTicketModel.Status.paid.rawValue)
            .filter(\.$paidAt >= start).filter(\.$paidAt < end).all()
        let allBills = try await FeeBillModel.query(on: database).filter(\.$marketID == uuid).filter(\.$period <= period.iso).all()
        let openBills = allBills.compactMap { bill -> FeeReport.OpenBill? in
            guard let id = bill.id, let billPeriod = FeePeriod(bill.period), let stall = byID[bill.stallID],
                  let billFigures = figures.bills[id.uuidString], !billFigures.isCancelled, billFigures.amountRemaining > 0 else { return nil }
            return FeeReport.OpenBill(stallNumber: stall.number, stallName: stall.name, phone: stall.phone ?? "", period: billPeriod,
                                      remaining: billFigures.amountRemaining)
        }
        let report = FeeReport(
            period: period,
            bills: lines.map { line in
                let stall = byID[line.bill.stallID]
                return FeeReport.BillRow(stallNumber: line.stallNumber, stallName: stall?.name ?? "", phone: stall?.phone ?? "",
                                         line: line.bill.lineName, figures: line.figures)
            },
            payments: payments.filter { !reversedPayments.contains($0.id ?? UUID()) }.map { FeeReport.Payment(amount: $0.amount, isCash: $0.isCash) }
                + tickets.map { FeeReport.Payment(amount: $0.amountReceived, isCash: $0.method == FeePaymentModel.Method.cash.rawValue) },
            openBills: openBills, today: Day(Date(), in: timeZone))
        return PeriodReport(
            market: market, report: report, lines: lines,
            payments: payments.map { ($0, byID[$0.stallID]?.number ?? "", reversedPayments.contains($0.id ?? UUID())) }, stalls: stalls)
    }
}

extension FeeService {
    /// Fees billed, paid and collected (cashless share by count and value) for every market the
    /// caller may read, for a month: the commune's figures (issue 15), read by the indicators.
    func figures(period: FeePeriod) async throws -> [PeriodReport] {
        var reports: [PeriodReport] = []
        for summary in try await RegistryService(database: database, user: user).visibleMarkets() {
            guard let id = summary.market.id?.uuidString else { continue }
            do {
                reports.append(try await report(market: id, period: period))
            } catch let error as AppError where [.notFound, .forbidden].contains(error.status) {
                continue
            }
        }
        return reports
    }
}
