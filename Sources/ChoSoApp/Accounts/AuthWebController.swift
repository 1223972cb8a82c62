import ChoSoCore
import Vapor

/// Sign-in, sign-out and the language switch for the web pages.
struct AuthWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: loginPage)
        routes.rateLimited(.login).post("login", use: login)
        routes.post("logout", use: logout)
        routes.post("language", use: switchLanguage)
    }

    struct LoginContent: Encodable, Sendable {
        var next: String
        var form: FormState
    }

    @Sendable func loginPage(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: "/") }
        let next = Self.safeRedirect(req.query[String.self, at: "next"])
        return try await req.renderPage("login", title: .init(vi: "Đăng nhập", en: "Sign in"), LoginContent(next: next, form: FormState()))
    }

    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let next = Self.safeRedirect(form.next)
        do {
            let user = try await req.accounts.authenticate(
                username: form.username ?? "", password: form.password ?? "",
                clientAddress: req.clientAddress)
            // A new session id at sign-in, so a session id planted before sign-in is worthless.
            if let oldID = req.session.id {
                try await req.application.sessions.driver.deleteSession(oldID, for: req).get()
                req.session.id = nil
            }
            req.session.data = SessionData()
            req.session.data[AuthenticationMiddleware.sessionUserKey] = try user.requireID().uuidString
            req.session.data[AuthenticationMiddleware.sessionEpochKey] = String(user.credentialEpoch ?? 0)
            let response = req.redirect(to: next)
            if let language = user.language.flatMap(Language.init(rawValue:)) {
                response.cookies[LanguageCookie.name] = LanguageCookie.value(language, secure: req.application.choSoConfig.usesSecureCookies)
            }
            return response
        } catch let error as AppError {
            let state = FormState(values: ["username": form.username ?? ""], error: error, language: req.language)
            return try await req.renderPage(
                "login", title: .init(vi: "Đăng nhập", en: "Sign in"), LoginContent(next: next, form: state), status: error.status)
                .sayingWhenToRetry(error)
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        req.auth.logout(CurrentUser.self)
        req.session.destroy()
        return req.redirect(to: "/login")
    }

    struct LanguageForm: Content {
        var lang: String?
        var back: String?
    }

    @Sendable func switchLanguage(req: Request) async throws -> Response {
        let form = try req.content.decode(LanguageForm.self)
        let language = form.lang.flatMap(Language.init(rawValue:)) ?? .vi
        if let user = req.currentUser {
            try await req.accounts.setLanguage(language, forUser: user.id)
        }
        let response = req.redirect(to: Self.safeRedirect(form.back))
        response.cookies[LanguageCookie.name] = LanguageCookie.value(language, secure: req.application.choSoConfig.usesSecureCookies)
        return response
    }

    /// Only paths on this site, so the login page cannot be used to send people elsewhere.
    static func safeRedirect(_ target: String?) -> String { SafeRedirect.path(target) }
}
