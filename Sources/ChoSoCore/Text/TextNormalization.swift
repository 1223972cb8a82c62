import Foundation
import VietQR

public enum TextNormalization {
    /// Text as ChoSo stores it: Unicode NFC, trimmed, inner runs of white space collapsed to one space.
    /// Vietnamese typed on different keyboards arrives in NFC or NFD; stored text is always NFC.
    public static func clean(_ raw: String) -> String {
        raw.precomposedStringWithCanonicalMapping
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
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
