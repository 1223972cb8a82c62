import Vapor

/// Headers every answer carries: no page of ChoSo may be framed by another site (a hidden frame
/// over "Xác nhận" buttons), scripts come only from ChoSo's own files (an injected `<script>` or
/// `onclick` does not run), a file is read as the type it is sent as, and links to other sites do
/// not learn which page (and which stall or request id) they came from. Behind TLS, browsers are
/// told to use https only.
struct SecurityHeadersMiddleware: Middleware {
    /// Styles may be inline (bar widths, the print page size); scripts never.
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:",
        "media-src 'self' blob: data:", "connect-src 'self'", "font-src 'self'", "worker-src 'self'", "manifest-src 'self'",
        "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// True when ChoSo is reached over https (`CHOSO_PUBLIC_URL`).
    var behindTLS = false

    /// Plain futures: every request passes here (`SelectiveMiddleware` says why).
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
            response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
            response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
            if behindTLS { response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000") }
            return response
        }
    }
}
