import ChoSoCore
import Fluent
import Vapor
import VietQR

/// The market board's "Tiền về & đối soát" page: webhook connections (with "send a test"), the
/// statement upload with its preview, and the inbox of transfers that need a person.
struct IntakeWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("markets", ":marketId", "intake", use: page)
        routes.post("markets", ":marketId", "connections", use: createConnection)
        routes.post("connections", ":connectionId", "test", use: testConnection)
        routes.post("connections", ":connectionId", "rotate", use: rotateConnection)
        routes.post("connections", ":connectionId", "delete", use: deleteConnection)
        routes.on(.POST, "markets", ":marketId", "statements", body: .collect(maxSize: "16mb"), use: importStatement)
        routes.post("transfers", ":transferId", "assign", use: assign)
        routes.post("transfers", ":transferId", "refund", use: refund)
        routes.post("transfers", ":transferId", "dismiss", use: dismiss)
        routes.post("transfers", ":transferId", "refunded", use: refunded)
        routes.post("transfers", ":transferId", "fee", use: assignFee)
    }

    struct ConnectionRow: Encodable, Sendable {
        var id: String, provider: String, label: String?, auth: String, url: String, hint: String, createdAt: String, needsKeyToTest: Bool
    }

    struct Option: Encodable, Sendable { var id: String, label: String }

    struct InboxRow: Encodable, Sendable {
        var id: String, time: String, amount: String, status: String, statusLabel: String
        var description: String, account: String, sender: String, reason: String
        /// Paid to the market's fee account: the board gives it to a stall's fees.
        var toFeeAccount: Bool
    }

    struct RefundRow: Encodable, Sendable {
        var id: String, time: String, amount: String, stall: String, sender: String, account: String, note: String
    }

    struct Shown: Encodable, Sendable { var title: String, lines: [String], isError: Bool }

    struct IntakeContent: Encodable, Sendable {
        var marketId: String
        var marketName: String
        var connections: [ConnectionRow]
        var hasConnections: Bool
        var providers: [Option]
        var accounts: [Option]
        var layouts: [Option]
        var stalls: [Option]
        var inbox: [InboxRow]
        var hasInbox: Bool
        /// Money to give back, still to do (shown apart from takings).
        var refunds: [RefundRow]
        var form: FormState
        /// A secret shown once, a test result or an import report.
        var shown: Shown?
    }

    static func statusLabel(_ status: String) -> LocalizedText {
        switch status {
        case "unmatched": LocalizedText(vi: "Chưa rõ quầy", en: "No stall")
        case "fee": LocalizedText(vi: "Phí chợ", en: "Market fee")
        case "late": LocalizedText(vi: "Đến trễ", en: "Late")
        case "duplicate_payment": LocalizedText(vi: "Trả hai lần", en: "Paid twice")
        case "overpaid": LocalizedText(vi: "Chuyển dư", en: "Over-paid")
        case "underpaid": LocalizedText(vi: "Chuyển thiếu", en: "Under-paid")
        case "paid": LocalizedText(vi: "Đã trả đủ", en: "Paid")
        case "outgoing": LocalizedText(vi: "Tiền ra", en: "Money out")
        default: LocalizedText(vi: "Khách chuyển", en: "Walk-in")
        }
    }

    /// What a board member chooses from: the service first, the technical mode in brackets.
    static let providerChoices: [(id: String, label: LocalizedText)] = [
        ("sepay:api_key", LocalizedText(vi: "Nhận báo có từ SePay (khoá API, cách thường dùng)", en: "Notifications from SePay (API key, the usual way)")),
        ("sepay:hmac", LocalizedText(vi: "Nhận báo có từ SePay (chữ ký)", en: "Notifications from SePay (signed)")),
        ("casso:v2", LocalizedText(vi: "Nhận báo có từ Casso (cách thường dùng)", en: "Notifications from Casso (the usual way)")),
        ("casso:secure_token", LocalizedText(vi: "Nhận báo có từ Casso (mã bảo mật, kiểu cũ)", en: "Notifications from Casso (secure token, older)")),
        ("payos:checksum", LocalizedText(vi: "Nhận báo có từ payOS", en: "Notifications from payOS")),
        ("generic:hmac", LocalizedText(vi: "Phần mềm khác gửi theo mẫu của Chợ Số (chữ ký)", en: "Other software using ChoSo's format (signed)")),
    ]

    /// How deliveries are checked, for the folded technical detail.
    static func authLabel(_ auth: String) -> LocalizedText {
        switch auth {
        case "api_key": LocalizedText(vi: "khoá API gửi kèm mỗi báo có", en: "an API key sent with each notification")
        case "hmac": LocalizedText(vi: "chữ ký HMAC-SHA256 trên nội dung", en: "an HMAC-SHA256 signature of the body")
        case "v2": LocalizedText(vi: "chữ ký Casso Webhook V2 (HMAC-SHA512)", en: "Casso Webhook V2 signature (HMAC-SHA512)")
        case "secure_token": LocalizedText(vi: "mã bảo mật Secure-Token", en: "a Secure-Token")
        case "checksum": LocalizedText(vi: "chữ ký payOS bằng khoá checksum", en: "payOS signature with the checksum key")
        default: LocalizedText(vi: auth, en: auth)
        }
    }

    func render(_ req: Request, marketID: String, form: FormState = FormState(), shown: Shown? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let connections = try req.connections
        let transfers = try req.transfers
        let inbox = try await transfers.inbox(marketID: marketID)
        let refunds = try await transfers.openRefunds(marketID: marketID)
        guard let uuid = UUID(uuidString: marketID), let market = try await MarketModel.find(uuid, on: req.db) else { throw AppError.notFound }
        let language = req.language
        let timeZone = req.application.choSoConfig.timeZone
        let stalls = try await StallModel.query(on: req.db).filter(\.$market.$id == uuid).filter(\.$isActive == true)
            .with(\.$accounts).all().sorted { StallNumberOrder.precedes($0.number, $1.number) }
        let marketAccounts = try await MarketAccountModel.query(on: req.db).filter(\.$marketID == uuid).all()
        let feeAccounts = Set(marketAccounts.map(\.accountNumber))
        let feeAccountOptions = marketAccounts.filter { $0.activeMarket != nil }.map { account in
            Option(id: account.id?.uuidString ?? "", label: "\(LocalizedText(vi: "Thu phí chợ", en: "Market fees").text(in: req.language)) · \(BankDirectory.bundled.bank(bin: account.bin)?.shortName ?? account.bin) · \(account.accountNumber)")
        }
        let accounts = feeAccountOptions + stalls.flatMap { stall in
            stall.accounts.filter { $0.activeKind != nil }.map { account in
                Option(id: account.id?.uuidString ?? "", label: "\(stall.number) · \(BankDirectory.bundled.bank(bin: account.bin)?.shortName ?? account.bin) · \(account.accountNumber)")
            }
        }
        let connectionRows = try await connections.list(marketID: marketID).map { connection in
            ConnectionRow(
                id: connection.id?.uuidString ?? "", provider: WebhookConnectionKind.Provider(rawValue: connection.provider)?.displayName ?? connection.provider,
                label: connection.label, auth: Self.authLabel(connection.auth).text(in: language), url: connections.webhookURL(connection), hint: connection.secretHint,
                createdAt: Day(connection.createdAt, in: timeZone).vietnamese, needsKeyToTest: connection.secretHash != nil)
        }
        let content = IntakeContent(
            marketId: marketID, marketName: market.name, connections: connectionRows, hasConnections: !connectionRows.isEmpty,
            providers: Self.providerChoices.map { Option(id: $0.id, label: $0.label.text(in: language)) },
            accounts: accounts,
            layouts: [Option(id: "auto", label: LocalizedText(vi: "Tự nhận", en: "Detect").text(in: language))]
                + Statement.Layout.all.map { Option(id: $0.name, label: $0.name) },
            stalls: stalls.map { Option(id: $0.id?.uuidString ?? "", label: "\($0.number) — \($0.name)") },
            inbox: inbox.map { transfer in
                InboxRow(
                    id: transfer.id?.uuidString ?? "", time: Self.time(transfer.bankTime ?? transfer.receivedAt, timeZone: timeZone),
                    amount: Money(dong: transfer.amount).formatted, status: transfer.status,
                    statusLabel: Self.statusLabel(transfer.status).text(in: language), description: transfer.description,
                    account: transfer.accountNumber, sender: transfer.counterAccountName ?? "", reason: transfer.reason.text(in: language),
                    toFeeAccount: transfer.status == TransferStatus.unmatched.rawValue && transfer.direction != "out"
                        && feeAccounts.contains(transfer.accountNumber))
            },
            hasInbox: !inbox.isEmpty,
            refunds: try refunds.map { transfer in
                let owed = Refund.amount(status: TransferStatus(rawValue: transfer.status) ?? .walkIn, amount: transfer.amount, difference: transfer.difference)
                let stall = stalls.first { $0.id == transfer.stallID }.map { "\($0.number) — \($0.name)" } ?? ""
                return RefundRow(
                    id: try transfer.requireID().uuidString, time: Self.time(transfer.effectiveTime, timeZone: timeZone),
                    amount: Money(dong: owed).formatted, stall: stall, sender: transfer.counterAccountName ?? "",
                    account: transfer.counterAccountNumber ?? "", note: transfer.resolutionNote ?? "")
            },
            form: form, shown: shown)
        return try await req.renderPage("intake", title: .init(vi: "Tiền về & đối soát — \(market.name)", en: "Payments & reconciliation — \(market.name)"), content, status: status)
    }

    static func time(_ date: Date, timeZone: TimeZone) -> String {
        let local = BankTime.formatLocal(date, timeZone: timeZone)
        return "\(local.dropFirst(11).prefix(5)) \(Day(date, in: timeZone).vietnamese)"
    }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, marketID: req.parameters.get("marketId") ?? "")
    }

    struct ConnectionForm: Content { var provider: String?, secret: String?, label: String? }
    struct SecretForm: Content { var secret: String? }

    @Sendable func createConnection(req: Request) async throws -> Response {
        let marketID = req.parameters.get("marketId") ?? ""
        let form = try req.content.decode(ConnectionForm.self)
        let parts = (form.provider ?? "").split(separator: ":").map(String.init)
        let service = try req.connections
        do {
            let created = try await service.create(
                provider: parts.first, auth: parts.count > 1 ? parts[1] : nil, secret: form.secret, marketID: marketID, label: form.label)
            return try await render(req, marketID: marketID, shown: Self.secretShown(created, service: service, language: req.language)).shownOnce()
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(
                req, marketID: marketID, form: FormState(values: ["provider": form.provider ?? "", "label": form.label ?? ""], error: error, language: req.language),
                status: .unprocessableEntity)
        }
    }

    static func secretShown(_ created: ConnectionService.Created, service: ConnectionService, language: Language) -> Shown {
        var lines = [LocalizedText(vi: "Địa chỉ webhook: ", en: "Webhook URL: ").text(in: language) + service.webhookURL(created.connection)]
        if let secret = created.generatedSecret {
            lines.append(LocalizedText(vi: "Khoá bí mật (chỉ hiện một lần, hãy chép ngay): ", en: "Secret (shown once, copy it now): ").text(in: language) + secret)
        }
        return Shown(title: LocalizedText(vi: "Đã lưu kết nối", en: "Connection saved").text(in: language), lines: lines, isError: false)
    }

    @Sendable func testConnection(req: Request) async throws -> Response {
        let service = try req.connections
        let connection = try await service.connection(req.parameters.get("connectionId") ?? "", for: .update)
        let secret = try req.content.decode(SecretForm.self).secret
        let language = req.language
        let shown: Shown
        do {
            let result = try await service.sendTest(try connection.requireID().uuidString, secret: secret)
            shown = Shown(
                title: LocalizedText(vi: "Thử kết nối: chữ ký đúng, đọc được nội dung", en: "Test: the signature checks and the body reads").text(in: language),
                lines: [
                    "\(Money(dong: result.transfer.amount).formatted) → \(result.transfer.accountNumber): \(Self.statusLabel(result.decision.status.rawValue).text(in: language))",
                    result.decision.reason.text(in: language),
                    LocalizedText(vi: "Không lưu gì.", en: "Nothing was stored.").text(in: language),
                ], isError: false)
        } catch let error as AppError {
            shown = Shown(title: LocalizedText(vi: "Thử kết nối không thành công", en: "The test failed").text(in: language),
                          lines: [error.message.text(in: language)] + error.fieldErrors.map { $0.message.text(in: language) }, isError: true)
        }
        return try await render(req, marketID: connection.$market.id.uuidString, shown: shown)
    }

    @Sendable func rotateConnection(req: Request) async throws -> Response {
        let service = try req.connections
        let secret = try req.content.decode(SecretForm.self).secret
        let rotated = try await service.rotate(req.parameters.get("connectionId") ?? "", secret: secret)
        return try await render(req, marketID: rotated.connection.$market.id.uuidString, shown: Self.secretShown(rotated, service: service, language: req.language)).shownOnce()
    }

    @Sendable func deleteConnection(req: Request) async throws -> Response {
        let service = try req.connections
        let connection = try await service.connection(req.parameters.get("connectionId") ?? "", for: .deactivate)
        try await service.delete(try connection.requireID().uuidString)
        req.flash(.init(vi: "Đã xoá kết nối: địa chỉ webhook cũ không nhận nữa.", en: "Connection deleted: its webhook URL no longer accepts deliveries."))
        return req.redirectAfterPost(to: "/markets/\(connection.$market.id.uuidString)/intake")
    }

    struct StatementForm: Content {
        var file: File?
        var account: String?
        var layout: String?
        var action: String?
    }

    @Sendable func importStatement(req: Request) async throws -> Response {
        let marketID = req.parameters.get("marketId") ?? ""
        let form = try req.content.decode(StatementForm.self)
        let language = req.language
        let service = StatementImportService(database: req.db, user: try req.requireUser(), config: req.application.choSoConfig, intake: req.application.intake)
        let dryRun = form.action != "import"
        guard let file = form.file, file.data.readableBytes > 0 else {
            return try await render(req, marketID: marketID, shown: Shown(
                title: LocalizedText(vi: "Hãy chọn tệp sao kê (CSV hoặc XLSX)", en: "Choose a statement file (CSV or XLSX)").text(in: language), lines: [], isError: true),
                status: .unprocessableEntity)
        }
        do {
            let report = try await service.importStatement(
                accountID: form.account ?? "", market: marketID, bytes: Array(file.data.readableBytesView), format: .auto, layout: form.layout, dryRun: dryRun)
            let title = dryRun
                ? LocalizedText(vi: "Xem trước \(file.filename): chưa lưu gì", en: "Preview of \(file.filename): nothing stored yet")
                : LocalizedText(vi: "Đã nhập \(file.filename)", en: "\(file.filename) imported")
            var lines = [
                LocalizedText(vi: "\(report.rows) dòng", en: "\(report.rows) rows").text(in: language),
                LocalizedText(vi: "Đã có từ webhook hoặc lần nhập trước: \(report.known)", en: "Already known (webhook or earlier import): \(report.known)").text(in: language),
                LocalizedText(vi: "Mới — webhook bị lỡ: \(report.newCount)", en: "New — missed webhooks: \(report.newCount)").text(in: language),
                LocalizedText(vi: "Lệch, cần xem lại: \(report.conflicts.count)", en: "Conflicting, to check: \(report.conflicts.count)").text(in: language),
            ]
            lines += report.conflicts.map { $0.text(in: language) }
            lines += report.firstNew.map { "+ \($0.line): \(Money(dong: $0.amount).formatted) \($0.direction == .outgoing ? "↑" : "↓") \($0.description)" }
            return try await render(req, marketID: marketID, shown: Shown(title: title.text(in: language), lines: lines, isError: false))
        } catch let failure as StatementImportService.ImportFailure {
            return try await render(req, marketID: marketID, shown: Shown(
                title: failure.message.text(in: language), lines: failure.rowErrors.map { $0.message.text(in: language) }, isError: true),
                status: .unprocessableEntity)
        }
    }

    struct AssignForm: Content { var stallId: String?, paymentRequestId: String?, note: String? }
    struct NoteForm: Content { var note: String? }

    private func backToInbox(_ req: Request, _ transfer: TransferModel, _ message: LocalizedText) -> Response {
        req.flash(message)
        return req.redirectAfterPost(to: "/markets/\(transfer.marketID.uuidString)/intake#inbox")
    }

    private func correction(_ req: Request, _ change: () async throws -> (TransferModel, LocalizedText)) async throws -> Response {
        do {
            let (transfer, message) = try await change()
            return backToInbox(req, transfer, message)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            let transfer = try await TransferModel.find(UUID(uuidString: req.parameters.get("transferId") ?? ""), on: req.db)
            req.flash(LocalizedText(
                vi: (error.fieldErrors.first?.message ?? error.message).vi, en: (error.fieldErrors.first?.message ?? error.message).en))
            return req.redirectAfterPost(to: "/markets/\(transfer?.marketID.uuidString ?? "")/intake#inbox")
        }
    }

    @Sendable func assign(req: Request) async throws -> Response {
        let form = try req.content.decode(AssignForm.self)
        return try await correction(req) {
            let (transfer, _) = try await req.transfers.assign(
                req.parameters.get("transferId") ?? "", stallID: form.stallId, requestID: form.paymentRequestId, note: form.note)
            return (transfer, LocalizedText(vi: "Đã gán \(Money(dong: transfer.amount).formatted) cho quầy.", en: "\(Money(dong: transfer.amount).formatted) assigned to the stall."))
        }
    }

    @Sendable func assignFee(req: Request) async throws -> Response {
        let form = try req.content.decode(AssignForm.self)
        return try await correction(req) {
            let id = req.parameters.get("transferId") ?? ""
            let payment = try await req.feePayments.assignTransfer(id, toStall: form.stallId, note: form.note)
            guard let transfer = try await TransferModel.find(payment.transferID, on: req.db) else { throw AppError.notFound }
            return (transfer, LocalizedText(
                vi: "Đã ghi \(Money(dong: payment.amount).formatted) vào phí chợ, biên lai \(payment.receiptNumber).",
                en: "\(Money(dong: payment.amount).formatted) recorded as market fees, receipt \(payment.receiptNumber)."))
        }
    }

    @Sendable func refund(req: Request) async throws -> Response {
        let form = try req.content.decode(NoteForm.self)
        return try await correction(req) {
            let transfer = try await req.transfers.resolve(req.parameters.get("transferId") ?? "", as: "refund_due", note: form.note)
            return (transfer, LocalizedText(vi: "Đã ghi cần hoàn lại \(Money(dong: transfer.amount).formatted).", en: "\(Money(dong: transfer.amount).formatted) marked to refund."))
        }
    }

    @Sendable func refunded(req: Request) async throws -> Response {
        let form = try req.content.decode(NoteForm.self)
        return try await correction(req) {
            let transfer = try await req.transfers.markRefunded(req.parameters.get("transferId") ?? "", note: form.note)
            return (transfer, LocalizedText(vi: "Đã ghi là đã hoàn lại cho khách.", en: "Recorded as refunded."))
        }
    }

    @Sendable func dismiss(req: Request) async throws -> Response {
        let form = try req.content.decode(NoteForm.self)
        return try await correction(req) {
            let transfer = try await req.transfers.resolve(req.parameters.get("transferId") ?? "", as: "dismissed", note: form.note)
            return (transfer, LocalizedText(vi: "Đã gạt ra khỏi hộp thư.", en: "Set aside."))
        }
    }
}
