import Foundation
import VietQR

/// Each provider's body turned into transfers. Pure: tested on the sample bodies in
/// `shared/reference/webhooks/`. Bank times without an offset are read in `timeZone`
/// (Asia/Ho_Chi_Minh for Vietnamese banks).
public enum WebhookDecoders {
    static func object(_ body: [UInt8]) throws(WebhookError) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw .malformed("the body is not a JSON object")
        }
        return object
    }

    /// What a text field may hold. No field may hold a control character: a NUL cut a stored
    /// description short, and the others are never part of a bank's text. Free text (a
    /// transfer's description) may hold tab and line breaks, which some banks put in long
    /// descriptions and which are only white space on a page; identifiers, account numbers,
    /// names and times may not. Bidirectional overrides and isolates (U+202A–U+202E,
    /// U+2066–U+2069) are refused everywhere: invisible, they reorder what a person reads.
    enum TextKind { case identifier, freeText }

    /// A field's text: a JSON string, or a number written as text (Casso's ids are numbers); nil
    /// when absent or null. A boolean, an object or a list is refused, not turned into "1".
    static func string(_ object: [String: Any], _ key: String, _ kind: TextKind = .identifier) throws(WebhookError) -> String? {
        let text: String
        switch object[key] {
        case nil, is NSNull: return nil
        case let value as String: text = value
        case let number as NSNumber:
            guard !isBoolean(number) else { throw .malformed("\(key) is true or false, not text") }
            text = number.stringValue
        default: throw .malformed("\(key) must be text")
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let whiteSpace = value == 0x09 || value == 0x0A || value == 0x0D
            let control = value < 0x20 || (0x7F...0x9F).contains(value)
            let bidi = (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            if bidi || control && !(kind == .freeText && whiteSpace) {
                throw .malformed("\(key) contains the control character U+\(String(format: "%04X", value))")
            }
        }
        return text
    }

    /// JSON's `true` and `false` arrive as NSNumber, and `as? Int64` or `as? Bool` cannot tell
    /// them from 1 and 0 (both bridge either way, on Linux too). The boolean's own class can:
    /// CFBoolean (`__NSCFBoolean`), whose `objCType` is "c", a type no JSON number decodes to.
    static func isBoolean(_ number: NSNumber) -> Bool {
        type(of: number) == type(of: NSNumber(value: true)) || String(cString: number.objCType) == "c"
    }

    /// Whole đồng from a JSON number or a digit string; refuses booleans, fractions, junk, and
    /// amounts no VietQR transfer can carry (which would also overflow the totals). The sign is
    /// the caller's to judge.
    static func amount(_ object: [String: Any], _ key: String) throws(WebhookError) -> Int64 {
        var amount: Int64?
        switch object[key] {
        case let text as String: amount = Int64(text)
        case let number as NSNumber:
            guard !isBoolean(number) else { throw .malformed("\(key) is true or false, not a number of đồng") }
            // Exact as a Double up to 2^53, far above the largest amount accepted below.
            amount = Int64(exactly: number.doubleValue)
        default: break
        }
        guard let amount else { throw .malformed("\(key) is not a whole number of đồng") }
        guard amount.magnitude <= VietQRBuilder.maxAmount.magnitude else {
            throw .malformed("\(key) is beyond \(Money.groupDigits(VietQRBuilder.maxAmount)) đồng")
        }
        return amount
    }

    /// An amount that must be above zero: SePay and payOS give the direction apart from the
    /// amount, so 0 or a negative amount is no transfer at all.
    static func positiveAmount(_ object: [String: Any], _ key: String) throws(WebhookError) -> Int64 {
        let amount = try amount(object, key)
        guard amount > 0 else { throw .malformed("\(key) must be above 0") }
        return amount
    }

    /// Casso signs the amount with the direction: negative is money going out; 0 is refused.
    static func signedAmount(_ object: [String: Any], _ key: String) throws(WebhookError) -> (Int64, IncomingTransfer.Direction) {
        let amount = try amount(object, key)
        guard amount != 0 else { throw .malformed("\(key) must not be 0") }
        return (abs(amount), amount < 0 ? .outgoing : .incoming)
    }

    /// A bank's wall-clock time (`yyyy-MM-dd HH:mm:ss` in `timeZone`, or ISO 8601 with an offset);
    /// nil when the provider left it out. A time given but unreadable, or not plausible, is refused:
    /// storing the arrival time instead would misdate the transfer without anyone knowing.
    static func localTime(_ object: [String: Any], _ key: String, timeZone: TimeZone, now: Date) throws(WebhookError) -> Date? {
        guard let text = try string(object, key), !text.allSatisfy({ $0 == " " }) else { return nil }
        guard let time = BankTime.parseLocal(text, timeZone: timeZone) ?? BankTime.parseISO8601(text) else {
            throw .malformed("\(key) \"\(text.prefix(40))\" is not a time (yyyy-MM-dd HH:mm:ss)")
        }
        return try plausible(time, key, text, now: now)
    }

    static func plausible(_ time: Date, _ key: String, _ text: String, now: Date) throws(WebhookError) -> Date {
        switch BankTime.plausibility(of: time, now: now) {
        case .plausible: return time
        case .tooEarly: throw .malformed("\(key) \(text.prefix(40)) is before 2000-01-01")
        case .tooLate: throw .malformed("\(key) \(text.prefix(40)) is more than a day after ChoSo's clock")
        }
    }

    static func required(_ object: [String: Any], _ key: String) throws(WebhookError) -> String {
        guard let value = try string(object, key), !value.isEmpty else { throw .malformed("missing \(key)") }
        return value
    }

    /// A sub-account or virtual account when the provider gives one (that is what a stall is
    /// paid into), the main account otherwise.
    static func preferred(_ specificKey: String, else key: String, in object: [String: Any]) throws(WebhookError) -> String {
        if let specific = try string(object, specificKey), !specific.isEmpty { return specific }
        return try required(object, key)
    }

    // MARK: SePay

    public static func sepay(_ body: [UInt8], timeZone: TimeZone, now: Date = Date()) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        let direction: IncomingTransfer.Direction
        switch try string(object, "transferType")?.lowercased() {
        case "in": direction = .incoming
        case "out": direction = .outgoing
        default: throw .malformed("transferType must be in or out")
        }
        // SePay's `content` is what the payer typed; `description` is the bank's full line.
        let description = try [string(object, "content", .freeText), string(object, "description", .freeText)].compactMap { $0 }
            .first { !$0.isEmpty } ?? ""
        return .transfers([IncomingTransfer(
            provider: "sepay", providerTransactionID: try required(object, "id"),
            accountNumber: try preferred("subAccount", else: "accountNumber", in: object),
            amount: try positiveAmount(object, "transferAmount"), direction: direction, description: description,
            reference: try string(object, "referenceCode"),
            bankTime: try localTime(object, "transactionDate", timeZone: timeZone, now: now))])
    }

    // MARK: Casso

    /// Webhook V2: one transaction in `data`.
    public static func cassoV2(_ body: [UInt8], timeZone: TimeZone, now: Date = Date()) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        guard let data = object["data"] as? [String: Any] else { throw .malformed("data must be an object") }
        let (amount, direction) = try signedAmount(data, "amount")
        return .transfers([IncomingTransfer(
            provider: "casso", providerTransactionID: try required(data, "id") + "/" + (try string(data, "reference") ?? ""),
            accountNumber: try preferred("virtualAccountNumber", else: "accountNumber", in: data),
            amount: amount, direction: direction, description: try string(data, "description", .freeText) ?? "",
            reference: try string(data, "reference"), counterAccountName: try string(data, "counterAccountName"),
            counterAccountNumber: try string(data, "counterAccountNumber"),
            bankTime: try localTime(data, "transactionDateTime", timeZone: timeZone, now: now))])
    }

    /// The legacy format: a list of transactions in `data`.
    public static func cassoLegacy(_ body: [UInt8], timeZone: TimeZone, now: Date = Date()) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        guard let list = object["data"] as? [[String: Any]] else { throw .malformed("data must be a list") }
        var transfers: [IncomingTransfer] = []
        for data in list {
            let (amount, direction) = try signedAmount(data, "amount")
            transfers.append(IncomingTransfer(
                provider: "casso", providerTransactionID: try required(data, "id") + "/" + (try string(data, "tid") ?? ""),
                accountNumber: try preferred("virtualAccount", else: "bank_sub_acc_id", in: data),
                amount: amount, direction: direction, description: try string(data, "description", .freeText) ?? "",
                reference: try string(data, "tid"), counterAccountName: try string(data, "corresponsiveName"),
                counterAccountNumber: try string(data, "corresponsiveAccount"),
                bankTime: try localTime(data, "when", timeZone: timeZone, now: now)))
        }
        return .transfers(transfers)
    }

    // MARK: payOS

    /// payOS sends these documented demo values when a merchant registers the webhook URL.
    static let payOSTestReference = "TF230204212323"

    public static func payOS(_ body: [UInt8], timeZone: TimeZone, now: Date = Date()) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        guard let data = object["data"] as? [String: Any] else { throw .malformed("data must be an object") }
        if try string(data, "reference") == payOSTestReference, try string(data, "accountNumber") == "12345678",
           try string(data, "description", .freeText) == "VQRIO123" {
            return .registrationTest
        }
        // payOS reports money coming in only: the amount is above zero.
        return .transfers([IncomingTransfer(
            provider: "payos", providerTransactionID: try required(data, "reference"),
            accountNumber: try preferred("virtualAccountNumber", else: "accountNumber", in: data),
            amount: try positiveAmount(data, "amount"), direction: .incoming, description: try string(data, "description", .freeText) ?? "",
            reference: try string(data, "reference"), counterAccountName: try string(data, "counterAccountName"),
            counterAccountNumber: try string(data, "counterAccountNumber"),
            bankTime: try localTime(data, "transactionDateTime", timeZone: timeZone, now: now))])
    }

    // MARK: ChoSo generic

    /// `{"id","accountNumber","bin"?,"amount","direction":"in|out","description","reference"?,
    /// "counterAccountName"?,"counterAccountNumber"?,"time"}`, `time` ISO 8601 with an offset.
    public static func generic(_ body: [UInt8], now: Date = Date()) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        guard let direction = try string(object, "direction").flatMap(IncomingTransfer.Direction.init(rawValue:)) else {
            throw .malformed("direction must be in or out")
        }
        let amount = try positiveAmount(object, "amount")
        guard let timeText = try string(object, "time"), let time = BankTime.parseISO8601(timeText) else {
            throw .malformed("time must be ISO 8601 with an offset")
        }
        return .transfers([IncomingTransfer(
            provider: "generic", providerTransactionID: try required(object, "id"), accountNumber: try required(object, "accountNumber"),
            bin: try string(object, "bin"), amount: amount, direction: direction, description: try string(object, "description", .freeText) ?? "",
            reference: try string(object, "reference"), counterAccountName: try string(object, "counterAccountName"),
            counterAccountNumber: try string(object, "counterAccountNumber"), bankTime: try plausible(time, "time", timeText, now: now))])
    }
}
