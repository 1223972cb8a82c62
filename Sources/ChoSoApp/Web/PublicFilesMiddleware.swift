import Vapor

/// The public files (CSS, scripts, icons), looked up only for paths that could name one: a path
/// segment longer than a file name may be (255 bytes) made the file system's `stat` fail with
/// "file name too long", which Vapor's file middleware turned into a 500 (found by the odd-request
/// sweep on a release server). Such paths go on to the routes, which answer them properly.
/// A file asked for by its current version (`StaticAssets`) is kept by browsers for a year; gzip
/// for text types is the server's (`AppFactory`).
struct PublicFilesMiddleware: SelectiveMiddleware {
    let files: FileMiddleware
    static let longestName = 255
    static let longestPath = 1024

    /// Files are fetched, never posted to: a webhook does not ask the file system first.
    func applies(to request: Request) -> Bool {
        request.method == .GET || request.method == .HEAD
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard path.utf8.count <= Self.longestPath,
              path.split(separator: "/").allSatisfy({ $0.utf8.count <= Self.longestName })
        else { return try await next.respond(to: request) }
        let response = try await files.respond(to: request, chainingTo: next)
        // A file asked for by its current version never changes: keep it a year. Anything else
        // (an old version, no version, the service worker) is checked again with its ETag.
        if response.status == .ok || response.status == .notModified, request.application.staticAssets.versions[path] != nil {
            response.headers.replaceOrAdd(
                name: .cacheControl,
                value: request.application.staticAssets.isCurrent(request) ? "public, max-age=31536000, immutable" : "no-cache")
        }
        return response
    }
}
