/// What an uploaded file is, from its first bytes, never from its name or declared type: a text
/// file renamed `.jpg` is not a JPEG.
public enum ImageKind: String, Sendable, Hashable {
    case jpeg, png, webp

    public static func sniff(_ bytes: some Collection<UInt8>) -> ImageKind? {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }

    public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
}

/// An image's size as its header declares it, read before anything decodes it: a 74-byte PNG that
/// claims 60,000 × 60,000 pixels would otherwise keep the image library busy for many seconds.
public struct ImageSize: Sendable, Hashable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// A phone camera's photo is 12 to 50 million pixels; a product photo needs no more than 80.
    public static let maxPixels = 80_000_000
    /// Smaller than this on either side is no product photo (and would be the feeds' image).
    public static let minSide = 200

    public var pixels: Int { width * height }

    /// The declared size, or nil when the header does not say (the image library then refuses it).
    public static func read(_ bytes: [UInt8], kind: ImageKind) -> ImageSize? {
        switch kind {
        case .png: png(bytes)
        case .jpeg: jpeg(bytes)
        case .webp: webp(bytes)
        }
    }

    private static func bigEndian(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= bytes.count else { return nil }
        return bytes[at..<(at + count)].reduce(0) { $0 << 8 | Int($1) }
    }

    private static func littleEndian(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= bytes.count else { return nil }
        return bytes[at..<(at + count)].reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    /// IHDR is the first chunk: width and height at bytes 16 and 20.
    private static func png(_ bytes: [UInt8]) -> ImageSize? {
        guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8),
              let width = bigEndian(bytes, 16, 4), let height = bigEndian(bytes, 20, 4) else { return nil }
        return ImageSize(width: width, height: height)
    }

    /// The first start-of-frame marker (C0–CF but C4, C8, CC) holds height then width.
    private static func jpeg(_ bytes: [UInt8]) -> ImageSize? {
        var index = 2
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { index += 2; continue }
            guard let length = bigEndian(bytes, index + 2, 2), length >= 2 else { return nil }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard let height = bigEndian(bytes, index + 5, 2), let width = bigEndian(bytes, index + 7, 2) else { return nil }
                return ImageSize(width: width, height: height)
            }
            index += 2 + length
        }
        return nil
    }

    /// VP8X (extended: canvas size), VP8L (lossless) or VP8 (lossy key frame).
    private static func webp(_ bytes: [UInt8]) -> ImageSize? {
        guard bytes.count >= 30 else { return nil }
        switch String(decoding: bytes[12..<16], as: UTF8.self) {
        case "VP8X":
            guard let width = littleEndian(bytes, 24, 3), let height = littleEndian(bytes, 27, 3) else { return nil }
            return ImageSize(width: width + 1, height: height + 1)
        case "VP8L":
            guard bytes[20] == 0x2F, let bits = littleEndian(bytes, 21, 4) else { return nil }
            return ImageSize(width: (bits & 0x3FFF) + 1, height: (bits >> 14 & 0x3FFF) + 1)
        case "VP8 ":
            guard let width = littleEndian(bytes, 26, 2), let height = littleEndian(bytes, 28, 2) else { return nil }
            return ImageSize(width: width & 0x3FFF, height: height & 0x3FFF)
        default:
            return nil
        }
    }
}
