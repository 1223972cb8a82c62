import Foundation
import VietQR

/// The note of a transfer that buys an OCOP product straight from its producer, and how an
/// arrived transfer is told apart as such an order.
public enum OcopPurchase {
    /// What the product page's VietQR asks the bank app to carry: "Mua Gao thom ST25" (25 safe
    /// characters, as every bank keeps them).
    public static func note(productName: String) -> String {
        TransferContent.sanitize("Mua " + productName)
    }

    /// The product a transfer's description buys, if it carries one of these notes. Banks and
    /// wallets prefix, suffix, upper-case and re-space what they pass on ("MBVCB.123.MUA GAO
    /// THOM ST25.CT tu…"), so both are compared as bare letters and digits; the longest note
    /// wins when one product's name begins another's.
    public static func product(of description: String, among names: [String]) -> String? {
        let haystack = letters(TransferContent.sanitize(description, maxLength: 500))
        return names
            .map { (name: $0, key: letters(note(productName: $0))) }
            .filter { $0.key.count > 3 && haystack.contains($0.key) }
            .max { $0.key.count < $1.key.count }?.name
    }

    private static func letters(_ text: String) -> String {
        String(text.uppercased().unicodeScalars.filter { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }
}
