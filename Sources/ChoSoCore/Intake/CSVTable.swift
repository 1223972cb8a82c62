import Foundation

/// RFC 4180 CSV as bank exports write it: quoted fields with doubled quotes and line breaks,
/// CRLF or LF, an optional UTF-8 byte-order mark, and `,`, `;` or tab as the separator (the
/// one that appears most in the first lines).
public enum CSVTable {
    public enum ReadError: Error, Equatable, Sendable {
        /// More cells than `maxCells`: the text names the limit.
        case tooLarge(String)
    }

    /// The cells one uploaded file may make: as many as an XLSX (`XLSX.Limits.standard`). A 16 MB
    /// file of commas is 16 million empty cells, 550 MB once read.
    public static let maxCells = 2_000_000

    /// An uploaded file as a table, refused beyond `maxCells` cells before they are all made.
    public static func read(_ bytes: [UInt8], maxCells: Int = maxCells) throws(ReadError) -> [[String]] {
        guard let table = table(bytes, maxCells: maxCells) else { throw .tooLarge("more than \(maxCells) cells") }
        return table
    }

    /// The whole table, however large: for text ChoSo made or trusts. Uploads go through `read`.
    public static func parse(_ bytes: [UInt8]) -> [[String]] {
        table(bytes, maxCells: .max) ?? []
    }

    /// Nil beyond `maxCells` cells.
    static func table(_ bytes: [UInt8], maxCells: Int) -> [[String]]? {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let separator = guessSeparator(bytes[start...])
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = start
        var cells = 0
        func endField() {
            row.append(field.isEmpty ? "" : String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRow() {
            // A blank line is no row: skipped without making one.
            if row.isEmpty, field.isEmpty { return }
            endField()
            cells += row.count
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\""), field.isEmpty {
                quoted = true
            } else if byte == separator {
                endField()
                guard cells + row.count <= maxCells else { return nil }
            } else if byte == UInt8(ascii: "\n") {
                endRow()
            } else if byte == UInt8(ascii: "\r") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                endRow()
            } else {
                field.append(byte)
            }
            guard cells <= maxCells else { return nil }
            index += 1
        }
        if !field.isEmpty || !row.isEmpty { endRow() }
        return cells <= maxCells ? rows : nil
    }

    static func guessSeparator(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var lines = 0
        var quoted = false
        var lineHasText = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "\n") {
                // Blank lines do not count: a file that starts with 20 of them still has its
                // separator guessed from its first lines of text.
                if lineHasText { lines += 1 }
                lineHasText = false
                if lines == 20 { break }
            } else if byte != UInt8(ascii: "\r") {
                lineHasText = true
            }
            if counts[byte] != nil { counts[byte]! += 1 }
        }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
    }
}
