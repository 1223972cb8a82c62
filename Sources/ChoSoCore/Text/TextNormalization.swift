import Foundation
import VietQR

public enum TextNormalization {
    /// Text as ChoSo stores it: Unicode NFC, trimmed, inner runs of white space collapsed to one space.
    /// Vietnamese typed on different keyboards arrives in NFC or NFD; stored text is always NFC.
    public static func clean(_ raw: String) -> String {
        // Printable ASCII with single inner spaces is already clean (and NFC): most bank
        // descriptions are, and Foundation's normalization was a large part of reading a statement.
        if isCleanASCII(raw) { return raw }
        return raw.precomposedStringWithCanonicalMapping
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }

    static func isCleanASCII(_ text: String) -> Bool {
        var previous: UInt8 = 0x20
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F, !(byte == 0x20 && previous == 0x20) else { return false }
            previous = byte
        }
        return previous != 0x20 || text.isEmpty
    }

    /// Without white space or line breaks at either end; the string itself when it has none.
    public static func trimmed(_ raw: String) -> String {
        guard let first = raw.first, let last = raw.last, first.isWhitespace || last.isWhitespace else { return raw }
        guard let start = raw.firstIndex(where: { !$0.isWhitespace }), let end = raw.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(raw[start...end])
    }

    /// Vietnamese folded to plain ASCII: diacritics removed and đ/Đ turned into d/D, which
    /// Foundation's diacritic folding leaves alone.
    public static func asciiFolded(_ raw: String) -> String {
        ASCIIFolding.fold(raw)
    }

    /// What searches and the duplicate check compare: cleaned, without diacritics, lower case
    /// ("Cô Ba" and "co ba" are the same key).
    public static func searchKey(_ raw: String) -> String {
        asciiFolded(clean(raw)).lowercased()
    }
}
