/// Where a sign-in or a language switch may send the browser afterwards: a path on this site only.
/// Browsers drop tabs and line breaks from URLs and read `\` as `/`, so `/\t/evil.example` and
/// `/\evil.example` lead off-site; a raw CR or LF would also split the `Location` header. Anything
/// but printable ASCII (a path is percent-encoded) is refused, and so is every `//` or `/\` start.
public enum SafeRedirect {
    public static let fallback = "/"

    public static func path(_ target: String?) -> String {
        guard let target, isSafe(target) else { return fallback }
        return target
    }

    public static func isSafe(_ target: String) -> Bool {
        let bytes = Array(target.utf8)
        guard bytes.first == UInt8(ascii: "/"), bytes.count <= 2048 else { return false }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") }) else { return false }
        return bytes.count == 1 || bytes[1] != UInt8(ascii: "/")
    }
}
