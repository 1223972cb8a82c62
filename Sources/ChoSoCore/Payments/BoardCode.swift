import Crypto
import Foundation

/// The short code printed on a stall's QR board and shown again by the check page. It is keyed
/// by the installation's secret, so a forger cannot make one for a board of their own, and it
/// changes with the account, so an old board no longer matches.
public enum BoardCode {
    public static func make(secret: String, stallID: String, accountID: String) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("board|\(stallID)|\(accountID)".utf8), using: key)
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let bytes = Array(mac.prefix(4))
        let value = bytes.reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
        let characters = (0..<6).map { alphabet[Int((value >> UInt32(5 * $0)) & 31)] }
        return String(characters[0..<3]) + "-" + String(characters[3..<6])
    }
}
