import ChoSoCore
import Vapor

/// Turns every error into the answer the caller can use: the JSON error body for the API, a page
/// in the user's language for people, a redirect to the login page for a signed-out visitor.
struct ErrorPageMiddleware: Middleware {
    /// Plain futures on the way through; only an error is answered in a task (rendering a page).
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { try await Self.answer(error, to: request) }
        }
    }

    private static func answer(_ error: any Error, to request: Request) async throws -> Response {
        var appError = Self.appError(for: error)
        var allowed: Set<String> = []
        if appError.status == .notFound {
            // No route for this method, but one for another: 405 with the methods there are.
            allowed = Self.methods(for: request.url.path, in: request.application.routes)
            let method = request.method.rawValue
            if !allowed.isEmpty, !allowed.contains(method), !(method == "HEAD" && allowed.contains("GET")) {
                appError = AppError(
                    status: .methodNotAllowed, code: "method_not_allowed",
                    message: .init(vi: "Địa chỉ này không nhận phương thức \(request.method.rawValue)", en: "This address does not take \(request.method.rawValue)"))
            } else {
                allowed = []
            }
        }
        if appError.status.code >= 500 {
            request.logger.report(error: error)
        }
        if request.wantsJSON {
            let response = Response(status: appError.status)
            try response.content.encode(ErrorBody(appError, language: request.language))
            if !allowed.isEmpty { response.headers.replaceOrAdd(name: .allow, value: allowed.sorted().joined(separator: ", ")) }
            return response.sayingWhenToRetry(appError)
        }
        if appError.status == .unauthorized, request.method == .GET {
            let target = request.url.string
            return request.redirect(to: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        struct ErrorContent: Encodable, Sendable { var status: UInt; var message: String }
        do {
            return try await request.renderPage(
                "error", title: LocalizedText(vi: "Có lỗi", en: "Error"),
                ErrorContent(status: appError.status.code, message: appError.message.text(in: request.language)),
                status: appError.status).sayingWhenToRetry(appError)
        } catch {
            return Response(status: appError.status, body: .init(string: appError.message.text(in: request.language)))
                .sayingWhenToRetry(appError)
        }
    }

    /// The methods of the routes whose path matches `path`.
    static func methods(for path: String, in routes: Routes) -> Set<String> {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        // Like the router, a route with more fixed words wins: `devices/pair` is not `devices/:id`.
        let matching = routes.all.filter { matches($0.path, parts) }
        let mostSpecific = matching.map { Self.constants(in: $0.path) }.max() ?? 0
        return Set(matching.filter { Self.constants(in: $0.path) == mostSpecific }.map(\.method.rawValue))
    }

    private static func constants(in pattern: [PathComponent]) -> Int {
        pattern.filter { if case .constant = $0 { return true } else { return false } }.count
    }

    private static func matches(_ pattern: [PathComponent], _ parts: [Substring]) -> Bool {
        var index = 0
        for component in pattern {
            switch component {
            case .catchall: return index < parts.count
            case .constant(let text):
                guard index < parts.count, parts[index] == text else { return false }
            case .parameter, .anything:
                guard index < parts.count else { return false }
            }
            index += 1
        }
        return index == parts.count
    }

    static func appError(for error: any Error) -> AppError {
        switch error {
        case let appError as AppError:
            return appError
        case let failure as ValidationFailure:
            return .invalid(failure)
        case let decoding as DecodingError:
            return .badBody(Self.describe(decoding))
        case let abort as any AbortError:
            switch abort.status {
            case .notFound: return .notFound
            case .unauthorized: return .unauthenticated
            case .forbidden: return .forbidden
            case .payloadTooLarge:
                return AppError(status: .payloadTooLarge, code: "too_large", message: .init(vi: "Nội dung gửi lên quá lớn", en: "The request is too large"))
            case .unsupportedMediaType:
                return AppError(status: .unsupportedMediaType, code: "unsupported_media_type", message: .init(vi: "Hãy gửi JSON (Content-Type: application/json)", en: "Send JSON (Content-Type: application/json)"))
            default:
                if abort.status.code < 500 {
                    return .badBody(abort.reason)
                }
                return internalError
            }
        default:
            return internalError
        }
    }

    static let internalError = AppError(
        status: .internalServerError, code: "internal_error",
        message: .init(vi: "Hệ thống gặp lỗi, hãy thử lại sau ít phút", en: "Something failed on our side; try again in a few minutes"))

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "thiếu trường \"\(key.stringValue)\" / missing field \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "JSON không hợp lệ / invalid JSON" : "trường \"\(path)\" sai kiểu / field \"\(path)\" has the wrong type"
        @unknown default: return "JSON không hợp lệ / invalid JSON"
        }
    }
}
