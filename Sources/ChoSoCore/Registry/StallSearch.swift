/// The stall list's search box: a stall matches when every word typed is found in its number,
/// name, trade, keeper's name or phone, or an account number — without regard to accents or case
/// ("co ba" finds "Cô Ba"), so a board member types as on any phone keyboard.
public struct StallSearch: Sendable {
    let words: [String]

    /// Nil for an empty or blank query (everything matches).
    public init?(_ query: String?) {
        let words = TextNormalization.searchKey(query ?? "").split(separator: " ").map(String.init).prefix(8)
        guard !words.isEmpty else { return nil }
        self.words = Array(words)
    }

    public func matches(number: String, name: String, trade: String?, keeper: String, phone: String?, accountNumbers: [String]) -> Bool {
        let haystack = TextNormalization.searchKey(([number, name, trade ?? "", keeper, phone ?? ""] + accountNumbers).joined(separator: " "))
        return words.allSatisfy { haystack.contains($0) }
    }

    /// Where a match goes in the list: the stall whose number is what was typed, then stalls whose
    /// number or name has it, then the rest (a phone or account number that merely contains it).
    public func rank(number: String, name: String) -> Int {
        let number = TextNormalization.searchKey(number), name = TextNormalization.searchKey(name)
        if words == [number] { return 0 }
        if words.allSatisfy({ number.hasPrefix($0) || name.contains($0) }) { return 1 }
        return 2
    }
}
