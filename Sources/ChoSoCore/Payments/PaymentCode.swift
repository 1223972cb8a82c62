/// The code that ties a transfer to a payment request: `CS` + six Crockford base-32 characters +
/// one check character (e.g. `CS7K2M9QX`). Bank-safe (letters and digits only), short enough to
/// lead a 25-character transfer content, and found again in a bank's description however the
/// bank wrote it (DESIGN.md §5).
public enum PaymentCode {
    public static let prefix = "CS"
    public static let bodyLength = 6
    public static let length = prefix.count + bodyLength + 1
    /// Crockford's alphabet: no I, L, O or U, which people and banks confuse.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let values: [UInt8: Int] = {
        var table: [UInt8: Int] = [:]
        for (index, symbol) in alphabet.enumerated() { table[symbol] = index }
        // What a person or an OCR'd statement may write instead.
        table[UInt8(ascii: "O")] = 0
        table[UInt8(ascii: "I")] = 1
        table[UInt8(ascii: "L")] = 1
        return table
    }()

    public static func generate<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        generate(prefix: prefix, using: &generator)
    }

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// A code of any family (`CS` requests, `PC` fee bills): the prefix, six characters, the check.
    static func generate<Generator: RandomNumberGenerator>(prefix: String, using generator: inout Generator) -> String {
        let body = (0..<bodyLength).map { _ in Int.random(in: 0..<32, using: &generator) }
        return prefix + String(decoding: (body + [checkValue(body)]).map { alphabet[$0] }, as: UTF8.self)
    }

    /// Odd weights are invertible modulo 32, so any one mistyped character changes the check.
    static func checkValue(_ body: [Int]) -> Int {
        body.enumerated().reduce(0) { $0 + (2 * $1.offset + 1) * $1.element } % 32
    }

    /// The canonical form of a code if `text` is one (any case, Crockford look-alikes accepted).
    public static func normalized(_ text: String) -> String? {
        normalized(text, prefix: prefix)
    }

    static func normalized(_ text: String, prefix: String) -> String? {
        let bytes = Array(text.uppercased().utf8)
        guard bytes.count == length, bytes.starts(with: prefix.utf8) else { return nil }
        var digits: [Int] = []
        for byte in bytes.dropFirst(prefix.count) {
            guard let value = values[byte] else { return nil }
            digits.append(value)
        }
        guard checkValue(Array(digits.prefix(bodyLength))) == digits[bodyLength] else { return nil }
        return prefix + String(decoding: digits.map { alphabet[$0] }, as: UTF8.self)
    }

    /// Every valid code in a bank's transfer description, in order of appearance. Case, spaces,
    /// hyphens, dots and the bank's own prefixes and suffixes do not matter.
    public static func find(in description: String) -> [String] {
        find(in: description, prefix: prefix)
    }

    static func find(in description: String, prefix: String) -> [String] {
        let first = Array(prefix.utf8)
        let compact = Array(description.uppercased().utf8.filter { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
        })
        var found: [String] = []
        var index = 0
        while index + length <= compact.count {
            if compact[index] == first[0], compact[index + 1] == first[1],
               let code = normalized(String(decoding: compact[index..<(index + length)], as: UTF8.self), prefix: prefix) {
                if !found.contains(code) { found.append(code) }
                index += length
            } else {
                index += 1
            }
        }
        return found
    }
}

/// The code of a market-fee bill (issue 15): the same shape and check as a payment request's code,
/// its own prefix `PC` (phí chợ), so the matcher tells a fee payment from a sale.
public enum FeeCode {
    public static let prefix = "PC"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return PaymentCode.generate(prefix: prefix, using: &generator)
    }

    public static func normalized(_ text: String) -> String? { PaymentCode.normalized(text, prefix: prefix) }

    public static func find(in description: String) -> [String] { PaymentCode.find(in: description, prefix: prefix) }
}
