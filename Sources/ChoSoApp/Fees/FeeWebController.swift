import ChoSoCore
import Spreadsheet
import VietQR
import Vapor

/// The market board's fees page (issue 15): a month's bills, what was collected and how, arrears
/// by age, cash payments with receipts, the fee account, meter readings, tariffs and exports.
struct FeeWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", ":marketId", "fees", use: page)
        routes.get("markets", ":marketId", "fees.xlsx", use: exportXLSX)
        routes.get("markets", ":marketId", "fees.csv", use: exportCSV)
        routes.post("markets", ":marketId", "fees", "bills", use: issue)
        routes.post("markets", ":marketId", "fees", "cash", use: cash)
        routes.post("markets", ":marketId", "fees", "account", use: account)
        routes.post("markets", ":marketId", "fees", "meters", use: meter)
        routes.post("markets", ":marketId", "fees", "tariffs", use: tariff)
        routes.post("market-account-changes", ":changeId", "confirm", use: confirmAccount)
        routes.post("market-account-changes", ":changeId", "reject", use: rejectAccount)
        routes.post("fee-payments", ":paymentId", "reverse", use: reverse)
        routes.post("markets", ":marketId", "fees", "reminders", use: remind)
    }

    struct Tile: Encodable, Sendable { var label: String, value: String, detail: String? }
    struct BillRow: Encodable, Sendable {
        var id: String, stall: String, line: String, basis: String, due: String, paid: String, remaining: String, status: String, statusLabel: String, code: String
    }
    struct ArrearsRow: Encodable, Sendable {
        var stallId: String, stall: String, name: String, phone: String, upTo30: String, from31To60: String, over60: String, total: String
    }
    struct PaymentRow: Encodable, Sendable {
        var id: String, time: String, stall: String, method: String, amount: String, receipt: String, reversed: Bool
    }
    struct Option: Encodable, Sendable { var id: String, label: String }
    struct AccountView: Encodable, Sendable { var bank: String, number: String, holder: String }
    struct ChangeView: Encodable, Sendable { var id: String, bank: String, number: String, holder: String, requestedAt: String, mine: Bool }
    struct ReadingRow: Encodable, Sendable { var stall: String, previous: Int64, current: Int64, used: Int64 }
    struct TariffRow: Encodable, Sendable { var decision: String, from: String, to: String, lines: [String] }

    struct Content: Encodable, Sendable {
        var marketId: String
        var marketName: String
        var period: String
        var periodISO: String
        var previousISO: String
        var nextISO: String
        var totals: [Tile]
        var collection: [Tile]
        var share: String
        var shareWidth: Int
        var bills: [BillRow]
        var arrears: [ArrearsRow]
        var payments: [PaymentRow]
        var stalls: [Option]
        var canManage: Bool
        /// Up to one month ahead.
        var canIssue: Bool
        var account: AccountView?
        var changes: [ChangeView]
        var banks: [MarketsWebController.BankOption]
        var readings: [ReadingRow]
        var tariffs: [TariffRow]
        /// Leaf takes an empty list for true: the page asks these instead.
        var has: [String: Bool] = [:]
    }

    private func marketID(_ req: Request) -> String { req.parameters.get("marketId") ?? "" }

    private func period(_ req: Request) throws -> FeePeriod {
        let thisMonth = FeePeriod(containing: Day(Date(), in: req.application.choSoConfig.timeZone))
        return try FeeAPIController.period(req.query[String.self, at: "period"], default: thisMonth)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let period = try period(req)
        let fees = try req.fees
        let found = try await fees.report(market: marketID(req), period: period)
        let language = req.language
        let timeZone = req.application.choSoConfig.timeZone
        let report = found.report
        let money = { (value: Int64) in Money(dong: value).formatted }
        let marketUUID = try found.market.requireID()
        let canManage = (try? await fees.managedMarket(marketUUID.uuidString)) != nil
        let accounts = try req.marketAccounts
        let current = try await accounts.current(market: marketUUID)
        let bankName = { (bin: String) in BankDirectory.bundled.bank(bin: bin)?.shortName ?? bin }
        let user = try req.requireUser()
        let numbers = Dictionary(found.stalls.compactMap { stall in stall.id.map { ($0, stall.number) } }, uniquingKeysWith: { first, _ in first })
        let content = Content(
            marketId: marketUUID.uuidString, marketName: found.market.name, period: period.vietnamese, periodISO: period.iso,
            previousISO: period.previous.iso, nextISO: period.next.iso,
            totals: [
                Tile(label: FeeStrings.all["feesDue"]!.text(in: language), value: money(report.totals.billed),
                     detail: LocalizedText(vi: "\(report.totals.billCount) khoản", en: "\(report.totals.billCount) bills").text(in: language)),
                Tile(label: FeeStrings.all["feesPaid"]!.text(in: language), value: money(report.totals.paid),
                     detail: LocalizedText(vi: "\(report.totals.paidCount) khoản nộp đủ", en: "\(report.totals.paidCount) paid in full").text(in: language)),
                Tile(label: FeeStrings.all["feesRemaining"]!.text(in: language), value: money(report.totals.remaining),
                     detail: LocalizedText(vi: "\(report.totals.partlyPaidCount) nộp một phần, \(report.totals.unpaidCount) chưa nộp",
                                           en: "\(report.totals.partlyPaidCount) partly paid, \(report.totals.unpaidCount) unpaid").text(in: language)),
            ],
            collection: [
                Tile(label: FeeStrings.all["feesByTransfer"]!.text(in: language), value: money(report.collection.transferAmount),
                     detail: LocalizedText(vi: "\(report.collection.transferCount) lần", en: "\(report.collection.transferCount) payments").text(in: language)),
                Tile(label: FeeStrings.all["feesInCash"]!.text(in: language), value: money(report.collection.cashAmount),
                     detail: LocalizedText(vi: "\(report.collection.cashCount) lần", en: "\(report.collection.cashCount) payments").text(in: language)),
                Tile(label: LocalizedText(vi: "Số lần không dùng tiền mặt", en: "Cashless payments").text(in: language), value: report.collection.countShare.text,
                     detail: "\(report.collection.transferCount)/\(report.collection.count)"),
            ],
            share: report.collection.valueShare.text, shareWidth: (report.collection.valueShare.permille ?? 0) / 10,
            bills: found.lines.map { line in
                BillRow(id: line.bill.id?.uuidString ?? "", stall: line.stallNumber, line: line.bill.lineName, basis: line.bill.basis,
                        due: money(line.figures.amountDue), paid: money(line.figures.amountPaid), remaining: money(max(0, line.figures.amountRemaining)),
                        status: line.figures.status.rawValue, statusLabel: FeeReport.statusLabel(line.figures.status).text(in: language), code: line.bill.code)
            },
            arrears: report.arrears.map { row in
                ArrearsRow(stallId: found.stalls.first { $0.number == row.stallNumber }?.id?.uuidString ?? "", stall: row.stallNumber, name: row.stallName, phone: row.phone, upTo30: money(row.upTo30), from31To60: money(row.from31To60),
                           over60: money(row.over60), total: money(row.total))
            },
            payments: found.payments.map { entry in
                PaymentRow(id: entry.payment.id?.uuidString ?? "", time: CashierWebController.clock(timeZone).string(from: entry.payment.paidAt)
                            + " " + Day(entry.payment.paidAt, in: timeZone).vietnamese,
                           stall: entry.stallNumber, method: FeeStrings.all[entry.payment.isCash ? "feesInCash" : "feesByTransfer"]!.text(in: language),
                           amount: money(entry.payment.amount), receipt: entry.payment.receiptNumber, reversed: entry.reversed)
            },
            stalls: found.stalls.filter(\.isActive).sorted { StallNumberOrder.precedes($0.number, $1.number) }
                .map { Option(id: $0.id?.uuidString ?? "", label: "\($0.number) — \($0.name)") },
            canManage: canManage,
            canIssue: canManage && period <= FeePeriod(containing: Day(Date(), in: timeZone)).next,
            account: current.map { AccountView(bank: bankName($0.bin), number: $0.accountNumber, holder: $0.holderName) },
            changes: try await accounts.pending(market: marketUUID).map { change in
                ChangeView(id: change.id?.uuidString ?? "", bank: bankName(change.bin), number: change.accountNumber, holder: change.holderName,
                           requestedAt: Day(change.requestedAt, in: timeZone).vietnamese, mine: change.requestedBy == user.id)
            },
            banks: MarketsWebController.bankOptions(selected: nil).filter { BankDirectory.bundled.bank(bin: $0.bin)?.accountKind == .bank },
            readings: try await fees.readings(market: marketUUID.uuidString, period: period).map { reading in
                ReadingRow(stall: numbers[reading.stallID] ?? "", previous: reading.previousIndex, current: reading.currentIndex,
                           used: reading.currentIndex - reading.previousIndex)
            }.sorted { StallNumberOrder.precedes($0.stall, $1.stall) },
            tariffs: try await fees.tariffs(market: marketUUID.uuidString).compactMap { row in
                guard let version = row.version else { return nil }
                return TariffRow(
                    decision: "\(version.decision.number) (\(version.decision.date.vietnamese), \(version.decision.issuer))",
                    from: version.effectiveFrom.vietnamese, to: version.effectiveTo?.vietnamese ?? "",
                    lines: version.lines.map { Self.describe($0, language) })
            })
        var shown = content
        shown.has = ["bills": !content.bills.isEmpty, "arrears": !content.arrears.isEmpty, "payments": !content.payments.isEmpty,
                     "readings": !content.readings.isEmpty, "tariffs": !content.tariffs.isEmpty]
        return try await req.renderPage("fees", title: .init(vi: "Phí chợ \(period.vietnamese) — \(found.market.name)", en: "Market fees \(period.vietnamese) — \(found.market.name)"), shown)
    }

    static func describe(_ line: FeeLine, _ language: Language) -> String {
        switch line.kind {
        case .rentPerSquareMetre(let prices):
            return line.name + ": " + PositionClass.allCases.compactMap { position in
                prices[position].map { "\(position.label.text(in: language)) \(Money(dong: $0).formatted)/m²" }
            }.joined(separator: ", ")
        case .flatMonthly(let amount), .cleaningMonthly(let amount): return "\(line.name): \(Money(dong: amount).formatted)/\(language == .vi ? "tháng" : "month")"
        case .electricityPerKWh(let price): return "\(line.name): \(Money(dong: price).formatted)/kWh"
        case .dailyTicket(let price): return "\(line.name): \(Money(dong: price).formatted)/\(language == .vi ? "lượt" : "ticket")"
        }
    }

    // MARK: Actions — each says what happened, or why not, on the page it came from.

    private func back(_ req: Request, period: String? = nil, anchor: String, _ change: () async throws -> LocalizedText) async throws -> Response {
        do {
            req.flash(try await change())
        } catch let error as AppError where [.unprocessableEntity, .conflict, .badRequest].contains(error.status) {
            let message = error.fieldErrors.first?.message ?? error.message
            req.flash(message)
        }
        let query = period.flatMap(FeePeriod.init).map { "?period=\($0.iso)" } ?? ""
        return req.redirectAfterPost(to: "/markets/\(marketID(req))/fees\(query)#\(anchor)")
    }

    struct PeriodForm: Vapor.Content { var period: String? }

    @Sendable func issue(req: Request) async throws -> Response {
        let form = try req.content.decode(PeriodForm.self)
        return try await back(req, period: form.period, anchor: "bills") {
            guard let period = form.period.flatMap(FeePeriod.init) else {
                throw AppError.invalid(ValidationFailure(FieldError(field: "period", code: "bad_period", message: .init(vi: "Kỳ phí theo dạng YYYY-MM", en: "A period is YYYY-MM"))))
            }
            let run = try await req.fees.bill(market: marketID(req), period: period)
            let ordered = run.skipped.sorted { StallNumberOrder.precedes($0.stall, $1.stall) }
            var skipped = ordered.isEmpty ? "" : " " + ordered.prefix(5).map { "\($0.stall) (\($0.line)): \($0.reason.label.text(in: req.language))" }.joined(separator: "; ")
            if ordered.count > 5 {
                skipped += LocalizedText(vi: " và \(ordered.count - 5) khoản khác bỏ qua", en: " and \(ordered.count - 5) more left out").text(in: req.language)
            }
            return LocalizedText(vi: "Đã lập \(run.created) phiếu mới, \(run.existing) phiếu đã có." + skipped,
                                 en: "\(run.created) new bills, \(run.existing) already issued." + skipped)
        }
    }

    struct CashForm: Vapor.Content { var stallId: String?, amount: String?, payer: String?, note: String?, period: String?, _once: String? }

    @Sendable func cash(req: Request) async throws -> Response {
        let form = try req.content.decode(CashForm.self)
        // Back to the month the money is taken in, where the payment and its receipt are listed.
        let thisMonth = FeePeriod(containing: Day(Date(), in: req.application.choSoConfig.timeZone)).iso
        return try await back(req, period: thisMonth, anchor: "payments") {
            let amount: Int64?
            switch Money.parseTyped(form.amount ?? "") {
            case .success(let money): amount = money.dong
            case .failure(let error): throw AppError.invalid(ValidationFailure(error.fieldError()))
            }
            let payment = try await req.feePayments.recordCash(
                market: marketID(req), stallID: form.stallId, amount: amount, payer: form.payer, note: form.note, requestKey: form._once.map { "web:" + $0 })
            return LocalizedText(vi: "Đã thu \(Money(dong: payment.amount).formatted), biên lai \(payment.receiptNumber).",
                                 en: "\(Money(dong: payment.amount).formatted) collected, receipt \(payment.receiptNumber).")
        }
    }

    struct AccountForm: Vapor.Content { var bin: String?, accountNumber: String?, holderName: String?, period: String? }

    @Sendable func account(req: Request) async throws -> Response {
        let form = try req.content.decode(AccountForm.self)
        return try await back(req, period: form.period, anchor: "account") {
            switch try await req.marketAccounts.register(market: marketID(req), ReceivingAccountInput(
                kind: AccountKind.bank.rawValue, bin: form.bin ?? "", accountNumber: form.accountNumber ?? "", holderName: form.holderName ?? "")) {
            case .applied: return LocalizedText(vi: "Đã đăng ký tài khoản thu phí.", en: "The fee account is registered.")
            case .pending: return LocalizedText(vi: "Đã gửi đề nghị đổi tài khoản: cần một người khác trong ban quản lý xác nhận.",
                                                en: "Change requested: another board member must confirm it.")
            }
        }
    }

    @Sendable func confirmAccount(req: Request) async throws -> Response { try await decideAccount(req, confirm: true) }
    @Sendable func rejectAccount(req: Request) async throws -> Response { try await decideAccount(req, confirm: false) }

    private func decideAccount(_ req: Request, confirm: Bool) async throws -> Response {
        let change = try await req.marketAccounts.decide(change: req.parameters.get("changeId") ?? "", confirm: confirm)
        req.flash(confirm ? LocalizedText(vi: "Đã xác nhận: tài khoản thu phí mới đang dùng.", en: "Confirmed: the new fee account is in use.")
                          : LocalizedText(vi: "Đã từ chối đề nghị đổi tài khoản.", en: "The change was rejected."))
        return req.redirectAfterPost(to: "/markets/\(change.marketID.uuidString)/fees#account")
    }

    struct MeterForm: Vapor.Content { var stallId: String?, period: String?, previous: String?, current: String? }

    @Sendable func meter(req: Request) async throws -> Response {
        let form = try req.content.decode(MeterForm.self)
        return try await back(req, period: form.period, anchor: "meters") {
            guard let period = form.period.flatMap(FeePeriod.init) else {
                throw AppError.invalid(ValidationFailure(FieldError(field: "period", code: "bad_period", message: .init(vi: "Kỳ phí theo dạng YYYY-MM", en: "A period is YYYY-MM"))))
            }
            let index = { (text: String?) -> Int64? in text.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) } }
            if let text = form.current, !text.trimmingCharacters(in: .whitespaces).isEmpty, index(text) == nil {
                throw AppError.invalid(ValidationFailure(FieldError(field: "current", code: "bad_index", message: .init(
                    vi: "Chỉ số công tơ là số nguyên không âm", en: "A meter index is a whole number, not negative"))))
            }
            let reading = try await req.fees.recordReading(market: marketID(req), stallID: form.stallId, period: period,
                                                           previous: index(form.previous), current: index(form.current))
            return LocalizedText(vi: "Đã lưu chỉ số: dùng \(reading.currentIndex - reading.previousIndex) kWh.",
                                 en: "Reading saved: \(reading.currentIndex - reading.previousIndex) kWh used.")
        }
    }

    struct TariffForm: Vapor.Content {
        var decisionNumber: String?, decisionDate: String?, issuer: String?, effectiveFrom: String?
        var rentFront: String?, rentInner: String?, rentOutdoor: String?, cleaning: String?, electricity: String?, ticket: String?, period: String?
    }

    @Sendable func tariff(req: Request) async throws -> Response {
        let form = try req.content.decode(TariffForm.self)
        return try await back(req, period: form.period, anchor: "tariffs") {
            let version = try TariffInput(
                decisionNumber: form.decisionNumber ?? "", decisionDate: form.decisionDate ?? "", issuer: form.issuer ?? "",
                effectiveFrom: form.effectiveFrom ?? "",
                rent: [.frontRow: form.rentFront ?? "", .innerRow: form.rentInner ?? "", .outdoor: form.rentOutdoor ?? ""],
                cleaning: form.cleaning ?? "", electricity: form.electricity ?? "", ticket: form.ticket ?? "").validate().valueOrInvalid()
            _ = try await req.fees.addTariff(market: marketID(req), version)
            return LocalizedText(vi: "Đã lưu biểu phí theo quyết định \(version.decision.number).", en: "Tariff of decision \(version.decision.number) saved.")
        }
    }

    struct StallForm: Vapor.Content { var stallId: String?, period: String? }

    @Sendable func remind(req: Request) async throws -> Response {
        let form = try req.content.decode(StallForm.self)
        return try await back(req, period: form.period, anchor: "arrears") {
            let said = try await req.fees.remind(market: marketID(req), stallID: form.stallId, events: req.application.intake.events)
            return LocalizedText(vi: "Đã gửi nhắc tới màn hình của quầy: “\(said)”", en: "Reminder sent to the stall's screen: “\(said)”")
        }
    }

    struct ReverseForm: Vapor.Content { var reason: String? }

    @Sendable func reverse(req: Request) async throws -> Response {
        let form = try req.content.decode(ReverseForm.self)
        let id = req.parameters.get("paymentId") ?? ""
        guard let uuid = UUID(uuidString: id), let payment = try await FeePaymentModel.find(uuid, on: req.db) else { throw AppError.notFound }
        req.parameters.set("marketId", to: payment.marketID.uuidString)
        let period = FeePeriod(containing: Day(payment.paidAt, in: req.application.choSoConfig.timeZone)).iso
        return try await back(req, period: period, anchor: "payments") {
            let reversed = try await req.feePayments.reverse(payment: id, reason: form.reason)
            return LocalizedText(vi: "Đã huỷ khoản thu, biên lai \(reversed.receiptNumber).", en: "Payment reversed, receipt \(reversed.receiptNumber).")
        }
    }

    // MARK: Exports

    private func sheet(_ req: Request) async throws -> (ReportSheet, String) {
        let period = try period(req)
        let found = try await req.fees.report(market: marketID(req), period: period)
        let issued = Day(Date(), in: req.application.choSoConfig.timeZone)
        let issuer = "Ban quản lý \(found.market.kind == MarketKind.street.rawValue ? "" : "chợ ")\(ReportsWebController.withoutPrefix(found.market.name, ["Chợ "]))"
        let place = ReportsWebController.withoutPrefix(try await req.reports.issuingPlace(of: found.market),
                                                       ["Thành phố ", "Thị trấn ", "Huyện ", "Tỉnh ", "Phường ", "Xã ", "TP "])
        return (found.report.sheet(issuer: issuer, place: place, issued: issued), "choso-phi-cho-\(period.iso)")
    }

    @Sendable func exportCSV(req: Request) async throws -> Response {
        let (sheet, name) = try await sheet(req)
        return ReportsWebController.download(sheet.csv, name: "\(name).csv", type: "text/csv; charset=utf-8")
    }

    @Sendable func exportXLSX(req: Request) async throws -> Response {
        let (sheet, name) = try await sheet(req)
        return ReportsWebController.download(ReportsWebController.xlsx(sheet), name: "\(name).xlsx",
                                             type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
}
