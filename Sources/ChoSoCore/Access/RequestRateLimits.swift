import Foundation

/// The public doors that anyone can knock on without signing in, each with how many requests one
/// client address may make in a window. Counted per fixed window (a new count every `window`
/// seconds), so a refusal can say exactly when to come back, and several processes can share one
/// counter row per (door, address, window) in the database.
public enum RateLimitedDoor: String, Sendable, CaseIterable, Hashable {
    /// Signing in: the login form, API tokens, pairing a speaker.
    case login
    /// Checking a printed QR board or payload (`/kiem-tra`, `POST /api/v1/qr/check`).
    case qrCheck = "qr_check"
    /// Making or reading a QR payload (`/api/v1/qr/encode`, `/api/v1/qr/decode`).
    case qrCodes = "qr_codes"
    /// A fee receipt looked up by its number (`/bien-lai/…`).
    case receipts
    /// An OCOP product checked by its packaging code (`/ocop/…/kiem-tra`, `/api/v1/ocop/products/…`).
    case productChecks = "product_checks"
}

public struct RateLimit: Sendable, Equatable {
    public var requests: Int
    public var window: Int

    public init(requests: Int, window: Int) {
        self.requests = requests
        self.window = window
    }

    /// The window `now` falls in, as whole seconds since 1970 at its start.
    public func windowStart(at now: Date) -> Int64 {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        return seconds - ((seconds % Int64(window)) + Int64(window)) % Int64(window)
    }

    /// Whole seconds until the window of `now` ends, at least 1 (what `Retry-After` says).
    public func secondsLeft(at now: Date) -> Int {
        let end = Double(windowStart(at: now) + Int64(window))
        return max(1, Int((end - now.timeIntervalSince1970).rounded(.up)))
    }
}

/// The limits of every door (`CHOSO_RATE_LIMITS`). The defaults leave room for a market's
/// customers behind one mobile carrier's shared address: a person checks a board or a receipt a
/// few times a minute, not sixty.
public struct RequestRateLimits: Sendable, Equatable {
    public var limits: [RateLimitedDoor: RateLimit]

    public static let standard = RequestRateLimits(limits: [
        .login: RateLimit(requests: 30, window: 60),
        .qrCheck: RateLimit(requests: 60, window: 60),
        .qrCodes: RateLimit(requests: 120, window: 60),
        .receipts: RateLimit(requests: 60, window: 60),
        .productChecks: RateLimit(requests: 60, window: 60),
    ])
    public static let off = RequestRateLimits(limits: [:])

    public init(limits: [RateLimitedDoor: RateLimit]) {
        self.limits = limits
    }

    public subscript(door: RateLimitedDoor) -> RateLimit? { limits[door] }

    /// `off`, or `door=REQUESTS/SECONDS` items separated by commas over the standard ones, e.g.
    /// `login=10/60, receipts=120/60`. Nil with the items that cannot be read.
    public static func parse(_ text: String) -> Result<RequestRateLimits, ParseError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "off" { return .success(.off) }
        var limits = standard.limits
        var bad: [String] = []
        for item in trimmed.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let numbers = parts.count == 2 ? parts[1].split(separator: "/").map { Int($0) } : []
            guard parts.count == 2, let door = RateLimitedDoor(rawValue: parts[0]), numbers.count == 2,
                  let requests = numbers[0], let window = numbers[1], requests >= 1, (1...86_400).contains(window)
            else { bad.append(item); continue }
            limits[door] = RateLimit(requests: requests, window: window)
        }
        return bad.isEmpty ? .success(RequestRateLimits(limits: limits)) : .failure(ParseError(entries: bad))
    }

    public struct ParseError: Error, Sendable, Equatable {
        public var entries: [String]
    }
}

extension RequestRateLimits {
    /// Whom a count belongs to: the address itself for IPv4, the /64 network for IPv6 (one
    /// subscriber gets a whole /64 and could otherwise take a fresh address per request).
    public static func counterKey(for address: String) -> String {
        guard address.contains(":"), let bytes = IPAddressBytes.parse(address), bytes.count == 16 else { return address }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
