import ChoSoCore
import QRImage
import VietQR
import Vapor

/// What a stall owes in fees and its receipts (the keeper's page), a bill's printable slip with
/// its VietQR, and the public receipt page `/bien-lai/{number}` (issue 15).
struct FeeStallWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "fees", use: stallPage)
        routes.get("stalls", ":stallId", "fees", "qr.png", use: stallQR)
        routes.get("fee-bills", ":billId", "slip", use: slip)
        routes.get("fee-bills", ":billId", "qr.png", use: billQR)
        let receipts = routes.rateLimited(.receipts)
        receipts.get("bien-lai", ":number", use: receipt)
        receipts.get("bien-lai", ":number", "qr.png", use: receiptQR)
    }

    struct BillView: Encodable, Sendable {
        var id: String, title: String, period: String, due: String, paid: String, remaining: String, status: String, statusLabel: String
        var code: String, basis: String, isOpen: Bool, qrUrl: String
    }
    struct ReceiptView: Encodable, Sendable { var number: String, amount: String, time: String, method: String, reversed: Bool }

    struct StallContent: Encodable, Sendable {
        var stallId: String, stallNumber: String, stallName: String, marketName: String
        var owes: String, owesNothing: Bool, credit: String?, qrUrl: String?, code: String?
        var open: [BillView], bills: [BillView], receipts: [ReceiptView]
        /// Leaf takes an empty list for true.
        var hasOpen: Bool, hasReceipts: Bool
    }

    static func billView(_ line: FeeService.BillLine, _ language: Language) -> BillView {
        let period = FeePeriod(line.bill.period)?.vietnamese ?? line.bill.period
        let id = line.bill.id?.uuidString ?? ""
        return BillView(
            id: id, title: "\(line.bill.lineName) \(language == .vi ? "tháng" : "for") \(period)", period: period,
            due: Money(dong: line.figures.amountDue).formatted, paid: Money(dong: line.figures.amountPaid).formatted,
            remaining: Money(dong: max(0, line.figures.amountRemaining)).formatted, status: line.figures.status.rawValue,
            statusLabel: FeeReport.statusLabel(line.figures.status).text(in: language), code: line.bill.code, basis: line.bill.basis,
            isOpen: !line.figures.isCancelled && line.figures.amountRemaining > 0,
            // The remaining amount in the URL names one image: it changes when money arrives.
            qrUrl: "/fee-bills/\(id)/qr.png?remaining=\(line.figures.amountRemaining)")
    }

    @Sendable func stallPage(req: Request) async throws -> Response {
        let fees = try await req.feePayments.stallFees(req.parameters.get("stallId") ?? "")
        let language = req.language
        let timeZone = req.application.choSoConfig.timeZone
        let bills = fees.bills.map { Self.billView($0, language) }
        let payAll = try fees.payAllPayload()
        let content = StallContent(
            stallId: fees.stall.id?.uuidString ?? "", stallNumber: fees.stall.number, stallName: fees.stall.name, marketName: fees.stall.market.name,
            owes: Money(dong: max(0, fees.balance)).formatted, owesNothing: fees.balance <= 0,
            credit: fees.credit > 0 ? Money(dong: fees.credit).formatted : nil,
            qrUrl: payAll.map { "/stalls/\(fees.stall.id?.uuidString ?? "")/fees/qr.png?amount=\($0.amount)" }, code: payAll?.code,
            open: bills.filter(\.isOpen).reversed(), bills: bills,
            receipts: fees.payments.map { payment in
                ReceiptView(number: payment.receiptNumber, amount: Money(dong: payment.amount).formatted,
                            time: Day(payment.paidAt, in: timeZone).vietnamese,
                            method: FeeStrings.all[payment.isCash ? "feesInCash" : "feesByTransfer"]!.text(in: language),
                            reversed: fees.reversedPayments.contains(payment.id ?? UUID()))
            }, hasOpen: bills.contains(where: \.isOpen), hasReceipts: !fees.payments.isEmpty)
        return try await req.renderPage("stall-fees", title: .init(vi: "Phí chợ — quầy \(fees.stall.number)", en: "Market fees — stall \(fees.stall.number)"), content)
    }

    /// The till's fee box: "Phí chợ tháng 12/2026: 450.000 đ" for each month owed, and one QR.
    struct TillFees: Encodable, Sendable { var lines: [String], total: String, code: String?, qrUrl: String? }

    static func tillFees(_ req: Request, stallID: String) async throws -> TillFees? {
        let fees = try await req.feePayments.stallFees(stallID)
        guard fees.balance > 0 else { return nil }
        var byPeriod: [(period: String, amount: Int64)] = []
        for line in fees.openLines {
            let period = FeePeriod(line.bill.period)?.vietnamese ?? line.bill.period
            if byPeriod.last?.period == period { byPeriod[byPeriod.count - 1].amount += line.figures.amountRemaining }
            else { byPeriod.append((period, line.figures.amountRemaining)) }
        }
        let month = req.language == .vi ? "Phí chợ tháng" : "Market fees for"
        let payAll = try fees.payAllPayload()
        return TillFees(
            lines: byPeriod.map { "\(month) \($0.period): \(Money(dong: $0.amount).formatted)" },
            total: Money(dong: fees.balance).formatted, code: payAll?.code,
            qrUrl: payAll.map { "/stalls/\(stallID)/fees/qr.png?amount=\($0.amount)" })
    }

    @Sendable func stallQR(req: Request) async throws -> Response {
        let fees = try await req.feePayments.stallFees(req.parameters.get("stallId") ?? "")
        guard let payAll = try fees.payAllPayload(), let symbol = QRSymbol(payAll.payload) else { throw AppError.notFound }
        return Self.png(symbol, payload: payAll.payload, cache: "private, no-cache", req: req)
    }

    struct SlipContent: Encodable, Sendable {
        var bill: BillView, stallNumber: String, stallName: String, marketName: String
        var bank: String?, accountNumber: String?, holder: String?
    }

    @Sendable func slip(req: Request) async throws -> Response {
        let id = req.parameters.get("billId") ?? ""
        let (line, _) = try await req.feePayments.bill(id)
        let fees = try await req.feePayments.stallFees(line.bill.stallID.uuidString)
        let content = SlipContent(
            bill: Self.billView(line, req.language), stallNumber: fees.stall.number, stallName: fees.stall.name, marketName: fees.stall.market.name,
            bank: fees.account.map { BankDirectory.bundled.bank(bin: $0.bin)?.shortName ?? $0.bin }, accountNumber: fees.account?.accountNumber,
            holder: fees.account?.holderName)
        return try await req.renderPage("fee-slip", title: .init(vi: "Phiếu thu phí chợ \(line.bill.code)", en: "Market fee slip \(line.bill.code)"), content)
    }

    @Sendable func billQR(req: Request) async throws -> Response {
        let (_, payload) = try await req.feePayments.bill(req.parameters.get("billId") ?? "")
        guard let payload, let symbol = QRSymbol(payload) else { throw AppError.notFound }
        return Self.png(symbol, payload: payload, cache: "private, no-cache", req: req)
    }

    /// A fee QR as PNG. Its ETag comes from the payload, so a phone that asks again on a warm cache
    /// gets a 304 unless what is owed (and so the code) has changed.
    static func png(_ symbol: QRSymbol, payload: String, cache: String, req: Request) -> Response {
        let etag = QRCodeService.etag(format: .png, scale: 6, payload: payload)
        if req.headers.first(name: .ifNoneMatch) == etag {
            return Response(status: .notModified, headers: ["ETag": etag, "Cache-Control": cache])
        }
        return Response(status: .ok, headers: ["Content-Type": "image/png", "Cache-Control": cache, "ETag": etag],
                        body: .init(data: Data(PNGWriter.png(symbol, scale: 6))))
    }

    // MARK: The public receipt page

    struct ReceiptContent: Encodable, Sendable {
        var found: Bool, number: String
        var marketName: String? = nil, stallNumber: String? = nil, amount: String? = nil, time: String? = nil, method: String? = nil
        var reversed: Bool
        var towards: [String], credit: String? = nil
    }

    @Sendable func receipt(req: Request) async throws -> Response {
        let raw = req.parameters.get("number") ?? ""
        let language = req.language
        let timeZone = req.application.choSoConfig.timeZone
        guard let found = try await FeeReceiptLookup(database: req.db, timeZone: req.application.choSoConfig.timeZone).find(raw) else {
            let content = ReceiptContent(found: false, number: String(raw.prefix(20)), reversed: false, towards: [])
            return try await req.renderPage("receipt", title: .init(vi: "Biên lai thu phí chợ", en: "Market fee receipt"), content, status: .notFound)
        }
        let payment = found.payment
        let content = ReceiptContent(
            found: true, number: payment.receiptNumber, marketName: found.marketName, stallNumber: found.stallNumber,
            amount: Money(dong: payment.amount).formatted,
            time: CashierWebController.clock(timeZone).string(from: payment.paidAt) + " " + Day(payment.paidAt, in: timeZone).vietnamese,
            method: FeeStrings.all[payment.isCash ? "feesInCash" : "feesByTransfer"]!.text(in: language), reversed: found.reversed,
            towards: found.paidTowards.map { "\($0.line) \($0.period): \(Money(dong: $0.amount).formatted)" },
            credit: found.credit > 0 ? Money(dong: found.credit).formatted : nil)
        return try await req.renderPage("receipt", title: .init(vi: "Biên lai \(payment.receiptNumber)", en: "Receipt \(payment.receiptNumber)"), content)
    }

    @Sendable func receiptQR(req: Request) async throws -> Response {
        guard let number = FeeReceipt.normalized(req.parameters.get("number") ?? ""),
              case let link = "\(req.application.choSoConfig.publicURL)/bien-lai/\(number)", let symbol = QRSymbol(link) else { throw AppError.notFound }
        return Self.png(symbol, payload: link, cache: "public, max-age=86400", req: req)
    }
}
