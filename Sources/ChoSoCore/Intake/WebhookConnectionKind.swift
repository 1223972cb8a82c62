import Foundation

/// A provider and the way its deliveries prove where they come from: which combinations exist,
/// how their secret is kept, and the check and decoder that apply.
public struct WebhookConnectionKind: Hashable, Sendable {
    public enum Provider: String, Sendable, CaseIterable { case sepay, casso, payos, generic }

    public enum Auth: String, Sendable, CaseIterable {
        /// SePay `Authorization: Apikey <key>`.
        case apiKey = "api_key"
        /// SePay `X-SePay-Signature` + `X-SePay-Timestamp`; ChoSo generic `X-ChoSo-Signature`.
        case hmac
        /// Casso's legacy `Secure-Token` header.
        case secureToken = "secure_token"
        /// Casso Webhook V2 `X-Casso-Signature`.
        case cassoV2 = "v2"
        /// payOS: the body's `signature` over `data` with the checksum key.
        case checksum
    }

    /// How the secret is stored: `hashed` when it is only compared, `sealed` when ChoSo needs it
    /// back to compute an HMAC.
    public enum SecretStorage: Sendable { case hashed, sealed }

    public let provider: Provider
    public let auth: Auth

    public static let allowed: [Provider: [Auth]] = [
        .sepay: [.apiKey, .hmac], .casso: [.cassoV2, .secureToken], .payos: [.checksum], .generic: [.hmac],
    ]

    /// Nil for an unknown provider or a mode the provider does not use; the auth defaults to the
    /// provider's first (preferred) mode when none is given (an empty string is not a mode).
    public init?(provider rawProvider: String, auth rawAuth: String?) {
        guard let provider = Provider(rawValue: rawProvider), let modes = Self.allowed[provider] else { return nil }
        let auth: Auth
        if let rawAuth {
            guard let chosen = Auth(rawValue: rawAuth), modes.contains(chosen) else { return nil }
            auth = chosen
        } else {
            auth = modes[0]
        }
        self.provider = provider
        self.auth = auth
    }

    public var secretStorage: SecretStorage {
        switch auth {
        case .apiKey, .secureToken: .hashed
        case .hmac, .cassoV2, .checksum: .sealed
        }
    }

    /// Casso and payOS issue their keys; SePay and the generic format let the merchant (or
    /// ChoSo) choose one.
    public var senderIssuesSecret: Bool { provider == .casso || provider == .payos }

    /// The stored form of a secret a connection keeps.
    public enum StoredSecret: Sendable {
        case hash(String)
        case plain(String)
    }

    /// The provider's authentication, on the raw body, before anything reads it.
    public func verify(
        header: (String) -> String?, body: [UInt8], secret: StoredSecret, now: Date = Date()
    ) throws(WebhookError) {
        switch (auth, secret) {
        case (.apiKey, .hash(let hash)):
            let presented = header("Authorization") ?? ""
            let prefix = "apikey "
            guard presented.lowercased().hasPrefix(prefix),
                  WebhookSignatures.constantTimeEqual(SecretVault.hash(String(presented.dropFirst(prefix.count))), hash)
            else { throw .unauthorized("wrong or missing API key") }
        case (.secureToken, .hash(let hash)):
            guard let token = header("Secure-Token"), WebhookSignatures.constantTimeEqual(SecretVault.hash(token), hash) else {
                throw .unauthorized("wrong or missing Secure-Token")
            }
        case (.hmac, .plain(let key)) where provider == .sepay:
            try WebhookSignatures.verifySePayHMAC(
                signature: header("X-SePay-Signature"), timestamp: header("X-SePay-Timestamp"), body: body, secret: key, now: now)
        case (.hmac, .plain(let key)):
            try WebhookSignatures.verifyGeneric(header: header("X-ChoSo-Signature"), body: body, secret: key, now: now)
        case (.cassoV2, .plain(let key)):
            try WebhookSignatures.verifyCassoV2(header: header("X-Casso-Signature"), body: body, key: key, now: now)
        case (.checksum, .plain(let key)):
            try WebhookSignatures.verifyPayOS(body: body, checksumKey: key)
        default:
            throw .unauthorized("the connection's secret is not usable")
        }
    }

    /// The provider's decoder. Casso's two formats are told apart by the auth mode. `now` is the
    /// clock bank times are checked against (no more than a day ahead of it).
    public func decode(_ body: [UInt8], timeZone: TimeZone, now: Date = Date()) throws(WebhookError) -> WebhookContent {
        switch provider {
        case .sepay: try WebhookDecoders.sepay(body, timeZone: timeZone, now: now)
        case .casso:
            auth == .secureToken
                ? try WebhookDecoders.cassoLegacy(body, timeZone: timeZone, now: now) : try WebhookDecoders.cassoV2(body, timeZone: timeZone, now: now)
        case .payos: try WebhookDecoders.payOS(body, timeZone: timeZone, now: now)
        case .generic: try WebhookDecoders.generic(body, now: now)
        }
    }

    /// The body each provider wants back on success.
    public var successReply: String {
        switch provider {
        case .sepay, .payos, .generic: #"{"success":true}"#
        case .casso: #"{"error":0,"message":"ok","success":true}"#
        }
    }
}
