import ChoSoCore
import Foundation
import Vapor

/// The community teams' API: `POST /api/v1/sync` (records from a phone, each answered on its
/// own), `GET /api/v1/sync?since=` (what changed in the caller's hamlets), `GET /api/v1/teams`.
struct SyncAPIController: RouteCollection {
    /// 1,000 visits with their households are about 1 MB of JSON before gzip.
    static let largestBody: ByteCount = "8mb"

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, "sync", body: .collect(maxSize: Self.largestBody), use: push)
        routes.get("sync", use: pull)
        routes.get("teams", use: teams)
        routes.get("reviews", use: reviews)
        routes.post("reviews", ":reviewId", "settle", use: settle)
    }

    @Sendable func reviews(req: Request) async throws -> [ReviewDTO] {
        try await req.reviews.open().map(ReviewDTO.init)
    }

    struct SettleBody: Content { var choice: String?, version: Int? }

    @Sendable func settle(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(SettleBody.self)
        try await req.reviews.settle(req.parameters.get("reviewId") ?? "", choice: body.choice, version: body.version)
        return .noContent
    }

    @Sendable func push(req: Request) async throws -> SyncAnswerDTO {
        // Records are read one by one (a bad one is refused, the rest stored), so the batch is
        // taken apart as plain JSON rather than decoded all-or-nothing.
        guard let body = req.body.data,
              let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
              let records = object["records"] as? [Any]
        else {
            throw AppError(status: .badRequest, code: "bad_sync_body", message: .init(
                vi: "Nội dung phải là JSON có danh sách records", en: "The body must be JSON with a records list"))
        }
        let device = object["deviceId"] as? String
        guard device != nil || object["deviceId"] == nil || object["deviceId"] is NSNull else {
            throw AppError(status: .badRequest, code: "bad_sync_body", message: .init(vi: "deviceId phải là chữ", en: "deviceId must be text"))
        }
        return SyncAnswerDTO(results: try await req.sync.sync(deviceID: device, records: records))
    }

    @Sendable func pull(req: Request) async throws -> ChangesDTO {
        try await req.community.changes(since: req.query[String.self, at: "since"])
    }

    @Sendable func teams(req: Request) async throws -> [TeamDTO] {
        try await req.community.teams()
    }
}
