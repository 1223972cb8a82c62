import ChoSoCore
import Vapor

extension Request {
    /// The language to answer in: the user's explicit choice (cookie), then `Accept-Language`;
    /// Vietnamese when nothing says otherwise.
    var language: Language {
        if let chosen = cookies[LanguageCookie.name]?.string, let language = Language(rawValue: chosen) {
            return language
        }
        return Language.preferred(acceptLanguage: headers.first(name: .acceptLanguage))
    }

    /// API and webhook requests, and callers that ask for JSON first, get JSON errors; people get pages.
    /// (Media types are compared by hand: `HTTPMediaType ==` treats `*/*` as equal to JSON.)
    var wantsJSON: Bool {
        url.path.hasPrefix("/api/") || url.path.hasPrefix("/hooks/")
            || headers.accept.first.map { $0.mediaType.type == "application" && $0.mediaType.subType == "json" } == true
    }
}

enum LanguageCookie {
    static let name = "choso_lang"

    static func value(_ language: Language, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: language.rawValue, maxAge: 60 * 60 * 24 * 365, path: "/",
            isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

extension Request {
    /// Who is calling, for login limits and logs: the connection's peer, or what a trusted proxy
    /// says (`CHOSO_TRUSTED_PROXIES`). Vapor's `peerAddress` believes `X-Forwarded-For` from
    /// anyone, so it is not used.
    var clientAddress: String {
        application.choSoConfig.trustedProxies.clientAddress(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor])
    }
}
