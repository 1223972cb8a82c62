import ChoSoCore
import Foundation
import Vapor

/// Market fees through the API (issue 15): a period's bills with what is paid, and issuing them.
struct FeeAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", ":marketId", "fees", use: period)
        routes.post("markets", ":marketId", "fees", "bills", use: bill)
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
        let bills = try await req.fees.bills(market: marketID(req), period: period).map(FeeBillDTO.init)
        return FeePeriodDTO(
            period: period.iso, billed: bills.reduce(0) { $0 + $1.amountDue }, paid: bills.reduce(0) { $0 + $1.amountPaid },
            remaining: bills.reduce(0) { $0 + max(0, $1.amountRemaining) }, bills: bills)
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
}
