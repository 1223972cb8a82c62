import Fluent
import FluentSQL
import Prometheus
import Vapor

/// Health, readiness, metrics and the API description: what operators and other programs poll.
struct OperationsController: RouteCollection {
    let registry: PrometheusCollectorRegistry

    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("readyz", use: ready)
        routes.get("metrics", use: metrics)
        routes.get("openapi.json", use: openAPI)
    }

    struct Status: Content { var status: String; var database: String? }

    @Sendable func health(req: Request) async throws -> Status { Status(status: "ok", database: nil) }

    @Sendable func ready(req: Request) async throws -> Response {
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            // Not ready when the answer does not come quickly: a balancer's check must not hang.
            try await withDeadline(.seconds(2)) { try await sql.raw("SELECT 1").run() }
            return try await Status(status: "ready", database: "ok").encodeResponse(for: req)
        } catch {
            req.logger.warning("readiness check failed: \(String(describing: error))")
            return try await Status(status: "unavailable", database: "unreachable").encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    @Sendable func metrics(req: Request) async throws -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(data: Data(buffer)))
    }

    @Sendable func openAPI(req: Request) async throws -> Response {
        guard let document = OpenAPIDocument.bundled else { throw Abort(.internalServerError, reason: "openapi.json is missing from the bundle") }
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: document))
    }
}

enum OpenAPIDocument {
    /// The hand-kept API description, read once; a test checks it against the registered routes.
    static let bundled: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json").flatMap { try? Data(contentsOf: $0) }
}
