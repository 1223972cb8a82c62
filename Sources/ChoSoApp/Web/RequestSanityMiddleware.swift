import Vapor

/// Refuses, before anything reads or decodes the body, what a library on the way would trap on
/// or spend seconds on:
/// - a multipart body whose boundary is empty (multipart-kit's parser asserts it is not, which
///   stopped the server) or longer than RFC 2046's 70 characters;
/// - a form with more fields than any page sends: decoding grows faster than the field count
///   (60,000 `a[]=v` fields took 33 s, 100,000 multipart parts over ten minutes);
/// - a path with a NUL or another control character (`/cashier.js%00.html` was served as HTML):
///   404, since it names nothing.
struct RequestSanityMiddleware: SelectiveMiddleware {
    /// The largest form ChoSo sends has a few dozen fields; an API body is JSON, not a form.
    static let maxFormFields = 500
    /// Nested keys (`a[b][c]`) cost the decoder most; no ChoSo form uses them.
    static let maxFormBrackets = 64

    /// A form (whose fields it counts) or a path with a control character; a JSON body goes on.
    func applies(to request: Request) -> Bool {
        let type = request.headers.contentType
        return type?.type == "multipart" || type == .urlEncodedForm || Self.hasControlCharacter(request.url.path)
    }

    static func hasControlCharacter(_ path: String) -> Bool {
        // Most paths are plain ASCII without escapes: nothing to decode (a webhook's, every time).
        guard path.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 < 0x20 || $0 >= 0x7F }) else { return false }
        return (path.removingPercentEncoding ?? path).unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Nothing is named with a control character: 404, as for any other path that names
        // nothing (every API operation documents 404; a 400 here broke the OpenAPI contract).
        if Self.hasControlCharacter(request.url.path) {
            throw AppError(
                status: .notFound, code: "bad_path",
                message: .init(vi: "Không có trang này: địa chỉ có ký tự điều khiển", en: "Nothing here: the path contains a control character"))
        }
        guard let type = request.headers.contentType else { return try await next.respond(to: request) }
        if type.type == "multipart" {
            let boundary = type.parameters["boundary"] ?? ""
            guard (1...70).contains(boundary.count) else {
                throw AppError(
                    status: .badRequest, code: "bad_multipart",
                    message: .init(
                        vi: "Biểu mẫu gửi lên thiếu hoặc sai ranh giới (boundary) của multipart/form-data",
                        en: "The multipart/form-data body has no valid boundary"))
            }
            let body = try await collect(request)
            guard Self.count(Array("--\(boundary)".utf8), in: body) <= Self.maxFormFields + 1 else { throw Self.tooManyFields }
        } else if type == .urlEncodedForm {
            let body = try await collect(request)
            guard Self.count([UInt8(ascii: "&")], in: body) < Self.maxFormFields,
                  Self.count([UInt8(ascii: "[")], in: body) + Self.count(Array("%5B".utf8), in: body) + Self.count(Array("%5b".utf8), in: body) <= Self.maxFormBrackets
            else { throw Self.tooManyFields }
        }
        return try await next.respond(to: request)
    }

    static let tooManyFields = AppError(
        status: .payloadTooLarge, code: "too_many_fields",
        message: .init(vi: "Biểu mẫu có quá nhiều trường", en: "The form has too many fields"))

    /// The body, read once (the routes and the CSRF check read the same collected buffer).
    private func collect(_ request: Request) async throws -> ByteBuffer {
        try await request.body.collect(max: request.largestBody).get() ?? ByteBuffer()
    }

    /// Occurrences of `needle` in the buffer, without copying it.
    static func count(_ needle: [UInt8], in buffer: ByteBuffer) -> Int {
        guard let first = needle.first else { return 0 }
        let bytes = buffer.readableBytesView
        var found = 0
        var index = bytes.startIndex
        while let hit = bytes[index...].firstIndex(of: first) {
            if bytes[hit...].starts(with: needle) { found += 1 }
            index = bytes.index(after: hit)
        }
        return found
    }
}

extension Request {
    /// The largest body a middleware may collect before the route does, in bytes: the route's own
    /// limit where a route takes more than the default 1 MB (a statement upload, a phone's sync
    /// batch once inflated), so a middleware reading first never refuses what the route accepts.
    var largestBody: Int {
        let path = url.path
        if path.hasSuffix("/statements") { return 16 << 20 }
        if path == "/api/v1/sync" { return Int(SyncAPIController.largestBody.value) }
        if path.hasPrefix("/ocop/register/") && path.hasSuffix("/photos") { return OcopRegisterWebController.photoBody }
        if path == "/ocop/register/import" { return OcopRegisterWebController.annexBody }
        if path.hasPrefix("/indicators/") && path.hasSuffix("/baselines/import") { return IndicatorSetupWebController.importBody }
        return 1 << 20
    }
}
