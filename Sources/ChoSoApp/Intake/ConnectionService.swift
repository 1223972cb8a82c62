import ChoSoCore
import Fluent
import Foundation

/// The market board's webhook connections: create, list, rotate the secret, delete, test.
struct ConnectionService {
    var database: any Database
    var user: CurrentUser
    var config: AppConfig
    var intake: Intake

    struct Created {
        var connection: WebhookConnectionModel
        /// Shown once, when ChoSo made the secret; never stored in the clear.
        var generatedSecret: String?
    }

    // MARK: Access

    private func authorize(_ action: Action, marketID: UUID) async throws {
        let decision = AccessPolicy.decide(user.principal, action, .marketIntake(marketID: marketID.uuidString))
        guard decision.isAllowed else { throw AppError.denied(decision) }
    }

    private func market(_ id: String?) async throws -> MarketModel {
        guard let id, let uuid = UUID(uuidString: id), let market = try await MarketModel.find(uuid, on: database) else {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: "marketId", code: "unknown_market",
                message: LocalizedText(vi: "Hãy chọn một chợ có thật", en: "Choose an existing market"))))
        }
        return market
    }

    func connection(_ id: String, for action: Action) async throws -> WebhookConnectionModel {
        guard let uuid = UUID(uuidString: id), let connection = try await WebhookConnectionModel.find(uuid, on: database),
              connection.deletedAt == nil
        else { throw AppError.notFound }
        try await authorize(action, marketID: connection.$market.id)
        return connection
    }

    // MARK: Changes

    static func validSecret(_ raw: String?, for kind: WebhookConnectionKind) throws -> String? {
        let secret = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if secret.isEmpty {
            guard !kind.senderIssuesSecret else {
                throw AppError.invalid(ValidationFailure(FieldError(
                    field: "secret", code: "secret_required",
                    message: LocalizedText(
                        vi: "Hãy dán khoá bí mật mà \(kind.provider.displayName) cấp cho bạn",
                        en: "Paste the secret key \(kind.provider.displayName) gave you"))))
            }
            return nil
        }
        guard (8...256).contains(secret.count), secret.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: "secret", code: "bad_secret",
                message: LocalizedText(
                    vi: "Khoá bí mật phải dài 8–256 ký tự, không dấu, không khoảng trắng",
                    en: "The secret must be 8–256 characters, plain ASCII without spaces"))))
        }
        return secret
    }

    private func keep(_ secret: String, kind: WebhookConnectionKind, on connection: WebhookConnectionModel) {
        switch kind.secretStorage {
        case .hashed:
            connection.secretHash = SecretVault.hash(secret)
            connection.secretSealed = nil
        case .sealed:
            connection.secretSealed = intake.vault.seal(secret)
            connection.secretHash = nil
        }
        connection.secretHint = "…" + String(secret.suffix(4))
    }

    func create(provider: String?, auth: String?, secret rawSecret: String?, marketID: String?, label: String?) async throws -> Created {
        var problems: [FieldError] = []
        let kind = WebhookConnectionKind(provider: provider ?? "", auth: auth)
        if kind == nil {
            problems.append(WebhookConnectionKind.Provider(rawValue: provider ?? "") == nil
                ? FieldError(field: "provider", code: "unknown_provider",
                             message: LocalizedText(vi: "Nhà cung cấp phải là sepay, casso, payos hoặc generic", en: "The provider must be sepay, casso, payos or generic"))
                : FieldError(field: "auth", code: "bad_auth",
                             message: LocalizedText(vi: "Cách xác thực này không dùng được với nhà cung cấp đã chọn", en: "This authentication mode does not exist for the chosen provider")))
        }
        let market = try await market(marketID)
        try await authorize(.create, marketID: try market.requireID())
        guard let kind else { throw AppError.invalid(ValidationFailure(errors: problems)) }
        let given = try Self.validSecret(rawSecret, for: kind)
        let secret = given ?? SecretVault.generateSecret()

        let connection = WebhookConnectionModel()
        connection.id = UUID()
        connection.$market.id = try market.requireID()
        connection.provider = kind.provider.rawValue
        connection.auth = kind.auth.rawValue
        connection.label = label.map(TextNormalization.clean).flatMap { $0.isEmpty ? nil : String($0.prefix(80)) }
        connection.createdBy = user.id
        connection.createdAt = Date()
        keep(secret, kind: kind, on: connection)
        try await database.transaction { db in
            try await connection.create(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "connection.create", subjectType: "webhook_connection", subjectID: connection.id,
                detail: "\(kind.provider.rawValue)/\(kind.auth.rawValue) market \(market.name)")
        }
        return Created(connection: connection, generatedSecret: given == nil ? secret : nil)
    }

    func rotate(_ id: String, secret rawSecret: String?) async throws -> Created {
        let connection = try await connection(id, for: .update)
        guard let kind = connection.kind else { throw AppError.notFound }
        let given = try Self.validSecret(rawSecret, for: kind)
        let secret = given ?? SecretVault.generateSecret()
        keep(secret, kind: kind, on: connection)
        connection.rotatedAt = Date()
        try await database.transaction { db in
            try await connection.save(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "connection.rotate", subjectType: "webhook_connection", subjectID: connection.id, detail: "")
        }
        intake.connections.forget(try connection.requireID())
        return Created(connection: connection, generatedSecret: given == nil ? secret : nil)
    }

    func delete(_ id: String) async throws {
        let connection = try await connection(id, for: .deactivate)
        connection.deletedAt = Date()
        try await database.transaction { db in
            try await connection.save(on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "connection.delete", subjectType: "webhook_connection", subjectID: connection.id, detail: "")
        }
        intake.connections.forget(try connection.requireID())
    }

    /// The connections of the markets this user runs (all of them for an administrator).
    func list(marketID: String?) async throws -> [WebhookConnectionModel] {
        var query = WebhookConnectionModel.query(on: database).filter(\.$deletedAt == nil).with(\.$market).sort(\.$createdAt)
        if let marketID {
            guard let uuid = UUID(uuidString: marketID) else { throw AppError.notFound }
            try await authorize(.read, marketID: uuid)
            query = query.filter(\.$market.$id == uuid)
        }
        return try await query.all().filter {
            AccessPolicy.permits(user.principal, .read, .marketIntake(marketID: $0.$market.id.uuidString))
        }
    }

    func webhookURL(_ connection: WebhookConnectionModel) -> String {
        "\(config.publicURL)/hooks/\(connection.provider)/\((connection.id ?? UUID()).uuidString.lowercased())"
    }
}

extension WebhookConnectionKind.Provider {
    var displayName: String {
        switch self {
        case .sepay: "SePay"
        case .casso: "Casso"
        case .payos: "payOS"
        case .generic: "ChoSo"
        }
    }
}

extension ConnectionService {
    struct TestResult {
        var transfer: IncomingTransfer
        var decision: MatchDecision
    }

    /// Signs a small test transfer as the provider would, and runs it through the endpoint's own
    /// checks and the matcher without storing anything. A hashed key cannot be read back, so
    /// for those modes the person pastes it again.
    func sendTest(_ id: String, secret typed: String?) async throws -> TestResult {
        let connection = try await connection(id, for: .update)
        guard let kind = connection.kind else { throw AppError.notFound }
        let secret: String
        if let sealed = connection.secretSealed {
            guard let plain = intake.vault.open(sealed) else {
                throw AppError(status: .conflict, code: "secret_unreadable", message: LocalizedText(
                    vi: "Không đọc được khoá của kết nối (khoá máy chủ đã đổi): hãy đổi khoá mới", en: "The connection's secret cannot be read (the server key changed): rotate it"))
            }
            secret = plain
        } else {
            guard let typed, !typed.isEmpty else {
                throw AppError.invalid(ValidationFailure(FieldError(
                    field: "secret", code: "secret_required",
                    message: LocalizedText(vi: "ChoSo chỉ lưu mã băm của khoá này: hãy dán khoá để thử", en: "ChoSo keeps only a hash of this key: paste it to test"))))
            }
            secret = typed
        }
        let accounts = try await ReceivingAccountModel.query(on: database)
            .join(StallModel.self, on: \ReceivingAccountModel.$stall.$id == \StallModel.$id)
            .filter(StallModel.self, \.$market.$id == connection.$market.id).filter(\.$activeKind != nil)
            .sort(StallModel.self, \.$number).limit(1).all()
        let sample = IncomingTransfer(
            provider: kind.provider.rawValue, providerTransactionID: "\(Int.random(in: 100_000...999_999))",
            accountNumber: accounts.first?.accountNumber ?? "0000000000", amount: 10_000, direction: .incoming,
            description: "CHOSO THU KET NOI", reference: "TEST", counterAccountName: "CHOSO", bankTime: intake.now)
        let delivery = WebhookDeliveryBuilder.make(sample, kind: kind, secret: secret, now: intake.now, timeZone: config.timeZone)
        let receiver = WebhookReceiver(database: { database }, intake: intake, timeZone: config.timeZone, logger: .init(label: "choso.test"))
        let active = try await receiver.activeConnection(provider: kind.provider.rawValue, id: try connection.requireID().uuidString)
        guard case .transfers(let transfers) = try receiver.read(active, header: delivery.header, body: delivery.body),
              let transfer = transfers.first
        else { throw AppError.badBody("the test delivery decoded to nothing") }
        let known = try await IntakeWriter.knownAccounts(numbers: [transfer.accountNumber], on: database)
            .filter { $0.marketID == connection.$market.id }.map(\.account)
        return TestResult(transfer: transfer, decision: TransferMatcher.match(transfer, accounts: known, requests: []))
    }
}
