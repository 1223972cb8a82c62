import VietQR

/// An audit entry's detail as a board member reads it: "add mobile_money 971005/0918222333 TRAN
/// THI TU" becomes "Tài khoản Viettel Money 0918222333 TRAN THI TU". The stored detail stays as
/// it was written (old entries included); only its display is in words.
public enum AuditWording {
    static let actionWords: Set<String> = ["add", "deactivate", "reactivate"]

    public static func detail(_ raw: String, language: Language, banks: BankDirectory = .bundled) -> String {
        var words = raw.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if let first = words.first, actionWords.contains(first), words.count > 1 { words.removeFirst() }
        var out: [String] = []
        var kind: String?
        for word in words {
            if word == "bank" || word == "mobile_money" {
                kind = word
                continue
            }
            if let account = accountReference(word, banks: banks) {
                let noun = kind == "mobile_money" || account.isMobileMoney
                    ? LocalizedText(vi: "Tài khoản", en: "Account") : LocalizedText(vi: "Tài khoản ngân hàng", en: "Bank account")
                out.append("\(noun.text(in: language)) \(account.bank) \(account.number)")
                kind = nil
                continue
            }
            if let pending = kind {
                out.append(pending == "bank" ? LocalizedText(vi: "ngân hàng", en: "bank").text(in: language) : "Mobile Money")
                kind = nil
            }
            out.append(word)
        }
        var joined = out.joined(separator: " ")
        if language == .vi {
            for (english, vietnamese) in phrases { joined = joined.replacingOccurrences(of: english, with: vietnamese) }
        }
        return joined
    }

    static let phrases = [
        ("requested by ", "người đề nghị: "), ("confirmed by ", "người xác nhận: "), ("rejected by ", "người từ chối: "),
    ]

    /// "971005/0918222333": a BIN the directory knows, then the account number.
    static func accountReference(_ word: String, banks: BankDirectory) -> (bank: String, number: String, isMobileMoney: Bool)? {
        let parts = word.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].count == 6, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber),
              let bank = banks.bank(bin: parts[0])
        else { return nil }
        return (bank.shortName, parts[1].trimmingCharacters(in: .punctuationCharacters), bank.kind != .bank)
    }
}
