import ChoSoCore
import Leaf
import Vapor

/// What every page's layout needs, around the page's own `Encodable` context.
struct Page<Content: Encodable & Sendable>: Encodable, Sendable {
    struct Viewer: Encodable, Sendable {
        var name: String
        var role: String
        var roleLabel: String
        var isAdmin: Bool
    }

    var t: [String: String]
    var lang: String
    var otherLang: String
    var title: String
    /// This page's path, for the language switch to come back to.
    var path: String
    var csrf: String
    /// This rendering's once-only key: every form of the page sends it as `_once`, so a double tap
    /// or a resend is carried out once (`IdempotencyMiddleware`).
    var once: String
    /// The public files' versioned URLs: `#(assets.app)` is /app.css?v=….
    var assets: [String: String]
    var viewer: Viewer?
    var notice: String?
    var content: Content
}

extension Request {
    /// Renders a page in the request's language with the layout's shared context.
    func renderPage<Content: Encodable & Sendable>(
        _ template: String, title: LocalizedText, _ content: Content, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let language = self.language
        let viewer = currentUser.map {
            Page<Content>.Viewer(name: $0.displayName, role: $0.role.rawValue, roleLabel: $0.role.label.text(in: language), isAdmin: $0.role == .admin)
        }
        var notice: String?
        if hasSession, let flash = session.data["notice"] {
            notice = flash
            session.data["notice"] = nil
        }
        let page = Page(
            t: UIStrings.table(for: language), lang: language.rawValue,
            otherLang: language == .vi ? Language.en.rawValue : Language.vi.rawValue,
            title: title.text(in: language), path: url.path, csrf: csrfToken(), once: Data([UInt8].random(count: 16)).base64URLEncodedString(),
            assets: application.staticAssets.templateURLs, viewer: viewer, notice: notice, content: content)
        let view = try await self.view.render(template, page)
        let response = try await view.encodeResponse(status: status, for: self)
        response.headers.replaceOrAdd(name: .contentLanguage, value: language.rawValue)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// A short message shown once on the next page.
    func flash(_ text: LocalizedText) {
        session.data["notice"] = text.text(in: language)
    }

    func redirectAfterPost(to path: String) -> Response {
        redirect(to: path, redirectType: .normal)
    }
}

/// A form's values and problems, shown again when it is rejected.
struct FormState: Encodable, Sendable {
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    /// For the template: Leaf treats an empty dictionary as true.
    var hasErrors = false

    init(values: [String: String] = [:]) { self.values = values }

    init(values: [String: String], error: AppError, language: Language) {
        self.values = values
        for fieldError in error.fieldErrors {
            // "account.bin" → "account_bin": form field names, which templates can address.
            let key = fieldError.field.replacingOccurrences(of: ".", with: "_")
            if errors[key] == nil { errors[key] = fieldError.message.text(in: language) }
        }
        if error.fieldErrors.isEmpty { errors["_form"] = error.message.text(in: language) }
        hasErrors = !errors.isEmpty
    }
}
