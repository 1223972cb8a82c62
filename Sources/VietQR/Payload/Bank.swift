import Foundation

/// A NAPAS member that can receive a VietQR transfer: a bank, a Mobile Money service or an e-wallet.
public struct Bank: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case bank
        case mobileMoney = "mobile-money"
        case eWallet = "e-wallet"
    }

    /// The 6-digit acquirer ID written in VietQR tag 38.01.00.
    public var bin: String
    public var code: String
    public var shortName: String
    /// Full Vietnamese name, NFC.
    public var name: String
    /// Former names and other spellings, so that old statements and user input still match.
    public var aliases: [String]
    public var kind: Kind
    /// False when no primary source confirms the BIN (e.g. the Mobile Money BINs).
    public var verified: Bool
    /// Where the entry comes from; see `shared/reference/vietqr.md` §12.
    public var source: String
}

/// The NAPAS member directory, bundled as a JSON resource with provenance for every entry.
public struct BankDirectory: Sendable {
    public let banks: [Bank]
    private let byBIN: [String: Bank]

    public init(banks: [Bank]) {
        self.banks = banks
        self.byBIN = Dictionary(banks.map { ($0.bin, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func bank(bin: String) -> Bank? { byBIN[bin] }

    /// The directory shipped with ChoSo (`Resources/banks.json`).
    public static let bundled: BankDirectory = {
        guard let url = Bundle.module.url(forResource: "banks", withExtension: "json") else {
            fatalError("banks.json is missing from the VietQR bundle")
        }
        do {
            return BankDirectory(banks: try JSONDecoder().decode([Bank].self, from: Data(contentsOf: url)))
        } catch {
            fatalError("banks.json cannot be read: \(error)")
        }
    }()
}

/// Field limits of the NAPAS VietQR specification that other modules validate against.
public enum VietQRRules {
    /// 38.01.01 (merchant or consumer ID): letters or digits, at most 19.
    public static let maxAccountIDLength = 19

    public static func isValidAccountID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= maxAccountIDLength
            && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
    }

    /// A BIN is six ASCII digits.
    public static func isWellFormedBIN(_ text: String) -> Bool {
        text.count == 6 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }
}
