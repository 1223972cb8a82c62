import CZlib

/// Writes a QR symbol as a 1-bit grey PNG, fast. The pixels of a QR image are few patterns many
/// times over: each module row is one pixel row repeated `scale` times. So the writer never lays
/// the image out in memory: it writes the deflate stream itself (fixed Huffman codes), one pixel
/// row as literals, its repeats as back-references ("Up"-filtered rows are all zero bytes), and it
/// keeps the zlib Adler-32 from the pattern. The cost is proportional to the modules, not the pixels.
public enum PNGWriter {
    public static let defaultQuietZone = 4

    /// - Parameters:
    ///   - scale: pixels per module (1…64).
    ///   - quietZone: light modules around the symbol (the QR standard asks for 4).
    public static func png(_ symbol: QRSymbol, scale: Int = 8, quietZone: Int = defaultQuietZone) -> [UInt8] {
        let scale = min(max(1, scale), 64)
        let modulesPerSide = symbol.size + 2 * quietZone
        let width = modulesPerSide * scale
        let rowBytes = (width + 7) / 8
        let stride = rowBytes + 1

        var stream = DeflateStream()
        var checksum = Adler32()
        var row = [UInt8](repeating: 0xFF, count: rowBytes)
        var previousRow = [UInt8](repeating: 0, count: rowBytes)
        var hasPrevious = false
        for moduleRow in 0..<modulesPerSide {
            fillPixelRow(&row, symbol: symbol, symbolRow: moduleRow - quietZone, quietZone: quietZone, scale: scale)
            // First pixel row of the module row: filter None and the pixels, unless it repeats
            // the previous module row's, which sits `scale` rows back.
            checksum.add(0)
            checksum.add(row)
            if hasPrevious && previousRow == row && scale * stride <= 32768 {
                stream.match(length: stride, distance: scale * stride)
            } else {
                stream.literal(0)
                stream.literals(row)
            }
            // Two buffers swapped, so no row is ever copied.
            swap(&previousRow, &row)
            hasPrevious = true
            guard scale > 1 else { continue }
            // The other pixel rows: filter Up, so all zero bytes.
            stream.literal(2)
            stream.literal(0)
            stream.match(length: rowBytes - 1, distance: 1)
            checksum.add(2)
            checksum.addZeros(rowBytes)
            if scale > 2 {
                stream.match(length: (scale - 2) * stride, distance: stride)
                for _ in 2..<scale {
                    checksum.add(2)
                    checksum.addZeros(rowBytes)
                }
            }
        }
        let compressed = stream.finish(adler32: checksum.value)

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.reserveCapacity(compressed.count + 64)
        var header: [UInt8] = []
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(width), to: &header)
        header += [1, 0, 0, 0, 0]  // bit depth 1, grey, deflate, adaptive filters, no interlace
        appendChunk([0x49, 0x48, 0x44, 0x52], header, to: &png)  // IHDR
        appendChunk([0x49, 0x44, 0x41, 0x54], compressed, to: &png)  // IDAT
        appendChunk([0x49, 0x45, 0x4E, 0x44], [], to: &png)  // IEND
        return png
    }

    /// One pixel row for a module row: light = 1, dark = 0; padding bits at the end stay light.
    static func fillPixelRow(_ row: inout [UInt8], symbol: QRSymbol, symbolRow: Int, quietZone: Int, scale: Int) {
        for index in row.indices { row[index] = 0xFF }
        guard symbolRow >= 0 && symbolRow < symbol.size else { return }
        let base = symbolRow * symbol.size
        for column in 0..<symbol.size where symbol.modules[base + column] != 0 {
            let start = (column + quietZone) * scale
            var x = start
            let end = start + scale
            while x < end {
                if x & 7 == 0 && end - x >= 8 {
                    row[x >> 3] = 0
                    x += 8
                } else {
                    row[x >> 3] &= ~(0x80 >> UInt8(x & 7))
                    x += 1
                }
            }
        }
    }

    /// The image as PNG rows (filter byte + pixels) with every row written out: the plain form
    /// the fast writer must inflate to. Used by tests.
    public static func rawRows(_ symbol: QRSymbol, scale: Int = 8, quietZone: Int = defaultQuietZone) -> [UInt8] {
        let modulesPerSide = symbol.size + 2 * quietZone
        let rowBytes = (modulesPerSide * scale + 7) / 8
        var raw: [UInt8] = []
        var row = [UInt8](repeating: 0xFF, count: rowBytes)
        for moduleRow in 0..<modulesPerSide {
            fillPixelRow(&row, symbol: symbol, symbolRow: moduleRow - quietZone, quietZone: quietZone, scale: scale)
            raw.append(0)
            raw += row
            for _ in 1..<max(scale, 1) {
                raw.append(2)
                raw += [UInt8](repeating: 0, count: rowBytes)
            }
        }
        return raw
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func appendChunk(_ type: [UInt8], _ data: [UInt8], to png: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &png)
        png += type
        png += data
        var crc = crc32(0, type, uInt(type.count))
        crc = data.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        appendBigEndian(UInt32(crc), to: &png)
    }
}

/// Adler-32 (RFC 1950), with a shortcut for runs of zero bytes. Sums are reduced modulo 65521
/// only every few thousand bytes, as zlib does: a division per byte cost more than the image.
struct Adler32 {
    private var a: UInt64 = 1
    private var b: UInt64 = 0
    private var pending = 0
    private static let modulus: UInt64 = 65521
    /// The most bytes that can be added before the sums could overflow 32 bits (zlib's NMAX).
    private static let maxPending = 5552

    mutating func add(_ byte: UInt8) {
        a += UInt64(byte)
        b += a
        pending += 1
        if pending == Self.maxPending { reduce() }
    }

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes { add(byte) }
    }

    /// `count` zero bytes: `a` stays, `b` grows by `a` each time.
    mutating func addZeros(_ count: Int) {
        reduce()
        b = (b + UInt64(count) % Self.modulus * a) % Self.modulus
    }

    private mutating func reduce() {
        a %= Self.modulus
        b %= Self.modulus
        pending = 0
    }

    var value: UInt32 {
        var copy = self
        copy.reduce()
        return UInt32((copy.b << 16) | copy.a)
    }
}

/// A zlib stream of one final deflate block with the fixed Huffman codes of RFC 1951 §3.2.6.
struct DeflateStream {
    private var bytes: [UInt8] = [0x78, 0x01]  // zlib header: deflate, 32K window, no dictionary
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0

    init() {
        bytes.reserveCapacity(2048)
        writeBits(1, count: 1)  // BFINAL
        writeBits(1, count: 2)  // BTYPE = fixed Huffman
    }

    private mutating func writeBits(_ value: UInt32, count: Int) {
        bitBuffer |= UInt64(value) << UInt64(bitCount)
        bitCount += count
        // Four bytes at a time: codes are at most 13 bits with their extra bits, so 32 + 13 fit.
        if bitCount >= 32 {
            let word = UInt32(truncatingIfNeeded: bitBuffer)
            bytes.append(UInt8(truncatingIfNeeded: word))
            bytes.append(UInt8(truncatingIfNeeded: word >> 8))
            bytes.append(UInt8(truncatingIfNeeded: word >> 16))
            bytes.append(UInt8(truncatingIfNeeded: word >> 24))
            bitBuffer >>= 32
            bitCount -= 32
        }
    }

    /// Huffman codes go most significant bit first into the least-significant-first stream.
    private mutating func writeCode(_ code: UInt32, length: Int) {
        var reversed: UInt32 = 0
        var rest = code
        for _ in 0..<length {
            reversed = (reversed << 1) | (rest & 1)
            rest >>= 1
        }
        writeBits(reversed, count: length)
    }

    /// The fixed literal/length codes, already bit-reversed for the stream, with their lengths.
    private static let fixedCodes: [(bits: UInt32, length: Int)] = (0..<288).map { symbol in
        let (code, length): (UInt32, Int)
        switch symbol {
        case 0...143: (code, length) = (UInt32(0x30 + symbol), 8)
        case 144...255: (code, length) = (UInt32(0x190 + symbol - 144), 9)
        case 256...279: (code, length) = (UInt32(symbol - 256), 7)
        default: (code, length) = (UInt32(0xC0 + symbol - 280), 8)
        }
        var reversed: UInt32 = 0
        var rest = code
        for _ in 0..<length {
            reversed = (reversed << 1) | (rest & 1)
            rest >>= 1
        }
        return (reversed, length)
    }

    private mutating func writeSymbol(_ symbol: Int) {
        let code = Self.fixedCodes[symbol]
        writeBits(code.bits, count: code.length)
    }

    mutating func literal(_ byte: UInt8) { writeSymbol(Int(byte)) }

    mutating func literals(_ row: [UInt8]) {
        for byte in row { writeSymbol(Int(byte)) }
    }

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// Copies `length` bytes from `distance` back (the copy may overlap itself). Lengths over
    /// 258 are split; a tail too short for a match is repeated as literals of the known pattern
    /// only by the caller, so here every piece is kept at 3 or more.
    mutating func match(length: Int, distance: Int) {
        precondition(distance >= 1 && distance <= 32768)
        var remaining = length
        while remaining > 0 {
            var piece = min(remaining, 258)
            if (1..<3).contains(remaining - piece) { piece = remaining - 3 }
            precondition(piece >= 3, "match pieces are at least 3 bytes")
            writeLength(piece)
            writeDistance(distance)
            remaining -= piece
        }
    }

    private mutating func writeLength(_ length: Int) {
        var code = Self.lengthBase.count - 1
        while Self.lengthBase[code] > length { code -= 1 }
        writeSymbol(257 + code)
        if Self.lengthExtra[code] > 0 { writeBits(UInt32(length - Self.lengthBase[code]), count: Self.lengthExtra[code]) }
    }

    private mutating func writeDistance(_ distance: Int) {
        var code = Self.distanceBase.count - 1
        while Self.distanceBase[code] > distance { code -= 1 }
        writeCode(UInt32(code), length: 5)
        if Self.distanceExtra[code] > 0 { writeBits(UInt32(distance - Self.distanceBase[code]), count: Self.distanceExtra[code]) }
    }

    mutating func finish(adler32: UInt32) -> [UInt8] {
        writeSymbol(256)  // end of block
        while bitCount > 0 {
            bytes.append(UInt8(truncatingIfNeeded: bitBuffer))
            bitBuffer >>= 8
            bitCount = max(0, bitCount - 8)
        }
        bytes += [UInt8(adler32 >> 24), UInt8((adler32 >> 16) & 0xFF), UInt8((adler32 >> 8) & 0xFF), UInt8(adler32 & 0xFF)]
        return bytes
    }
}
