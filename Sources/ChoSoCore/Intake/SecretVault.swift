import Crypto
import Foundation

/// Keeps connection secrets so that a database dump does not reveal them (DESIGN.md §7): secrets
/// ChoSo must use again to compute an HMAC are sealed with AES-GCM under a key derived from
/// `CHOSO_SECRET_KEY`; keys that are only compared are stored as their SHA-256.
public struct SecretVault: Sendable {
    private let key: SymmetricKey

    public init(masterKey: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(masterKey.utf8)),
            salt: Data("choso-connection-secrets".utf8), info: Data("v1".utf8), outputByteCount: 32)
    }

    /// Base64 of nonce ‖ ciphertext ‖ tag.
    public func seal(_ secret: String) -> String {
        // AES-GCM with a fresh random nonce cannot fail for in-memory input.
        let box = try! AES.GCM.seal(Data(secret.utf8), using: key)
        return box.combined!.base64EncodedString()
    }

    /// Nil when the text was not sealed with this key (the master key changed, or it was altered).
    public func open(_ sealed: String) -> String? {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key)
        else { return nil }
        return String(data: plain, encoding: .utf8)
    }

    public static func hash(_ secret: String) -> String {
        Hex.lowercase(SHA256.hash(data: Data(secret.utf8)))
    }

    /// A new random secret, 32 bytes as lowercase hex, for the connections whose sender lets the
    /// merchant choose the key.
    public static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.lowercase((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
