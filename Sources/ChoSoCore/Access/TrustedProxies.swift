import Foundation

/// Which peers may tell us who the client is (`CHOSO_TRUSTED_PROXIES`): addresses and CIDR ranges,
/// IPv4 or IPv6. `X-Forwarded-For` is believed only as far back as it was written by one of them;
/// from anyone else it is the sender's own claim and is ignored (DESIGN.md §7).
public struct TrustedProxies: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        var network: [UInt8]
        var prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            var remaining = prefixLength
            for (byte, networkByte) in zip(address, network) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if byte & mask != networkByte & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    var ranges: [Range]

    public static let none = TrustedProxies(ranges: [])

    /// `127.0.0.1, 10.0.0.0/8, ::1`; nil with the entries that cannot be read.
    public static func parse(_ text: String) -> Result<TrustedProxies, ParseError> {
        var ranges: [Range] = []
        var bad: [String] = []
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) where !item.isEmpty {
            let parts = item.split(separator: "/", maxSplits: 1).map(String.init)
            guard let address = IPAddressBytes.parse(parts[0]) else { bad.append(item); continue }
            let maximum = address.count * 8
            let length = parts.count == 2 ? Int(parts[1]) : maximum
            guard let length, (0...maximum).contains(length) else { bad.append(item); continue }
            ranges.append(Range(network: address, prefixLength: length))
        }
        return bad.isEmpty ? .success(TrustedProxies(ranges: ranges)) : .failure(ParseError(entries: bad))
    }

    public struct ParseError: Error, Sendable, Equatable {
        public var entries: [String]
    }

    public func trusts(_ address: String) -> Bool {
        guard let bytes = IPAddressBytes.parse(address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client as far as trust reaches: the connection's peer unless it is a trusted proxy;
    /// then `X-Forwarded-For` read from the right, skipping trusted hops, up to the first address
    /// no trusted proxy vouches for.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "unknown" }
        guard trusts(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard IPAddressBytes.parse(hop) != nil else { return client }
            client = hop
            if !trusts(hop) { return hop }
        }
        return client
    }
}

/// The bytes of a textual IPv4 (4) or IPv6 (16) address, or nil.
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") { return ipv6(text) }
        return ipv4(Substring(text))
    }

    static func ipv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func ipv6(_ raw: String) -> [UInt8]? {
        // A zone (`fe80::1%eth0`) says which interface, not which host.
        let text = raw.split(separator: "%", maxSplits: 1).first.map(String.init) ?? raw
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let tail = ipv4(piece) else { return nil }
                    bytes += tail
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
