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

    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    /// Whole đồng from a JSON number or a digit string; refuses fractions, junk, and amounts no
    /// VietQR transfer can carry (which would also overflow the totals).
    static func amount(_ value: Any?, field: String) throws(WebhookError) -> Int64 {
        var amount: Int64?
        if let number = value as? NSNumber { amount = Int64(exactly: number.doubleValue) }
        if let text = value as? String { amount = Int64(text) }
        guard let amount else { throw .malformed("\(field) is not a whole number of đồng") }
        guard amount.magnitude <= VietQRBuilder.maxAmount.magnitude else {
            throw .malformed("\(field) is beyond \(Money.groupDigits(VietQRBuilder.maxAmount)) đồng")
        }
        return amount
    }

    static func localTime(_ text: String?, timeZone: TimeZone) -> Date? {
        text.flatMap { BankTime.parseLocal($0, timeZone: timeZone) }
    }

    static func required(_ object: [String: Any], _ key: String) throws(WebhookError) -> String {
        guard let value = string(object[key]), !value.isEmpty else { throw .malformed("missing \(key)") }
        return value
    }

    /// A sub-account or virtual account when the provider gives one (that is what a stall is
    /// paid into), the main account otherwise.
    static func preferred(_ specific: String?, else key: String, in object: [String: Any]) throws(WebhookError) -> String {
        if let specific, !specific.isEmpty { return specific }
        return try required(object, key)
    }

    // MARK: SePay

    public static func sepay(_ body: [UInt8], timeZone: TimeZone) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        let direction: IncomingTransfer.Direction
        switch string(object["transferType"])?.lowercased() {
        case "in": direction = .incoming
        case "out": direction = .outgoing
        default: throw .malformed("transferType must be in or out")
        }
        // SePay's `content` is what the payer typed; `description` is the bank's full line.
        let description = [string(object["content"]), string(object["description"])].compactMap { $0 }
            .first { !$0.isEmpty } ?? ""
        return .transfers([IncomingTransfer(
            provider: "sepay", providerTransactionID: try required(object, "id"),
            accountNumber: try preferred(string(object["subAccount"]), else: "accountNumber", in: object),
            amount: try amount(object["transferAmount"], field: "transferAmount"), direction: direction, description: description,
            reference: string(object["referenceCode"]), bankTime: localTime(string(object["transactionDate"]), timeZone: timeZone))])
    }

    // MARK: Casso

    /// Webhook V2: one transaction in `data`.
    public static func cassoV2(_ body: [UInt8], timeZone: TimeZone) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        guard let data = object["data"] as? [String: Any] else { throw .malformed("data must be an object") }
        let amount = try amount(data["amount"], field: "amount")
        let virtualAccount = string(data["virtualAccountNumber"]).flatMap { $0.isEmpty ? nil : $0 }
        return .transfers([IncomingTransfer(
            provider: "casso", providerTransactionID: try required(data, "id") + "/" + (string(data["reference"]) ?? ""),
            accountNumber: try preferred(virtualAccount, else: "accountNumber", in: data),
            amount: abs(amount), direction: amount < 0 ? .outgoing : .incoming, description: string(data["description"]) ?? "",
            reference: string(data["reference"]), counterAccountName: string(data["counterAccountName"]),
            counterAccountNumber: string(data["counterAccountNumber"]),
            bankTime: localTime(string(data["transactionDateTime"]), timeZone: timeZone))])
    }

    /// The legacy format: a list of transactions in `data`.
    public static func cassoLegacy(_ body: [UInt8], timeZone: TimeZone) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        guard let list = object["data"] as? [[String: Any]] else { throw .malformed("data must be a list") }
        var transfers: [IncomingTransfer] = []
        for data in list {
            let amount = try amount(data["amount"], field: "amount")
            let virtualAccount = string(data["virtualAccount"]).flatMap { $0.isEmpty ? nil : $0 }
            transfers.append(IncomingTransfer(
                provider: "casso", providerTransactionID: try required(data, "id") + "/" + (string(data["tid"]) ?? ""),
                accountNumber: try preferred(virtualAccount, else: "bank_sub_acc_id", in: data),
                amount: abs(amount), direction: amount < 0 ? .outgoing : .incoming, description: string(data["description"]) ?? "",
                reference: string(data["tid"]), counterAccountName: string(data["corresponsiveName"]),
                counterAccountNumber: string(data["corresponsiveAccount"]),
                bankTime: localTime(string(data["when"]), timeZone: timeZone)))
        }
        return .transfers(transfers)
    }

    // MARK: payOS

    /// payOS sends these documented demo values when a merchant registers the webhook URL.
    static let payOSTestReference = "TF230204212323"

    public static func payOS(_ body: [UInt8], timeZone: TimeZone) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        guard let data = object["data"] as? [String: Any] else { throw .malformed("data must be an object") }
        if string(data["reference"]) == payOSTestReference, string(data["accountNumber"]) == "12345678",
           string(data["description"]) == "VQRIO123" {
            return .registrationTest
        }
        let virtualAccount = string(data["virtualAccountNumber"]).flatMap { $0.isEmpty ? nil : $0 }
        return .transfers([IncomingTransfer(
            provider: "payos", providerTransactionID: try required(data, "reference"),
            accountNumber: try preferred(virtualAccount, else: "accountNumber", in: data),
            amount: try amount(data["amount"], field: "amount"), direction: .incoming, description: string(data["description"]) ?? "",
            reference: string(data["reference"]), counterAccountName: string(data["counterAccountName"]),
            counterAccountNumber: string(data["counterAccountNumber"]),
            bankTime: localTime(string(data["transactionDateTime"]), timeZone: timeZone))])
    }

    // MARK: ChoSo generic

    /// `{"id","accountNumber","bin"?,"amount","direction":"in|out","description","reference"?,
    /// "counterAccountName"?,"counterAccountNumber"?,"time"}`, `time` ISO 8601 with an offset.
    public static func generic(_ body: [UInt8]) throws(WebhookError) -> WebhookContent {
        let object = try object(body)
        guard let direction = string(object["direction"]).flatMap(IncomingTransfer.Direction.init(rawValue:)) else {
            throw .malformed("direction must be in or out")
        }
        let amount = try amount(object["amount"], field: "amount")
        guard amount > 0 else { throw .malformed("amount must be above 0") }
        guard let timeText = string(object["time"]), let time = BankTime.parseISO8601(timeText) else {
            throw .malformed("time must be ISO 8601 with an offset")
        }
        return .transfers([IncomingTransfer(
            provider: "generic", providerTransactionID: try required(object, "id"), accountNumber: try required(object, "accountNumber"),
            bin: string(object["bin"]), amount: amount, direction: direction, description: string(object["description"]) ?? "",
            reference: string(object["reference"]), counterAccountName: string(object["counterAccountName"]),
            counterAccountNumber: string(object["counterAccountNumber"]), bankTime: time)])
    }
}
