import Foundation

/// Vietnamese (and other Latin) text folded to ASCII for bank-facing fields: diacritics removed,
/// đ/Đ turned into d/D (Foundation's diacritic folding leaves them alone), anything else that is
/// not ASCII dropped.
public enum ASCIIFolding {
    public static func fold(_ text: String) -> String {
        let folded = text
            .replacingOccurrences(of: "đ", with: "d")
            .replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var result = ""
        result.unicodeScalars.append(contentsOf: folded.unicodeScalars.filter(\.isASCII))
        return result
    }
}

/// The transfer content (62.08) and other bank-facing text: ASCII letters, digits and single
/// spaces, at most 25 characters, the payment code first and never cut (DESIGN.md §5).
public enum TransferContent {
    public static let maxLength = 25

    /// Cleans `text` for a bank app; with a `code`, the code leads and the text fills what is left.
    public static func sanitize(_ text: String, code: String? = nil, maxLength: Int = maxLength) -> String {
        let words = safeWords(text)
        var result = code.map { safeWords($0).joined() } ?? ""
        for word in words {
            let candidate = result.isEmpty ? word : result + " " + word
            if candidate.count <= maxLength {
                result = candidate
            } else {
                // Fill the last bit with the start of the word rather than leave it short.
                let room = maxLength - result.count - (result.isEmpty ? 0 : 1)
                if room >= 3 { result += (result.isEmpty ? "" : " ") + word.prefix(room) }
                break
            }
        }
        return String(result.prefix(max(maxLength, code?.count ?? 0)))
    }

    /// Merchant name (59, ≤ 25) and city (60, ≤ 15): the same safe set, upper-case as banks print.
    public static func sanitizeName(_ text: String, maxLength: Int) -> String {
        String(safeWords(text).joined(separator: " ").uppercased().prefix(maxLength))
            .trimmingCharacters(in: .whitespaces)
    }

    private static func safeWords(_ text: String) -> [String] {
        let folded = ASCIIFolding.fold(text)
        let kept = folded.unicodeScalars.map { scalar -> Character in
            ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) ? Character(scalar) : " "
        }
        return String(kept).split(separator: " ").map(String.init)
    }
}
