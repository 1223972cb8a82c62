import Crypto
import Foundation
import Vapor

/// The public files under versioned URLs (`/app.css?v=3f2a9c01b7`): the version is a hash of the
/// file's bytes, so a page names exactly the file it was made with and a phone may keep it for a
/// year without asking again (weak 4G: one round trip per file saved on every page).
struct StaticAssets: Sendable {
    /// "/app.css" → its version.
    let versions: [String: String]

    init(directory: String) {
        var versions: [String: String] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names {
            guard let bytes = FileManager.default.contents(atPath: directory + name) else { continue }
            versions["/" + name] = SHA256.hash(data: bytes).prefix(5).map { String(format: "%02x", $0) }.joined()
        }
        self.versions = versions
    }

    /// The names templates use: `#(assets.app)` for /app.css, `#(assets.live)` for /live.js …
    var templateURLs: [String: String] {
        var urls: [String: String] = [:]
        for (path, version) in versions {
            let stem = path.dropFirst().split(separator: ".").first.map(String.init) ?? path
            urls[stem] = "\(path)?v=\(version)"
        }
        return urls
    }

    /// Whether the request names the current version of the file.
    func isCurrent(_ request: Request) -> Bool {
        guard let version = versions[request.url.path] else { return false }
        return request.url.query.map { $0 == "v=\(version)" } ?? false
    }
}

extension Application {
    private struct StaticAssetsKey: StorageKey { typealias Value = StaticAssets }

    var staticAssets: StaticAssets {
        get { storage[StaticAssetsKey.self] ?? StaticAssets(versions: [:]) }
        set { storage[StaticAssetsKey.self] = newValue }
    }
}

extension StaticAssets {
    init(versions: [String: String]) { self.versions = versions }
}
