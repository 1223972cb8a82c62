import Foundation

/// How long a sign-in must wait after failures. Counted per (user name, client address), so that
/// someone guessing from elsewhere slows only themselves and never locks the real user out; and
/// per address over every name, so that one address cannot try name after name.
public struct LoginThrottle: Sendable, Equatable {
    /// Failures allowed before any wait.
    public var freeAttempts: Int
    /// The first wait; each further failure doubles it, up to `longestWait`.
    public var firstWait: TimeInterval
    public var longestWait: TimeInterval
    /// Failures from one address, over all names, before that address waits `longestWait`.
    public var perAddressLimit: Int

    public init(freeAttempts: Int = 5, firstWait: TimeInterval = 30, longestWait: TimeInterval = 15 * 60, perAddressLimit: Int = 30) {
        self.freeAttempts = freeAttempts
        self.firstWait = firstWait
        self.longestWait = longestWait
        self.perAddressLimit = perAddressLimit
    }

    /// The wait after `failures` failures of one name from one address: none, then 30 s, 1 min,
    /// 2 min, … at most `longestWait`.
    public func wait(afterFailures failures: Int) -> TimeInterval {
        guard failures >= freeAttempts else { return 0 }
        let doublings = min(failures - freeAttempts, 20)
        return min(firstWait * pow(2, Double(doublings)), longestWait)
    }

    /// When the next attempt may be made, or nil when it may be made now.
    public func retryAt(
        pairFailures: Int, lastPairFailure: Date?, addressFailures: Int, lastAddressFailure: Date?, now: Date
    ) -> Date? {
        var until: Date?
        let pairWait = wait(afterFailures: pairFailures)
        if pairWait > 0, let last = lastPairFailure {
            let ready = last.addingTimeInterval(pairWait)
            if ready > now { until = ready }
        }
        if addressFailures >= perAddressLimit, let last = lastAddressFailure {
            let ready = last.addingTimeInterval(longestWait)
            if ready > now { until = max(until ?? ready, ready) }
        }
        return until
    }
}
