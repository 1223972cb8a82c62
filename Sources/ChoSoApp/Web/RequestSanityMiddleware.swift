import Vapor

/// Refuses, before anything reads the body, what a library on the way would trap on. Today:
/// a multipart body whose boundary is empty (multipart-kit's parser asserts it is not, which
/// stopped the server) or longer than RFC 2046's 70 characters.
struct RequestSanityMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let type = request.headers.contentType, type.type == "multipart" {
            let boundary = type.parameters["boundary"] ?? ""
            guard (1...70).contains(boundary.count) else {
                throw AppError(
                    status: .badRequest, code: "bad_multipart",
                    message: .init(
                        vi: "Biểu mẫu gửi lên thiếu hoặc sai ranh giới (boundary) của multipart/form-data",
                        en: "The multipart/form-data body has no valid boundary"))
            }
        }
        return try await next.respond(to: request)
    }
}
