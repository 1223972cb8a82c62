import ChoSoCore
import Crypto
import Fluent
import Foundation
import Vapor

/// A request already seen under its key, and its answer once there is one.
final class IdempotencyKeyModel: Model, @unchecked Sendable {
    static let schema = "idempotency_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "caller") var caller: String
    @Field(key: "key") var key: String
    @Field(key: "fingerprint") var fingerprint: String
    /// Nil while the first request is still being answered.
    @OptionalField(key: "status") var status: Int?
    @OptionalField(key: "content_type") var contentType: String?
    @OptionalField(key: "location") var location: String?
    @OptionalField(key: "body") var body: Data?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(caller: String, key: String, fingerprint: String, createdAt: Date) {
        self.caller = caller
        self.key = key
        self.fingerprint = fingerprint
        self.createdAt = createdAt
    }
}

/// Once only (DESIGN.md §7): a state-changing request of a signed-in user that carries a one-time
/// key — the API's `Idempotency-Key` header, or the `_once` field every page's forms carry — is
/// carried out once. The same key again gets the first answer again (a double tap, a resend on a
/// weak link), even while the first is still running; the same key with another request is 422.
struct IdempotencyMiddleware: SelectiveMiddleware {
    static let header = "Idempotency-Key"
    static let formField = "_once"
    /// How long a second request waits for the first one's answer before giving up with 409.
    static let waitForFirst: Duration = .seconds(20)
    static let keptFor: TimeInterval = 24 * 60 * 60
    /// Answers larger than this are not kept (none of ChoSo's is); the key then stays taken.
    static let largestKeptAnswer = 2 << 20

    /// A state-changing request of a signed-in user (a webhook is never one).
    func applies(to request: Request) -> Bool {
        [.POST, .PUT, .PATCH, .DELETE].contains(request.method) && request.currentUser != nil && !request.url.path.hasPrefix("/hooks/")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard applies(to: request), let user = request.currentUser else { return try await next.respond(to: request) }
        _ = try await request.body.collect(max: request.largestBody).get()
        let key = request.headers.first(name: Self.header)
            ?? (request.headers.contentType == .urlEncodedForm || request.headers.contentType?.type == "multipart"
                ? (try? request.content.get(String.self, at: Self.formField)) : nil)
        guard let key, !key.isEmpty else { return try await next.respond(to: request) }
        guard key.utf8.count <= 255, key.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value < 0x7F }) else {
            throw AppError(
                status: .badRequest, code: "bad_idempotency_key",
                message: .init(vi: "Idempotency-Key gồm tối đa 255 ký tự ASCII in được", en: "An Idempotency-Key has at most 255 printable ASCII characters"))
        }
        // Form keys are per page; several forms of a page share one, so the form's action is part of it.
        let scopedKey = request.headers.first(name: Self.header) != nil ? key : key + " " + request.url.path
        let store = IdempotencyStore(database: request.db)
        let caller = user.id.uuidString
        let fingerprint = Self.fingerprint(request)
        let deadline = ContinuousClock.now + Self.waitForFirst
        while true {
            switch try await store.claim(caller: caller, key: scopedKey, fingerprint: fingerprint) {
            case .claimed(let row):
                do {
                    let response = try await next.respond(to: request)
                    try await store.finish(row, with: response, shownOnceReplay: Self.shownOnceReplay(for: request, formKey: request.headers.first(name: Self.header) == nil))
                    return response
                } catch {
                    // Nothing was done (or it was undone): the same key may try again.
                    try? await store.release(row)
                    throw error
                }
            case .answered(let row):
                guard row.fingerprint == fingerprint else { throw Self.reused }
                return Self.replay(row)
            case .running(let row):
                guard row.fingerprint == fingerprint else { throw Self.reused }
                guard ContinuousClock.now < deadline else { throw Self.stillRunning }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    static let reused = AppError(
        status: .unprocessableEntity, code: "idempotency_key_reused",
        message: .init(
            vi: "Khoá chống gửi trùng này đã dùng cho một yêu cầu khác: hãy tải lại trang rồi thử lại",
            en: "This once-only key was used for another request: reload the page and try again"))
    static let stillRunning = AppError(
        status: .conflict, code: "request_in_progress",
        message: .init(vi: "Yêu cầu này đang được xử lý, hãy chờ một chút", en: "This request is still being handled; wait a moment"))

    static func fingerprint(_ request: Request) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue) \(request.url.path)\n".utf8))
        if let body = request.body.data { hasher.update(data: Array(body.readableBytesView)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// What a repeat gets in place of an answer that showed a secret (a one-time code, a webhook
    /// key, an API token): the secret is never stored, so it cannot be shown twice. A page's form
    /// goes back to the page it was sent from; an API call is told why.
    static func shownOnceReplay(for request: Request, formKey: Bool) -> Response {
        if formKey {
            let back = request.headers.first(name: .referer).flatMap(URL.init(string:)).map(\.path) ?? "/"
            return Response(status: .seeOther, headers: [HTTPHeaders.Name.location.description: SafeRedirect.path(back)])
        }
        let error = ErrorBody(AppError(
            status: .conflict, code: "shown_once",
            message: .init(vi: "Kết quả này chứa một mã chỉ hiện một lần và đã được gửi: hãy làm lại để có mã mới",
                           en: "This answer held a secret shown only once and was already sent: do it again for a new one")), language: .vi)
        let response = Response(status: .conflict, headers: ["Content-Type": "application/json; charset=utf-8"])
        response.body = .init(data: (try? JSONEncoder().encode(error)) ?? Data())
        return response
    }

    static func replay(_ row: IdempotencyKeyModel) -> Response {
        var headers = HTTPHeaders()
        if let type = row.contentType { headers.replaceOrAdd(name: .contentType, value: type) }
        if let location = row.location { headers.replaceOrAdd(name: .location, value: location) }
        headers.replaceOrAdd(name: "Idempotent-Replayed", value: "true")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let status = HTTPResponseStatus(statusCode: row.status ?? 200)
        return Response(status: status, headers: headers, body: .init(data: row.body ?? Data()))
    }
}

extension Response {
    private struct ShownOnceKey: StorageKey { typealias Value = Bool }

    /// Set by a handler whose answer carries a secret shown once: a repeat of the request with the
    /// same once-only key is not answered with it (the stored answer would keep the secret in clear).
    var showsSecretOnce: Bool {
        get { storage[ShownOnceKey.self] ?? false }
        set { storage[ShownOnceKey.self] = newValue }
    }

    func shownOnce() -> Response {
        showsSecretOnce = true
        return self
    }
}

/// The rows behind `IdempotencyMiddleware`.
struct IdempotencyStore {
    var database: any Database

    enum Claim {
        case claimed(IdempotencyKeyModel)
        case running(IdempotencyKeyModel)
        case answered(IdempotencyKeyModel)
    }

    func claim(caller: String, key: String, fingerprint: String) async throws -> Claim {
        let row = IdempotencyKeyModel(caller: caller, key: key, fingerprint: fingerprint, createdAt: Date())
        do {
            try await row.create(on: database)
            return .claimed(row)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            guard let existing = try await IdempotencyKeyModel.query(on: database)
                .filter(\.$caller == caller).filter(\.$key == key).first()
            else { return try await claim(caller: caller, key: key, fingerprint: fingerprint) }
            return existing.status == nil ? .running(existing) : .answered(existing)
        }
    }

    func finish(_ row: IdempotencyKeyModel, with answer: Response, shownOnceReplay: Response) async throws {
        // A server error did nothing the caller can rely on: let the same key try again.
        guard answer.status.code < 500 else { return try await release(row) }
        let response = answer.showsSecretOnce ? shownOnceReplay : answer
        row.status = Int(response.status.code)
        row.contentType = response.headers.first(name: .contentType)
        row.location = response.headers.first(name: .location)
        if let buffer = response.body.buffer, buffer.readableBytes <= IdempotencyMiddleware.largestKeptAnswer {
            row.body = Data(buffer.readableBytesView)
        }
        try await row.save(on: database)
    }

    func release(_ row: IdempotencyKeyModel) async throws {
        try await row.delete(on: database)
    }

    /// Forgets the answers kept longer than `IdempotencyMiddleware.keptFor` (the pruning job);
    /// returns how many.
    func forgetOld(now: Date = Date()) async throws -> Int {
        try await Pruning.delete(from: IdempotencyKeyModel.schema, where: "created_at", before: now.addingTimeInterval(-IdempotencyMiddleware.keptFor), on: database)
    }
}
