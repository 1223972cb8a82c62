import ChoSoCore
import Vapor

/// Finds who is calling: an `Authorization: Bearer` token, or else the web session.
struct AuthenticationMiddleware: SelectiveMiddleware {
    static let sessionUserKey = "user_id"
    /// The user's credential epoch at sign-in (see `UserModel.credentialEpoch`).
    static let sessionEpochKey = "epoch"

    /// Only a request with a bearer token or a session cookie can sign anyone in.
    func applies(to request: Request) -> Bool {
        request.headers.bearerAuthorization != nil || request.hasSession
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let accounts = request.accounts
        // Speaker devices carry their own tokens; their routes check them.
        if let bearer = request.headers.bearerAuthorization, !bearer.token.hasPrefix(SpeakerDeviceService.tokenPrefix) {
            guard let user = try await accounts.user(forToken: bearer.token) else {
                throw AppError(
                    status: .unauthorized, code: "bad_token",
                    message: .init(vi: "Mã truy cập (token) không hợp lệ hoặc đã bị thu hồi", en: "The API token is not valid or was revoked"))
            }
            request.auth.login(user)
        } else if request.hasSession, let idText = request.session.data[Self.sessionUserKey], let id = UUID(uuidString: idText) {
            let epoch = request.session.data[Self.sessionEpochKey].flatMap { Int($0) } ?? 0
            if let user = try await accounts.currentUser(id: id, proof: .session, sessionEpoch: epoch) {
                request.auth.login(user)
            } else {
                request.session.data[Self.sessionUserKey] = nil
            }
        }
        if let user = request.currentUser, user.mustChangePassword, !Self.allowedBeforeANewPassword.contains(request.url.path) {
            if request.method == .GET, !request.wantsJSON { return request.redirect(to: "/password") }
            throw AppError.passwordChangeRequired
        }
        return try await next.respond(to: request)
    }

    /// What someone signed in with a one-time code may do before choosing a password.
    static let allowedBeforeANewPassword: Set<String> = ["/password", "/logout", "/language", "/api/v1/me/password"]
}

extension AppError {
    static let passwordChangeRequired = AppError(
        status: .forbidden, code: "password_change_required",
        message: LocalizedText(
            vi: "Bạn đăng nhập bằng mã dùng một lần: hãy đặt mật khẩu mới trước (trang /password)",
            en: "You signed in with a one-time code: choose a new password first (page /password)"))
}

/// Cross-site request forgery guard: any state-changing request that rides on the session cookie
/// must carry the session's token, as the `_csrf` form field or the `X-CSRF-Token` header.
/// Calls signed in by a bearer token carry no ambient credentials and need none.
struct CSRFMiddleware: SelectiveMiddleware {
    static let sessionKey = "csrf"
    static let formField = "_csrf"
    static let header = "X-CSRF-Token"

    /// A state-changing request that could ride on the session cookie. Only a bearer token that
    /// signed a user in stands for the CSRF token: any other `Authorization` header (a device's,
    /// a made-up one) beside a session cookie does not.
    func applies(to request: Request) -> Bool {
        let safe: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]
        let isBearer = request.currentUser?.proof == .bearerToken
        let usesCookie = request.hasSession || !request.url.path.hasPrefix("/api/")
        return !safe.contains(request.method) && !isBearer && usesCookie && !request.url.path.hasPrefix("/hooks/")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if applies(to: request) {
            // Without a session there is nothing to compare with: refuse before reading a byte of
            // the body (a stranger's huge form cost seconds of CPU to decode, found by the review).
            guard let expected = request.hasSession ? request.session.data[Self.sessionKey] : nil else { throw AppError.badCSRF }
            var sent = request.headers.first(name: Self.header)
            if sent == nil {
                // Middleware runs before the route collects the body; collect it here to read the
                // form (its field count was bounded by RequestSanityMiddleware). Statement uploads
                // are the one large form.
                _ = try await request.body.collect(max: request.largestBody).get()
                sent = try? request.content.get(String.self, at: Self.formField)
            }
            guard let sent, WebhookSignatures.constantTimeEqual(expected, sent) else { throw AppError.badCSRF }
        }
        return try await next.respond(to: request)
    }
}

/// Marks the point in the chain after which the session exists. A request refused earlier (a path
/// the file middleware will not serve, say) is answered without one: touching `session` before
/// Vapor's session middleware has run is an assertion failure.
struct SessionsReadyMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.storage[SessionsReadyKey.self] = true
        return next.respond(to: request)
    }
}

extension Request {
    /// Whether the session middleware has run for this request, so `session` may be read.
    var sessionsReady: Bool { storage[SessionsReadyKey.self] == true }

    /// Whether the request arrived with a session cookie (so no session is made for API calls).
    var hasSession: Bool {
        guard sessionsReady else { return false }
        return cookies[application.sessions.configuration.cookieName] != nil || storage[SessionTouchedKey.self] == true
    }

    /// The CSRF token for forms on this page, made on first need; none before the session exists
    /// (an error page for a request refused that early has no form that could be sent).
    func csrfToken() -> String {
        guard sessionsReady else { return "" }
        storage[SessionTouchedKey.self] = true
        if let token = session.data[CSRFMiddleware.sessionKey] { return token }
        let token = Data([UInt8].random(count: 24)).base64URLEncodedString()
        session.data[CSRFMiddleware.sessionKey] = token
        return token
    }

    var accounts: AccountService {
        AccountService(database: db, hasher: password.async, config: application.choSoConfig)
    }

    var registry: RegistryService {
        get throws { RegistryService(database: db, user: try requireUser()) }
    }
}

private struct SessionTouchedKey: StorageKey { typealias Value = Bool }
private struct SessionsReadyKey: StorageKey { typealias Value = Bool }
