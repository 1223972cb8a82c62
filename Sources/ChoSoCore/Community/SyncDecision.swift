/// How a record sent by a phone meets what is stored (the `POST /api/v1/sync` contract). The
/// database's uniqueness makes it exactly once: whoever loses a race reads again and decides again.
public enum SyncDecision {
    public struct StoredVersion: Sendable, Hashable {
        public var version: Int
        public var baseVersion: Int?
        public var hash: String

        public init(version: Int, baseVersion: Int?, hash: String) {
            self.version = version
            self.baseVersion = baseVersion
            self.hash = hash
        }
    }

    public enum Outcome: Sendable, Hashable {
        /// Store as this version; `conflictWith` names the current version it did not build on
        /// (two phones edited the same household): both are kept, the new one is shown, and the
        /// team's leader settles it.
        case store(version: Int, conflictWith: Int?)
        /// Already stored (a resend after a lost answer, or the same edit twice): nothing written.
        case unchanged(version: Int)
    }

    public static func household(stored: [StoredVersion], current: Int?, base: Int?, hash: String) -> Outcome {
        guard let current, let newest = stored.map(\.version).max() else { return .store(version: 1, conflictWith: nil) }
        // The same content from the same starting point was stored before, or the household is
        // already exactly this.
        if let same = stored.first(where: { $0.hash == hash && $0.baseVersion == base }) { return .unchanged(version: same.version) }
        if stored.first(where: { $0.version == current })?.hash == hash { return .unchanged(version: current) }
        if base == current { return .store(version: newest + 1, conflictWith: nil) }
        return .store(version: newest + 1, conflictWith: current)
    }

    public enum VisitOutcome: Sendable, Hashable {
        case store
        case unchanged
        /// The id was used before for other content: kept apart for the leader, never merged.
        case conflict
    }

    public static func visit(storedHash: String?, hash: String) -> VisitOutcome {
        guard let storedHash else { return .store }
        return storedHash == hash ? .unchanged : .conflict
    }
}

/// "Có thể trùng với hộ …": a new household that may be one already registered. Same hamlet, the
/// same head's name without diacritics or case, and the same house number or phone.
public enum HouseholdIdentity {
    public static func folded(_ text: String) -> String { TextNormalization.searchKey(text) }

    /// The house number: the first run of digits (with a slash or letter, "12/3", "45A") in the
    /// address; nil for a description without one ("cạnh chùa Ngan Rô").
    public static func houseNumber(_ address: String) -> String? {
        let folded = folded(address)
        guard let start = folded.firstIndex(where: \.isNumber) else { return nil }
        let number = folded[start...].prefix { $0.isNumber || $0 == "/" || ($0.isLetter && $0.isASCII) }
        return String(number)
    }

    public static func mayBeSame(_ a: HouseholdRecord.Content, _ b: HouseholdRecord.Content) -> Bool {
        guard a.hamlet == b.hamlet, folded(a.headName) == folded(b.headName) else { return false }
        if let phone = a.phone, phone == b.phone { return true }
        if let number = houseNumber(a.address) { return number == houseNumber(b.address) }
        return folded(a.address) == folded(b.address)
    }
}
