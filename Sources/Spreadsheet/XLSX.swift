import CZlib
import Foundation

/// The first worksheet of an Office Open XML workbook (`.xlsx`) as a table of text cells, and a
/// minimal workbook writer. Reads what spreadsheet programs and bank portals write: ZIP entries
/// stored or deflated, shared strings (with rich-text runs), inline strings, numbers as written.
public enum XLSX {
    public enum ReadError: Error, Equatable, Sendable {
        case notAZip
        case missing(String)
        case corrupt(String)
    }

    public static func firstSheet(_ bytes: [UInt8]) throws(ReadError) -> [[String]] {
        let entries = try ZipArchive.entries(bytes)
        func text(_ name: String) throws(ReadError) -> [UInt8]? {
            guard let entry = entries[name] else { return nil }
            return try ZipArchive.data(of: entry, in: bytes)
        }
        let shared = try text("xl/sharedStrings.xml").map(sharedStrings) ?? []
        // The first sheet the workbook lists is usually sheet1; take the lowest-numbered one.
        let sheetName = entries.keys.filter { $0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml") }
            .min { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }
        guard let sheetName, let sheet = try text(sheetName) else { throw .missing("xl/worksheets/sheet1.xml") }
        return try rows(sheet, shared: shared)
    }

    static func sharedStrings(_ xml: [UInt8]) -> [String] {
        var strings: [String] = []
        var scanner = XMLScanner(xml)
        var current: [UInt8]?
        var inText = false
        while let token = scanner.next() {
            switch token {
            case .open(let name, _, let selfClosing):
                if name == "si" { current = [] }
                if name == "t", !selfClosing { inText = true }
            case .close(let name):
                if name == "t" { inText = false }
                if name == "si", let value = current { strings.append(XMLScanner.unescape(value)); current = nil }
            case .text(let bytes):
                if inText { current?.append(contentsOf: bytes) }
            }
        }
        return strings
    }

    static func rows(_ xml: [UInt8], shared: [String]) throws(ReadError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var scanner = XMLScanner(xml)
        var cellColumn = 0, cellType = "", value: [UInt8] = [], inValue = false
        while let token = scanner.next() {
            switch token {
            case .open(let name, let attributes, let selfClosing):
                switch name {
                case "row":
                    row = []
                    if selfClosing { rows.append(row) }
                case "c":
                    cellColumn = attributes["r"].map(column(of:)) ?? row.count
                    cellType = attributes["t"] ?? "n"
                    value = []
                    if selfClosing { place("", at: cellColumn, in: &row) }
                case "v", "t": if !selfClosing { inValue = true }
                default: break
                }
            case .close(let name):
                switch name {
                case "v", "t": inValue = false
                case "c":
                    var text = XMLScanner.unescape(value)
                    if cellType == "s" {
                        guard let index = Int(text), index >= 0, index < shared.count else { throw .corrupt("shared string \(text)") }
                        text = shared[index]
                    }
                    place(text, at: cellColumn, in: &row)
                case "row": rows.append(row)
                default: break
                }
            case .text(let bytes):
                if inValue { value.append(contentsOf: bytes) }
            }
        }
        return rows
    }

    static func place(_ text: String, at column: Int, in row: inout [String]) {
        while row.count < column { row.append("") }
        if row.count == column { row.append(text) } else { row[column] = text }
    }

    /// `C12` → 2.
    static func column(of reference: String) -> Int {
        var column = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { break }
            column = column * 26 + Int(scalar.value - 64)
        }
        return max(column - 1, 0)
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
        // A 16 MB upload must not make the server allocate hundreds of megabytes.
        guard start + entry.compressedSize <= bytes.count, entry.size <= 64 << 20 else { throw .corrupt("entry size") }
        let compressed = Array(bytes[start..<(start + entry.compressedSize)])
        switch entry.method {
        case 0: return compressed
        case 8: return try inflate(compressed, expected: entry.size)
        default: throw .corrupt("compression method \(entry.method)")
        }
    }

    static func inflate(_ input: [UInt8], expected: Int) throws(XLSX.ReadError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(expected, 1))
        var stream = z_stream()
        // Negative window bits: a raw deflate stream, as ZIP stores it.
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw .corrupt("zlib") }
        defer { inflateEnd(&stream) }
        var mutableInput = input
        let status = mutableInput.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
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
struct XMLScanner {
    enum Token {
        case open(String, [String: String], selfClosing: Bool)
        case close(String)
        case text(ArraySlice<UInt8>)
    }

    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> Token? {
        while index < bytes.count {
            if bytes[index] != UInt8(ascii: "<") {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                return .text(bytes[start..<index])
            }
            guard let end = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else { index = bytes.count; return nil }
            let inner = bytes[(index + 1)..<end]
            index = end + 1
            guard let first = inner.first else { continue }
            if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") { continue }
            if first == UInt8(ascii: "/") { return .close(Self.localName(inner.dropFirst())) }
            let selfClosing = inner.last == UInt8(ascii: "/")
            let body = selfClosing ? inner.dropLast() : inner
            let nameEnd = body.firstIndex { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } ?? body.endIndex
            return .open(Self.localName(body[body.startIndex..<nameEnd]), Self.attributes(body[nameEnd...]), selfClosing: selfClosing)
        }
        return nil
    }

    static func localName(_ raw: ArraySlice<UInt8>) -> String {
        let name = raw.lastIndex(of: UInt8(ascii: ":")).map { raw[($0 + 1)...] } ?? raw
        return String(decoding: name, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func attributes(_ raw: ArraySlice<UInt8>) -> [String: String] {
        var result: [String: String] = [:]
        var index = raw.startIndex
        while index < raw.endIndex {
            while index < raw.endIndex, raw[index] == 0x20 || raw[index] == 0x0A || raw[index] == 0x0D || raw[index] == 0x09 { index += 1 }
            guard let equals = raw[index...].firstIndex(of: UInt8(ascii: "=")), equals + 1 < raw.endIndex else { break }
            let quote = raw[equals + 1]
            guard let close = raw[(equals + 2)...].firstIndex(of: quote) else { break }
            result[localName(raw[index..<equals])] = unescape(Array(raw[(equals + 2)..<close]))
            index = close + 1
        }
        return result
    }

    static func unescape(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("&") else { return text }
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
