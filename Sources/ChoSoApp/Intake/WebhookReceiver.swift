import ChoSoCore
import Fluent
import Foundation
import Vapor

/// The webhook endpoint's work: find the connection, check the signature before reading
/// anything, read the body with the provider's decoder, hand the transfers to the writer.
struct WebhookReceiver: Sendable {
    /// Read only when the connection is not in the cache.
    var database: @Sendable () -> any Database
    var intake: Intake
    var timeZone: TimeZone
    var logger: Logger

    static let unknownConnection = AppError(
        status: .notFound, code: "unknown_connection",
        message: LocalizedText(vi: "Không có kết nối webhook này", en: "There is no such webhook connection"))

    func activeConnection(provider: String, id rawID: String) async throws -> ActiveConnection {
        guard let id = UUID(uuidString: rawID) else { throw Self.unknownConnection }
        let found = try await intake.connections.connection(id) {
            guard let model = try await WebhookConnectionModel.find(id, on: database()), model.deletedAt == nil,
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

    /// Completes on `loop` once the delivery is stored (or was already, or is payOS's registration
    /// test, which stores nothing): the caller answers with the provider's success body.
    /// `stored` is how many of its transfers were new (0: all known before), nil when the
    /// delivery carried none. While the connection is cached nothing here leaves `loop` until
    /// the delivery joins the writer's queue.
    func receive(
        provider: String, connectionID: String, headers: HTTPHeaders, body: [UInt8], on loop: any EventLoop
    ) -> EventLoopFuture<(kind: WebhookConnectionKind, stored: Int?)> {
        let connection: EventLoopFuture<ActiveConnection>
        if let id = UUID(uuidString: connectionID), let cached = intake.connections.cached(id) {
            connection = loop.makeSucceededFuture(cached)
        } else {
            connection = loop.makeFutureWithTask { try await activeConnection(provider: provider, id: connectionID) }
        }
        return connection.flatMap { connection in
            guard connection.kind.provider.rawValue == provider else { return loop.makeFailedFuture(Self.unknownConnection) }
            let content: WebhookContent
            do {
                content = try read(connection, header: { headers.first(name: $0) }, body: body)
            } catch {
                return loop.makeFailedFuture(error)
            }
            guard case .transfers(let transfers) = content else { return loop.makeSucceededFuture((connection.kind, nil)) }
            let delivery = PendingDelivery.webhook(
                connectionID: connection.id, marketID: connection.marketID, rawBody: String(decoding: body, as: UTF8.self),
                transfers: transfers, receivedAt: Date())
            return intake.writer.submit(delivery, answeringOn: loop).map { (connection.kind, $0.stored.count) }
        }
    }
}
