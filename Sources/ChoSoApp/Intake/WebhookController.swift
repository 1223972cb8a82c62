import ChoSoCore
import Vapor

/// `POST /hooks/{provider}/{connectionId}`: the notification services' deliveries.
struct WebhookController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "hooks", ":provider", ":connectionId", body: .collect(maxSize: "256kb"), use: receive)
    }

    /// Future-based, not async: an async handler runs in a task of its own and is answered
    /// through the concurrency pool, two more hand-overs between threads per delivery.
    @Sendable func receive(req: Request) -> EventLoopFuture<Response> {
        let body = req.body.data.map { Array($0.readableBytesView) } ?? []
        let application = req.application
        let receiver = WebhookReceiver(
            database: { req.db }, intake: application.intake, timeZone: application.choSoConfig.timeZone, logger: req.logger)
        let provider = req.parameters.get("provider") ?? ""
        let metrics = application.operationalMetrics
        return receiver.receive(
            provider: provider, connectionID: req.parameters.get("connectionId") ?? "", headers: req.headers, body: body, on: req.eventLoop
        ).map { kind, stored in
            metrics.webhookDelivery(provider: provider, outcome: stored.map { $0 > 0 ? "stored" : "duplicate" } ?? "test")
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: kind.successReply))
        }.flatMapErrorThrowing { error in
            metrics.webhookDelivery(provider: provider, outcome: Self.outcome(of: error))
            throw error
        }
    }

    static func outcome(of error: any Error) -> String {
        guard let error = error as? AppError else { return "error" }
        switch error.status.code {
        case 401, 403: return "refused"
        case 404: return "unknown_connection"
        case 503: return "unavailable"
        case 400..<500: return "bad_body"
        default: return "error"
        }
    }
}

/// Connections through the JSON API.
struct ConnectionsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("connections", use: create)
        routes.get("connections", use: list)
        routes.get("connections", ":connectionId", use: show)
        routes.delete("connections", ":connectionId", use: delete)
        routes.post("connections", ":connectionId", "rotate", use: rotate)
        routes.post("connections", ":connectionId", "test", use: test)
        routes.get("stalls", ":stallId", "transfers", use: stallTransfers)
        routes.get("markets", ":marketId", "inbox", use: inbox)
        routes.post("transfers", ":transferId", "assign", use: assign)
        routes.post("transfers", ":transferId", "refund", use: refund)
        routes.post("transfers", ":transferId", "dismiss", use: dismiss)
        routes.post("transfers", ":transferId", "refunded", use: refunded)
        routes.get("markets", ":marketId", "refunds", use: marketRefunds)
        routes.get("stalls", ":stallId", "refunds", use: stallRefunds)
    }

    @Sendable func refunded(req: Request) async throws -> TransferDTO {
        let body = try req.optionalContent(NoteBody.self, empty: NoteBody())
        return try TransferDTO(try await req.transfers.markRefunded(req.parameters.get("transferId") ?? "", note: body.note), language: req.language)
    }

    @Sendable func marketRefunds(req: Request) async throws -> [TransferDTO] {
        try await req.transfers.openRefunds(marketID: req.parameters.get("marketId") ?? "").map { try TransferDTO($0, language: req.language) }
    }

    @Sendable func stallRefunds(req: Request) async throws -> [TransferDTO] {
        try await req.transfers.openRefunds(stallID: req.parameters.get("stallId") ?? "").map { try TransferDTO($0, language: req.language) }
    }

    struct AssignBody: Content {
        var stallId: String?
        var paymentRequestId: String?
        var note: String?
    }

    struct NoteBody: Content {
        var note: String?
    }

    @Sendable func inbox(req: Request) async throws -> [TransferDTO] {
        try await req.transfers.inbox(marketID: req.parameters.get("marketId") ?? "").map { try TransferDTO($0, language: req.language) }
    }

    @Sendable func assign(req: Request) async throws -> TransferDTO {
        let body = try req.content.decode(AssignBody.self)
        let (transfer, _) = try await req.transfers.assign(
            req.parameters.get("transferId") ?? "", stallID: body.stallId, requestID: body.paymentRequestId, note: body.note)
        return try TransferDTO(transfer, language: req.language)
    }

    @Sendable func refund(req: Request) async throws -> TransferDTO {
        let body = try req.optionalContent(NoteBody.self, empty: NoteBody())
        return try TransferDTO(try await req.transfers.resolve(req.parameters.get("transferId") ?? "", as: "refund_due", note: body.note), language: req.language)
    }

    @Sendable func dismiss(req: Request) async throws -> TransferDTO {
        let body = try req.optionalContent(NoteBody.self, empty: NoteBody())
        return try TransferDTO(try await req.transfers.resolve(req.parameters.get("transferId") ?? "", as: "dismissed", note: body.note), language: req.language)
    }

    struct CreateBody: Content {
        var provider: String?
        var auth: String?
        var secret: String?
        var marketId: String?
        var label: String?
    }

    struct SecretBody: Content {
        var secret: String?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let body = try req.content.decode(CreateBody.self)
        let service = try req.connections
        let created = try await service.create(provider: body.provider, auth: body.auth, secret: body.secret, marketID: body.marketId, label: body.label)
        return try await ConnectionDTO(created.connection, webhookURL: service.webhookURL(created.connection), secret: created.generatedSecret)
            .encodeResponse(status: .created, for: req).shownOnce()
    }

    @Sendable func list(req: Request) async throws -> [ConnectionDTO] {
        let service = try req.connections
        return try await service.list(marketID: req.query[String.self, at: "marketId"]).map {
            try ConnectionDTO($0, webhookURL: service.webhookURL($0))
        }
    }

    @Sendable func show(req: Request) async throws -> ConnectionDTO {
        let service = try req.connections
        let connection = try await service.connection(req.parameters.get("connectionId") ?? "", for: .read)
        return try ConnectionDTO(connection, webhookURL: service.webhookURL(connection))
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try await req.connections.delete(req.parameters.get("connectionId") ?? "")
        return .noContent
    }

    @Sendable func rotate(req: Request) async throws -> Response {
        let body = try req.optionalContent(SecretBody.self, empty: SecretBody())
        let service = try req.connections
        let rotated = try await service.rotate(req.parameters.get("connectionId") ?? "", secret: body.secret)
        return try await ConnectionDTO(rotated.connection, webhookURL: service.webhookURL(rotated.connection), secret: rotated.generatedSecret)
            .encodeResponse(for: req).shownOnce()
    }

    @Sendable func test(req: Request) async throws -> ConnectionTestDTO {
        let body = try req.optionalContent(SecretBody.self, empty: SecretBody())
        let result = try await req.connections.sendTest(req.parameters.get("connectionId") ?? "", secret: body.secret)
        return ConnectionTestDTO(result, language: req.language)
    }

    @Sendable func stallTransfers(req: Request) async throws -> [TransferDTO] {
        let (stall, transfers) = try await req.transfers.stallTransfers(stallID: req.parameters.get("stallId") ?? "", day: try req.dayQuery())
        return try transfers.map { try TransferDTO($0, language: req.language, reading: stall.reading) }
    }
}

extension Request {
    var connections: ConnectionService {
        get throws { ConnectionService(database: db, user: try requireUser(), config: application.choSoConfig, intake: application.intake) }
    }

    var transfers: TransferService {
        get throws { TransferService(database: db, user: try requireUser(), config: application.choSoConfig, intake: application.intake) }
    }
}
