import ChoSoCore
import Fluent
import Foundation
import Vapor

/// A speaker (an IoT box, or an old phone left at the stall) that announces the stall's payments
/// with its own revocable token — never the keeper's password or session.
final class SpeakerDeviceModel: Model, @unchecked Sendable {
    static let schema = "speaker_devices"

    @ID(key: .id) var id: UUID?
    @Field(key: "stall_id") var stallID: UUID
    @Field(key: "name") var name: String
    /// SHA-256 of the one-time pairing code, until the device uses it.
    @OptionalField(key: "pairing_code_hash") var pairingCodeHash: String?
    @OptionalField(key: "pairing_expires_at") var pairingExpiresAt: Date?
    @OptionalField(key: "token_hash") var tokenHash: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "paired_at") var pairedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}
}

/// Pairing, listing and revoking speakers; finding the device behind a token.
struct SpeakerDeviceService {
    var database: any Database

    static let pairingLifetime: TimeInterval = 10 * 60
    static let tokenPrefix = "csd_"

    /// Eight Crockford characters shown as `ABCD-EFGH`: 40 bits, so ten minutes of guessing at
    /// any rate a server allows finds nothing.
    static func newPairingCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let characters = (0..<8).map { _ in alphabet[Int.random(in: 0..<32)] }
        return String(characters[0..<4]) + "-" + String(characters[4..<8])
    }

    static func normalized(code: String) -> String {
        code.uppercased().filter { $0.isLetter || $0.isNumber }
            .replacingOccurrences(of: "O", with: "0").replacingOccurrences(of: "I", with: "1").replacingOccurrences(of: "L", with: "1")
    }

    /// The stall's keeper (or its market board) starts pairing a new device.
    func startPairing(stallID: String, name rawName: String?, user: CurrentUser) async throws -> (SpeakerDeviceModel, String) {
        let stall = try await authorize(stallID: stallID, user: user, action: .create)
        let name = TextNormalization.clean(rawName ?? "")
        let code = Self.newPairingCode()
        let device = SpeakerDeviceModel()
        device.id = UUID()
        device.stallID = try stall.requireID()
        device.name = name.isEmpty ? "Loa quầy \(stall.number)" : String(name.prefix(60))
        device.pairingCodeHash = AccountService.hash(token: Self.normalized(code: code))
        device.pairingExpiresAt = Date().addingTimeInterval(Self.pairingLifetime)
        device.createdBy = user.id
        device.createdAt = Date()
        try await database.transaction { db in
            try await device.create(on: db)
            try await AuditEntryModel.record(on: db, actor: user.id, action: "device.pairing", subjectType: "speaker_device", subjectID: device.id, detail: device.name)
        }
        return (device, code)
    }

    static let badCode = AppError(
        status: .notFound, code: "bad_pairing_code",
        message: LocalizedText(vi: "Mã ghép không đúng hoặc đã hết hạn", en: "The pairing code is wrong or expired"))

    /// The device trades the one-time code for its token (shown once). Wrong codes from an address
    /// earn it growing waits, like wrong passwords; a code lives ten minutes.
    func pair(code: String, clientAddress: String, attempts: AttemptLimiter, now: Date = Date()) async throws -> (SpeakerDeviceModel, String) {
        let subject = AttemptLimiter.pairingSubject
        _ = try await attempts.check(subject: subject, address: clientAddress, now: now)
        let hash = AccountService.hash(token: Self.normalized(code: code))
        guard let device = try await SpeakerDeviceModel.query(on: database).filter(\.$pairingCodeHash == hash).first(),
              device.revokedAt == nil, (device.pairingExpiresAt ?? .distantPast) > now
        else {
            try await attempts.recordFailure(subject: subject, address: clientAddress, now: now)
            throw Self.badCode
        }
        let token = Self.tokenPrefix + Data([UInt8].random(count: 32)).base64URLEncodedString()
        device.tokenHash = AccountService.hash(token: token)
        device.pairingCodeHash = nil
        device.pairingExpiresAt = nil
        device.pairedAt = Date()
        try await device.save(on: database)
        return (device, token)
    }

    /// Whether a paired device may still listen (its open stream asks every few seconds).
    func isActive(_ id: UUID) async throws -> Bool {
        guard let device = try await SpeakerDeviceModel.find(id, on: database) else { return false }
        return device.revokedAt == nil
    }

    func device(forToken token: String) async throws -> SpeakerDeviceModel? {
        guard token.hasPrefix(Self.tokenPrefix) else { return nil }
        return try await SpeakerDeviceModel.query(on: database)
            .filter(\.$tokenHash == AccountService.hash(token: token)).filter(\.$revokedAt == nil).first()
    }

    func list(stallID: String, user: CurrentUser) async throws -> [SpeakerDeviceModel] {
        let stall = try await authorize(stallID: stallID, user: user, action: .read)
        return try await SpeakerDeviceModel.query(on: database).filter(\.$stallID == (try stall.requireID()))
            .filter(\.$revokedAt == nil).sort(\.$createdAt).all()
    }

    func revoke(_ id: String, user: CurrentUser) async throws {
        guard let uuid = UUID(uuidString: id), let device = try await SpeakerDeviceModel.find(uuid, on: database) else { throw AppError.notFound }
        _ = try await authorize(stallID: device.stallID.uuidString, user: user, action: .create)
        device.revokedAt = Date()
        try await database.transaction { db in
            try await device.save(on: db)
            try await AuditEntryModel.record(on: db, actor: user.id, action: "device.revoke", subjectType: "speaker_device", subjectID: device.id, detail: device.name)
        }
    }

    /// Speakers belong to the stall's takings: the keeper manages them; the market board may see them.
    private func authorize(stallID: String, user: CurrentUser, action: Action) async throws -> StallModel {
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        let decision = try await RegistryService(database: database, user: user).salesDecision(action, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        return stall
    }
}

struct SpeakerDeviceDTO: Content {
    var id: String
    var stallId: String
    var name: String
    var paired: Bool
    var pairingCode: String?
    var pairingExpiresAt: Date?
    var token: String?
    var createdAt: Date

    init(_ device: SpeakerDeviceModel, pairingCode: String? = nil, token: String? = nil) {
        id = device.id?.uuidString ?? ""
        stallId = device.stallID.uuidString
        name = device.name
        paired = device.pairedAt != nil
        self.pairingCode = pairingCode
        pairingExpiresAt = device.pairingExpiresAt
        self.token = token
        createdAt = device.createdAt
    }
}

/// `POST /api/v1/stalls/{id}/devices` (start pairing), `GET` (list), `DELETE /api/v1/devices/{id}`,
/// `POST /api/v1/devices/pair` (the device, with the code), `GET /api/v1/devices/stream` (the
/// device, with its token: the stall's announcements as Server-Sent Events).
struct SpeakerDevicesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("stalls", ":stallId", "devices", use: startPairing)
        routes.get("stalls", ":stallId", "devices", use: list)
        routes.delete("devices", ":deviceId", use: revoke)
        routes.rateLimited(.login).post("devices", "pair", use: pair)
        routes.get("devices", "stream", use: stream)
    }

    struct NameBody: Content { var name: String? }
    struct CodeBody: Content { var code: String? }

    @Sendable func startPairing(req: Request) async throws -> Response {
        let body = try req.optionalContent(NameBody.self, empty: NameBody())
        let (device, code) = try await SpeakerDeviceService(database: req.db)
            .startPairing(stallID: req.parameters.get("stallId") ?? "", name: body.name, user: try req.requireUser())
        return try await SpeakerDeviceDTO(device, pairingCode: code).encodeResponse(status: .created, for: req)
    }

    @Sendable func list(req: Request) async throws -> [SpeakerDeviceDTO] {
        try await SpeakerDeviceService(database: req.db).list(stallID: req.parameters.get("stallId") ?? "", user: try req.requireUser())
            .map { SpeakerDeviceDTO($0) }
    }

    @Sendable func revoke(req: Request) async throws -> HTTPStatus {
        try await SpeakerDeviceService(database: req.db).revoke(req.parameters.get("deviceId") ?? "", user: try req.requireUser())
        return .noContent
    }

    @Sendable func pair(req: Request) async throws -> SpeakerDeviceDTO {
        let body = try req.content.decode(CodeBody.self)
        let (device, token) = try await SpeakerDeviceService(database: req.db)
            .pair(code: body.code ?? "", clientAddress: req.clientAddress, attempts: req.accounts.attempts)
        return SpeakerDeviceDTO(device, token: token)
    }

    @Sendable func stream(req: Request) async throws -> Response {
        guard let device = try await req.speakerDevice, let stall = try await StallModel.find(device.stallID, on: req.db) else {
            throw AppError.unauthenticated
        }
        let service = SpeakerDeviceService(database: req.db)
        let deviceID = try device.requireID()
        let lastEventID = req.headers.first(name: "Last-Event-ID")
        return try await LiveEventsController.stream(
            req, stall: stall,
            missed: { try await LiveService(database: req.db).replay(stallID: device.stallID, after: lastEventID) },
            stillValid: { try await service.isActive(deviceID) })
    }
}

extension Request {
    /// The speaker behind an `Authorization: Bearer csd_…` token, if any.
    var speakerDevice: SpeakerDeviceModel? {
        get async throws {
            guard let bearer = headers.bearerAuthorization?.token, bearer.hasPrefix(SpeakerDeviceService.tokenPrefix) else { return nil }
            return try await SpeakerDeviceService(database: db).device(forToken: bearer)
        }
    }
}
