import CZlib
import Foundation

/// The first worksheet of an Office Open XML workbook (`.xlsx`) as a table of text cells, and a
/// minimal workbook writer. Reads what spreadsheet programs and bank portals write: ZIP entries
/// stored or deflated, shared strings (with rich-text runs), inline strings, numbers as written.
///
/// The reader is fed uploads: whatever the bytes, it returns a table or throws a `ReadError`,
/// and the work it does is bounded by `Limits` (a cell far to the right is padded with empty
/// cells, so the padding counts too).
public enum XLSX {
    public enum ReadError: Error, Equatable, Sendable {
        case notAZip
        case missing(String)
        case corrupt(String)
        /// The file is beyond what ChoSo reads from one upload; the text names the limit.
        case tooLarge(String)
    }

    /// How much one file may make the reader do.
    public struct Limits: Sendable, Equatable {
        /// Cells in the table, the empty cells that pad a row up to a cell further right included.
        public var cells: Int
        /// Rows in the table (Excel's own maximum by default).
        public var rows: Int
        /// Entries of the shared-string table.
        public var sharedStrings: Int

        public init(cells: Int, rows: Int, sharedStrings: Int) {
            self.cells = cells
            self.rows = rows
            self.sharedStrings = sharedStrings
        }

        /// Two million cells: a year of a busy account's statement is a few hundred thousand.
        public static let standard = Limits(cells: 2_000_000, rows: 1_048_576, sharedStrings: 2_000_000)
    }

    /// Excel's last column, XFD.
    public static let maxColumns = 16_384

    public static func firstSheet(_ bytes: [UInt8], limits: Limits = .standard) throws(ReadError) -> [[String]] {
        var table: [[String]] = []
        try firstSheet(bytes, limits: limits) { table.append($0) }
        return table
    }

    /// The first worksheet's rows handed over one at a time, so that a large sheet is never held
    /// as a whole table (a 100,000-row statement's table was 16 MB).
    public static func firstSheet(_ bytes: [UInt8], limits: Limits = .standard, eachRow: ([String]) -> Void) throws(ReadError) {
        let entries = try ZipArchive.entries(bytes)
        func text(_ name: String) throws(ReadError) -> [UInt8]? {
            guard let entry = entries[name] else { return nil }
            return try ZipArchive.data(of: entry, in: bytes)
        }
        let shared = try text("xl/sharedStrings.xml").map { xml throws(ReadError) in try sharedStrings(xml, limit: limits.sharedStrings) } ?? []
        // The first sheet the workbook lists is usually sheet1; take the lowest-numbered one.
        let sheetName = entries.keys.filter { $0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml") }
            .min { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
        guard let sheetName, let sheet = try text(sheetName) else { throw .missing("xl/worksheets/sheet1.xml") }
        try rows(sheet, shared: shared, limits: limits, eachRow: eachRow)
    }

    static func sharedStrings(_ xml: [UInt8], limit: Int = Limits.standard.sharedStrings) throws(ReadError) -> [String] {
        var strings: [String] = []
        var scanner = XMLScanner(xml)
        var current: [UInt8]?
        var inText = false
        while let token = scanner.next() {
            switch token {
            case .open(let element, _, let selfClosing):
                if element == .si { current = [] }
                if element == .t, !selfClosing { inText = true }
            case .close(let element):
                if element == .t { inText = false }
                if element == .si, let value = current {
                    guard strings.count < limit else { throw .tooLarge("more than \(limit) shared strings") }
                    strings.append(XMLScanner.unescape(value))
                    current = nil
                }
            case .text(let range):
                if inText { current?.append(contentsOf: xml[range]) }
            }
        }
        return strings
    }

    static func rows(_ xml: [UInt8], shared: [String], limits: Limits = .standard) throws(ReadError) -> [[String]] {
        var table: [[String]] = []
        try rows(xml, shared: shared, limits: limits) { table.append($0) }
        return table
    }

    static func rows(_ xml: [UInt8], shared: [String], limits: Limits = .standard, eachRow: ([String]) -> Void) throws(ReadError) {
        var row: [String] = []
        var budget = CellBudget(limits: limits)
        var scanner = XMLScanner(xml)
        var cellColumn = 0, cellType = "", value: [UInt8] = [], inValue = false
        while let token = scanner.next() {
            switch token {
            case .open(let element, let attributes, let selfClosing):
                switch element {
                case .row:
                    row = []
                    if selfClosing { try budget.addRow(); eachRow(row) }
                case .c:
                    if let reference = scanner.attribute("r", in: attributes) {
                        cellColumn = try column(of: reference)
                    } else {
                        guard row.count < maxColumns else { throw .corrupt("a row has more than \(maxColumns) cells") }
                        cellColumn = row.count
                    }
                    cellType = scanner.attribute("t", in: attributes) ?? "n"
                    value = []
                    if selfClosing { try place("", at: cellColumn, in: &row, budget: &budget) }
                case .v, .t: if !selfClosing { inValue = true }
                default: break
                }
            case .close(let element):
                switch element {
                case .v, .t: inValue = false
                case .c:
                    var text = XMLScanner.unescape(value)
                    if cellType == "s" {
                        guard let index = Int(text), index >= 0, index < shared.count else { throw .corrupt("shared string \(text.prefix(20))") }
                        text = shared[index]
                    }
                    try place(text, at: cellColumn, in: &row, budget: &budget)
                case .row:
                    try budget.addRow()
                    eachRow(row)
                    // A fresh row: cells after a stray `</row>` must not copy (and grow) the one
                    // just kept, which would cost a copy of the whole row per cell.
                    row = []
                default: break
                }
            case .text(let range):
                if inValue { value.append(contentsOf: xml[range]) }
            }
        }
    }

    /// What a sheet has cost so far, against its `Limits`.
    struct CellBudget {
        let limits: Limits
        var cells = 0
        var rows = 0

        mutating func addCells(_ count: Int) throws(ReadError) {
            guard count <= limits.cells - cells else { throw .tooLarge("more than \(limits.cells) cells") }
            cells += count
        }

        mutating func addRow() throws(ReadError) {
            guard rows < limits.rows else { throw .tooLarge("more than \(limits.rows) rows") }
            rows += 1
        }
    }

    /// Puts a cell at its column, padding the row with empty cells up to it (each one counted).
    static func place(_ text: String, at column: Int, in row: inout [String], budget: inout CellBudget) throws(ReadError) {
        if column < row.count {
            row[column] = text
            return
        }
        try budget.addCells(column - row.count + 1)
        row.reserveCapacity(column + 1)
        while row.count < column { row.append("") }
        row.append(text)
    }

    /// `C12` → 2; `XFD1` → 16383. A reference that does not start with a column's letters, or
    /// names a column beyond XFD, is refused: no spreadsheet program writes one.
    static func column(of reference: String) throws(ReadError) -> Int {
        var column = 0, letters = 0
        for scalar in reference.unicodeScalars {
            let value: UInt32
            switch scalar.value {
            case 65...90: value = scalar.value - 64
            case 97...122: value = scalar.value - 96
            default: value = 0
            }
            guard value > 0 else { break }
            letters += 1
            // Three letters at most, so this cannot overflow; XFD is the last column.
            guard letters <= 3 else { throw .corrupt("cell reference \(reference.prefix(20)) is beyond column XFD") }
            column = column * 26 + Int(value)
        }
        guard letters > 0 else { throw .corrupt("cell reference \(reference.prefix(20)) has no column") }
        guard column <= maxColumns else { throw .corrupt("cell reference \(reference.prefix(20)) is beyond column XFD") }
        return column - 1
    }
}

/// A ZIP archive's central directory and its entries' data.
enum ZipArchive {
    struct Entry {
        var method: UInt16
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    /// The largest entry read, uncompressed.
    static let maxEntrySize = 64 << 20

    static func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> Int { u16(bytes, at) | u16(bytes, at + 2) << 16 }

    static func entries(_ bytes: [UInt8]) throws(XLSX.ReadError) -> [String: Entry] {
        guard bytes.count >= 22, bytes.starts(with: [0x50, 0x4B]) else { throw .notAZip }
        // The end-of-central-directory record is within the last 64 KiB (its comment may follow).
        var end = bytes.count - 22
        while end >= max(0, bytes.count - 65_557), !(bytes[end] == 0x50 && bytes[end + 1] == 0x4B && bytes[end + 2] == 5 && bytes[end + 3] == 6) {
            end -= 1
        }
        guard end >= 0, end >= bytes.count - 65_557 else { throw .notAZip }
        let count = u16(bytes, end + 10)
        var offset = u32(bytes, end + 16)
        var entries: [String: Entry] = [:]
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, u32(bytes, offset) == 0x0201_4B50 else { throw .corrupt("central directory") }
            let nameLength = u16(bytes, offset + 28), extra = u16(bytes, offset + 30), comment = u16(bytes, offset + 32)
            guard offset + 46 + nameLength <= bytes.count else { throw .corrupt("entry name") }
            let name = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(
                method: UInt16(u16(bytes, offset + 10)), compressedSize: u32(bytes, offset + 20), size: u32(bytes, offset + 24),
                localHeaderOffset: u32(bytes, offset + 42))
            offset += 46 + nameLength + extra + comment
        }
        return entries
    }

    static func data(of entry: Entry, in bytes: [UInt8]) throws(XLSX.ReadError) -> [UInt8] {
        let local = entry.localHeaderOffset
        guard local + 30 <= bytes.count, u32(bytes, local) == 0x0403_4B50 else { throw .corrupt("local header") }
        let start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28)
        guard start + entry.compressedSize <= bytes.count else { throw .corrupt("entry size") }
        // A 16 MB upload must not make the server allocate hundreds of megabytes.
        guard entry.size <= maxEntrySize else { throw .tooLarge("an entry of more than \(maxEntrySize >> 20) MB") }
        let compressed = bytes[start..<(start + entry.compressedSize)]
        switch entry.method {
        case 0: return Array(compressed)
        case 8: return try inflate(compressed, expected: entry.size)
        default: throw .corrupt("compression method \(entry.method)")
        }
    }

    static func inflate(_ input: ArraySlice<UInt8>, expected: Int) throws(XLSX.ReadError) -> [UInt8] {
        // zlib counts in 32 bits; `data(of:in:)` keeps both far below that.
        guard input.count <= UInt32.max, expected <= UInt32.max else { throw .tooLarge("entry size") }
        var output = [UInt8](repeating: 0, count: max(expected, 1))
        var stream = z_stream()
        // Negative window bits: a raw deflate stream, as ZIP stores it.
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw .corrupt("zlib") }
        defer { inflateEnd(&stream) }
        // zlib reads the input through a non-const pointer but never writes it: no copy is made.
        let status = input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
                stream.avail_in = UInt32(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = UInt32(outputBuffer.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expected else { throw .corrupt("deflate stream") }
        return output
    }
}

/// Just enough XML for worksheets: elements with attributes, text, entities; no DTDs.
/// Tokens are positions in the bytes, element names are recognised once, and attributes are
/// read only when asked for: a worksheet has millions of tags, and slices (each one retaining
/// the buffer), strings and a dictionary per tag were most of the reading time.
struct XMLScanner {
    /// The elements the reader looks at, by local name (namespace prefix dropped).
    enum Element {
        case row, c, v, t, si, other

        init(_ bytes: [UInt8], _ name: Range<Int>) {
            let at = name.lowerBound
            switch name.count {
            case 1:
                switch bytes[at] {
                case UInt8(ascii: "c"): self = .c
                case UInt8(ascii: "v"): self = .v
                case UInt8(ascii: "t"): self = .t
                default: self = .other
                }
            case 2: self = bytes[at] == UInt8(ascii: "s") && bytes[at + 1] == UInt8(ascii: "i") ? .si : .other
            case 3: self = bytes[at] == UInt8(ascii: "r") && bytes[at + 1] == UInt8(ascii: "o") && bytes[at + 2] == UInt8(ascii: "w") ? .row : .other
            default: self = .other
            }
        }
    }

    enum Token {
        /// An element, the range of its attributes' text, and whether it closes itself.
        case open(Element, Range<Int>, selfClosing: Bool)
        case close(Element)
        case text(Range<Int>)
    }

    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> Token? {
        let count = bytes.count
        while index < count {
            if bytes[index] != UInt8(ascii: "<") {
                let start = index
                while index < count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                return .text(start..<index)
            }
            var end = index + 1
            while end < count, bytes[end] != UInt8(ascii: ">") { end += 1 }
            guard end < count else { index = count; return nil }
            let start = index + 1
            index = end + 1
            guard start < end else { continue }
            let first = bytes[start]
            if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") { continue }
            if first == UInt8(ascii: "/") { return .close(element(in: (start + 1)..<end)) }
            let selfClosing = bytes[end - 1] == UInt8(ascii: "/")
            let bodyEnd = selfClosing ? end - 1 : end
            var nameEnd = start
            while nameEnd < bodyEnd, !Self.isSpace(bytes[nameEnd]) { nameEnd += 1 }
            return .open(element(in: start..<nameEnd), nameEnd..<bodyEnd, selfClosing: selfClosing)
        }
        return nil
    }

    func element(in range: Range<Int>) -> Element { Element(bytes, localName(range)) }

    /// The value of the attribute with this local name in a tag's attribute text (the first
    /// one, if repeated).
    func attribute(_ wanted: String, in range: Range<Int>) -> String? {
        var index = range.lowerBound
        while index < range.upperBound {
            while index < range.upperBound, Self.isSpace(bytes[index]) { index += 1 }
            var equals = index
            while equals < range.upperBound, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            guard equals + 1 < range.upperBound else { return nil }
            let quote = bytes[equals + 1]
            var close = equals + 2
            while close < range.upperBound, bytes[close] != quote { close += 1 }
            guard close < range.upperBound else { return nil }
            if bytes[localName(index..<equals)].elementsEqual(wanted.utf8) {
                return Self.unescape(Array(bytes[(equals + 2)..<close]))
            }
            index = close + 1
        }
        return nil
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// The name without its namespace prefix and surrounding white space.
    func localName(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while upper > lower, Self.isSpace(bytes[upper - 1]) { upper -= 1 }
        var colon = upper
        while colon > lower, bytes[colon - 1] != UInt8(ascii: ":") { colon -= 1 }
        lower = colon
        while lower < upper, Self.isSpace(bytes[lower]) { lower += 1 }
        return lower..<upper
    }

    static func unescape(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        // Looked for in the bytes: Foundation's `contains` on the string costs more than the rest.
        guard bytes.contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { result += rest[amp...]; return result }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { result.unicodeScalars.append(scalar) } else { result += rest[amp...semicolon] }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}
