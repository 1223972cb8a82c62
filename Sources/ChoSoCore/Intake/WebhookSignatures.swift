import Crypto
import Foundation

/// The signature checks of each notification service, on the raw body, before any parsing
/// (DESIGN.md §7). Comparisons run in constant time; where a timestamp is signed, deliveries
/// more than `replayWindow` away from now are refused.
public enum WebhookSignatures {
    public static let replayWindow: TimeInterval = 5 * 60

    /// Compares secrets without stopping at the first difference (signatures, tokens, CSRF).
    public static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<min(a.count, b.count) { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func hmacSHA256(_ message: [UInt8], key: String) -> String {
        Hex.lowercase(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(key.utf8))))
    }

    static func checkTime(_ seconds: TimeInterval, now: Date) throws(WebhookError) {
        guard abs(now.timeIntervalSince1970 - seconds) <= replayWindow else {
            throw .unauthorized("timestamp outside the replay window")
        }
    }

    /// `t=<unix seconds>,v1=<hex>` style headers (ChoSo generic, Casso V2).
    static func parts(_ header: String) -> [String: String] {
        var parts: [String: String] = [:]
        for piece in header.split(separator: ",") {
            let pair = piece.split(separator: "=", maxSplits: 1).map(trimmed)
            if pair.count == 2 { parts[pair[0]] = pair[1] }
        }
        return parts
    }

    /// Without the spaces around it; by hand, since Foundation's trimming was a fiftieth of a
    /// delivery's time.
    private static func trimmed(_ text: Substring) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }), let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[first...last])
    }

    // MARK: Providers

    /// ChoSo's generic format: `X-ChoSo-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
    public static func verifyGeneric(header: String?, body: [UInt8], secret: String, now: Date = Date()) throws(WebhookError) {
        let parts = parts(header ?? "")
        guard let t = parts["t"], let seconds = TimeInterval(t), let v1 = parts["v1"] else {
            throw .unauthorized("missing or malformed X-ChoSo-Signature")
        }
        try checkTime(seconds, now: now)
        guard constantTimeEqual(hmacSHA256(Array((t + ".").utf8) + body, key: secret), v1.lowercased()) else {
            throw .unauthorized("signature mismatch")
        }
    }

    /// SePay with HMAC: `X-SePay-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + raw body)>`.
    public static func verifySePayHMAC(signature: String?, timestamp: String?, body: [UInt8], secret: String, now: Date = Date()) throws(WebhookError) {
        guard let signature, let timestamp, let seconds = TimeInterval(timestamp) else {
            throw .unauthorized("missing X-SePay-Signature or X-SePay-Timestamp")
        }
        try checkTime(seconds, now: now)
        let expected = "sha256=" + hmacSHA256(Array((timestamp + ".").utf8) + body, key: secret)
        guard constantTimeEqual(expected, signature.lowercased()) else { throw .unauthorized("signature mismatch") }
    }

    /// Casso V2: `X-Casso-Signature: t=<unix ms>,v1=<hex HMAC-SHA512(key, t + "." + deep-sorted compact JSON)>`.
    public static func verifyCassoV2(header: String?, body: [UInt8], key: String, now: Date = Date()) throws(WebhookError) {
        let parts = parts(header ?? "")
        guard let t = parts["t"], let milliseconds = Double(t), let v1 = parts["v1"] else {
            throw .unauthorized("missing or malformed X-Casso-Signature")
        }
        try checkTime(milliseconds / 1000, now: now)
        guard let expected = cassoV2Signature(body, t: t, key: key) else { throw .malformed("the body is not JSON") }
        guard constantTimeEqual(expected, v1.lowercased()) else { throw .unauthorized("signature mismatch") }
    }

    /// Nil when the body is not JSON.
    static func cassoV2Signature(_ body: [UInt8], t: String, key: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)),
              let canonical = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return Hex.lowercase(HMAC<SHA512>.authenticationCode(for: Array((t + ".").utf8) + Array(canonical), using: SymmetricKey(data: Data(key.utf8))))
    }

    /// payOS: HMAC-SHA256 with the checksum key over the `data` object as sorted `key=value`
    /// pairs joined by `&`, compared with the body's `signature`.
    public static func verifyPayOS(body: [UInt8], checksumKey: String) throws(WebhookError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let data = object["data"] as? [String: Any], let signature = object["signature"] as? String
        else { throw .unauthorized("no data or signature in the body") }
        guard constantTimeEqual(payOSSignature(data: data, checksumKey: checksumKey), signature.lowercased()) else {
            throw .unauthorized("signature mismatch")
        }
    }

    static func payOSSignature(data: [String: Any], checksumKey: String) -> String {
        let message = data.keys.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
            .map { "\($0)=\(payOSValue(data[$0]))" }.joined(separator: "&")
        return hmacSHA256(Array(message.utf8), key: checksumKey)
    }

    static func payOSValue(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return ""
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        case let other?:
            guard JSONSerialization.isValidJSONObject(other),
                  let data = try? JSONSerialization.data(withJSONObject: other, options: [.sortedKeys, .withoutEscapingSlashes])
            else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
