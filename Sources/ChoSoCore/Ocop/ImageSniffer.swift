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
