import ChoSoCore
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// How many test applications may hold PostgreSQL connections at once: Swift Testing runs every
/// test in parallel, and a server's default 100 connections would run out.
actor TestAppSlots {
    static let shared = TestAppSlots(12)
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { available = count }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
    }
}

/// Runs a test against a fresh application with its own clean database: an in-memory SQLite
/// database, or a new schema on the PostgreSQL server named by `TEST_DATABASE_URL`.
func withTestApp(
    configure: (inout AppConfig) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    var config = AppConfig(environment: .testing, database: .sqliteMemory, bcryptCost: 4)
    config.postgresConnectionsPerLoop = 1
    var schema: String?
    if let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        schema = String(name)
        config.database = .postgres(url: url, schema: schema)
    }
    configure(&config)
    if schema != nil { await TestAppSlots.shared.acquire() }
    defer { if schema != nil { Task { await TestAppSlots.shared.release() } } }
    let app = try await ChoSoApp.make(config)
    app.logger.logLevel = .warning
    do {
        if let schema {
            try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(ident: schema)").run()
        }
        try await ChoSoApp.migrate(app)
        try await body(app)
        if let schema {
            try await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        }
    } catch {
        if let schema {
            try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// Which database the suite runs on, for messages.
var testDatabaseName: String {
    ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].map { _ in "postgres" } ?? "sqlite"
}

extension TestingHTTPResponse {
    var text: String { body.string }

    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
    }

    func errorCode() -> String? {
        ((try? json()) as? [String: Any]).flatMap { $0["error"] as? [String: Any] }?["code"] as? String
    }

    func fieldCodes() -> [String: String] {
        let error = ((try? json()) as? [String: Any]).flatMap { $0["error"] as? [String: Any] }
        let fields = error?["fields"] as? [[String: Any]] ?? []
        var codes: [String: String] = [:]
        for field in fields { if let name = field["field"] as? String { codes[name] = field["code"] as? String } }
        return codes
    }
}

extension Application {
    /// A request with a bearer token and an optional JSON body.
    func api(
        _ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        if json != nil { headers.add(name: .contentType, value: "application/json") }
        for (name, value) in extra { headers.add(name: name, value: value) }
        return try await testing().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

/// A person using the web pages: keeps cookies and reads the CSRF token from each page.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf: String?
    var acceptLanguage: String?

    init(_ app: Application, acceptLanguage: String? = nil) {
        self.app = app
        self.acceptLanguage = acceptLanguage
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, form: nil)
    }

    /// Posts a form with this browser's CSRF token unless `csrf` is given.
    @discardableResult
    func post(_ path: String, _ form: [(String, String)], csrf override: String? = nil) async throws -> TestingHTTPResponse {
        var fields = form
        if let token = override ?? csrf { fields.append(("_csrf", token)) }
        return try await send(.POST, path, form: fields)
    }

    private func send(_ method: HTTPMethod, _ path: String, form: [(String, String)]?) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let acceptLanguage { headers.add(name: .acceptLanguage, value: acceptLanguage) }
        var body: ByteBuffer?
        if let form {
            headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
            body = ByteBuffer(string: form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&"))
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { cookies[parts[0]] = parts[1] }
        }
        if let token = Self.csrfToken(in: response.body.string) { csrf = token }
        return response
    }

    /// Posts a multipart form with one file, as a browser's file input sends it.
    @discardableResult
    func upload(_ path: String, fields: [(String, String)] = [], file: (field: String, name: String, type: String, bytes: [UInt8])) async throws -> TestingHTTPResponse {
        let boundary = "----chosotest\(UUID().uuidString.prefix(8))"
        var body = ByteBuffer()
        for (name, value) in fields + [("_csrf", csrf ?? "")] {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n")
        body.writeBytes(file.bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: body)
    }

    @discardableResult
    func login(_ username: String, password: String = Fixture.password) async throws -> TestingHTTPResponse {
        try await get("/login")
        let response = try await post("/login", [("username", username), ("password", password), ("next", "/")])
        // A browser follows the redirects, and so gets the new session's CSRF token.
        var next = response
        for _ in 0..<5 {
            guard next.status == .seeOther, let location = next.headers.first(name: .location) else { break }
            next = try await get(location)
        }
        return response
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
