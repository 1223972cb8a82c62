import ChoSoCore
import Vapor

/// An error a person can act on: an HTTP status, a stable code for programs and a message in
/// both languages. Services throw these; the error middleware renders them as JSON or as a page.
struct AppError: Error, Sendable {
    var status: HTTPResponseStatus
    var code: String
    var message: LocalizedText
    /// Field problems of a rejected form or body, all at once.
    var fieldErrors: [FieldError] = []
    /// Seconds after which the same request may succeed (`Retry-After` of a 429 or 503).
    var retryAfter: Int? = nil

    static let notFound = AppError(
        status: .notFound, code: "not_found",
        message: LocalizedText(vi: "Không tìm thấy trang hoặc mục này", en: "This page or item does not exist"))
    static let forbidden = AppError(
        status: .forbidden, code: "forbidden",
        message: LocalizedText(vi: "Bạn không có quyền làm việc này", en: "You are not allowed to do this"))
    static let unauthenticated = AppError(
        status: .unauthorized, code: "unauthenticated",
        message: LocalizedText(vi: "Hãy đăng nhập để tiếp tục", en: "Please sign in to continue"))
    static let badCSRF = AppError(
        status: .forbidden, code: "csrf_failed",
        message: LocalizedText(
            vi: "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ: hãy tải lại trang rồi thử lại",
            en: "The session expired or the form is not valid: reload the page and try again"))

    static let badDate = AppError(
        status: .badRequest, code: "bad_date",
        message: LocalizedText(vi: "Ngày phải có dạng YYYY-MM-DD, ví dụ 2024-01-05", en: "The date must be YYYY-MM-DD, e.g. 2024-01-05"))

    static func invalid(_ failure: ValidationFailure) -> AppError {
        AppError(
            status: .unprocessableEntity, code: "validation_failed",
            message: LocalizedText(vi: "Thông tin chưa hợp lệ, hãy sửa các ô được đánh dấu", en: "Some fields are not valid; fix the marked fields"),
            fieldErrors: failure.errors)
    }

    /// Too many requests from one address at a public door (`RateLimitMiddleware`).
    static func rateLimited(retryAfter seconds: Int) -> AppError {
        AppError(
            status: .tooManyRequests, code: "rate_limited",
            message: LocalizedText(
                vi: "Có quá nhiều yêu cầu từ địa chỉ của bạn. Hãy thử lại sau \(seconds) giây",
                en: "Too many requests from your address. Try again in \(seconds) seconds"),
            retryAfter: seconds)
    }

    /// A large amount, asked again: the same request with `confirm` goes through.
    static func needsConfirmation(_ message: LocalizedText, field: String) -> AppError {
        AppError(
            status: .unprocessableEntity, code: "needs_confirmation", message: message,
            fieldErrors: [FieldError(field: field, code: "amount_needs_confirmation", message: message)])
    }

    static func badBody(_ detail: String) -> AppError {
        AppError(
            status: .badRequest, code: "bad_body",
            message: LocalizedText(vi: "Nội dung gửi lên không đọc được: \(detail)", en: "The request body cannot be read: \(detail)"))
    }

    /// Maps the policy's decision to the answer: hidden things look exactly like missing ones.
    static func denied(_ decision: Decision) -> AppError {
        decision == .hidden ? .notFound : .forbidden
    }
}

extension Request {
    /// A `true`/`false` query parameter: nil when absent, 400 `bad_parameter` for anything else
    /// (`null`, `1`, `%C2%85…` were read as false).
    func booleanQuery(_ name: String) throws -> Bool? {
        guard let text = query[String.self, at: name] else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            throw AppError(
                status: .badRequest, code: "bad_parameter",
                message: LocalizedText(vi: "\(name) phải là true hoặc false", en: "\(name) must be true or false"))
        }
    }

    /// A `YYYY-MM-DD` query parameter: nil when absent, 400 `bad_date` when not a real day.
    func dayQuery(_ name: String = "date") throws -> Day? {
        guard let text = query[String.self, at: name] else { return nil }
        guard let day = Day(iso: text) else { throw AppError.badDate }
        return day
    }
}

/// The JSON error body every API client relies on (DESIGN.md §6).
struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var fields: [FieldDetail]?
    }
    struct FieldDetail: Content {
        var field: String
        var code: String
        var message: String
    }
    var error: Detail

    init(_ error: AppError, language: Language) {
        self.error = Detail(
            code: error.code,
            message: error.message.text(in: language),
            fields: error.fieldErrors.isEmpty ? nil : error.fieldErrors.map {
                FieldDetail(field: $0.field, code: $0.code, message: $0.message.text(in: language))
            })
    }
}

extension Validated {
    /// The value, or a 422 with every field's problem (the pages re-show their form on an `AppError`).
    func valueOrInvalid() throws -> Value {
        switch self {
        case .valid(let value): return value
        case .invalid(let errors): throw AppError.invalid(ValidationFailure(errors: errors))
        }
    }
}

extension Response {
    /// The response with the error's `Retry-After`, when it has one (a page re-shown after a 429).
    func sayingWhenToRetry(_ error: AppError) -> Response {
        if let seconds = error.retryAfter { headers.replaceOrAdd(name: .retryAfter, value: String(seconds)) }
        return self
    }
}
