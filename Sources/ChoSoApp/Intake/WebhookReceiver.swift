import ChoSoCore
import Fluent
import Foundation
import Vapor

/// The webhook endpoint's work: find the connection, check the signature before reading
/// anything, read the body with the provider's decoder, hand the transfers to the writer.
struct WebhookReceiver {
    var database: any Database
    var intake: Intake
    var timeZone: TimeZone
    var logger: Logger

    static let unknownConnection = AppError(
        status: .notFound, code: "unknown_connection",
        message: LocalizedText(vi: "Không có kết nối webhook này", en: "There is no such webhook connection"))

    func activeConnection(provider: String, id rawID: String) async throws -> ActiveConnection {
        guard let id = UUID(uuidString: rawID) else { throw Self.unknownConnection }
        let found = try await intake.connections.connection(id) {
            guard let model = try await WebhookConnectionModel.find(id, on: database), model.deletedAt == nil,
                  let kind = model.kind
            else { return nil }
            let secret: WebhookConnectionKind.StoredSecret
            if let hash = model.secretHash {
                secret = .hash(hash)
            } else if let sealed = model.secretSealed, let plain = intake.vault.open(sealed) {
                secret = .plain(plain)
            } else {
                // Sealed under another CHOSO_SECRET_KEY: nothing can pass until it is rotated.
                logger.error("webhook connection \(id) cannot open its secret: was CHOSO_SECRET_KEY changed?")
                secret = .hash("")
            }
            return ActiveConnection(id: id, marketID: model.$market.id, kind: kind, secret: secret)
        }
        guard let found, found.kind.provider.rawValue == provider else { throw Self.unknownConnection }
        return found
    }

    /// Signature first, then the body.
    func read(_ connection: ActiveConnection, header: (String) -> String?, body: [UInt8]) throws -> WebhookContent {
        do {
            try connection.kind.verify(header: header, body: body, secret: connection.secret, now: intake.now)
        } catch {
            logger.notice("webhook refused", metadata: ["connection": "\(connection.id)", "reason": "\(Self.reason(error))"])
            throw AppError(
                status: .unauthorized, code: "bad_signature",
                message: LocalizedText(vi: "Báo có bị từ chối: \(error.reason.vi)", en: "The webhook signature is not valid: \(error.reason.en)"))
        }
        do {
            return try connection.kind.decode(body, timeZone: timeZone)
        } catch {
            throw AppError(
                status: .badRequest, code: "bad_webhook_body",
                message: LocalizedText(vi: "Không đọc được báo có: \(error.reason.vi)", en: "The webhook body cannot be read: \(error.reason.en)"))
        }
    }

    static func reason(_ error: WebhookError) -> String { error.reason.en }

    /// Returns once the delivery is stored (or was already, or is payOS's registration test, which
    /// stores nothing): the caller answers with the provider's success body.
    /// `stored` is how many of its transfers were new (0: all known before), nil when the
    /// delivery carried none.
    func receive(provider: String, connectionID: String, header: (String) -> String?, body: [UInt8]) async throws -> (kind: WebhookConnectionKind, stored: Int?) {
        let connection = try await activeConnection(provider: provider, id: connectionID)
        guard case .transfers(let transfers) = try read(connection, header: header, body: body) else { return (connection.kind, nil) }
        let delivery = PendingDelivery.webhook(
            connectionID: connection.id, marketID: connection.marketID, rawBody: String(decoding: body, as: UTF8.self),
            transfers: transfers, receivedAt: Date())
        return (connection.kind, try await intake.writer.store(delivery).stored.count)
    }
}
