import Foundation

/// A delivery as a provider would send it: headers and body, signed with the connection's secret.
/// The connection page's "send a test" and the load generator both use it, so they exercise the
/// same checks as real traffic.
public struct SignedDelivery: Sendable {
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

public enum WebhookDeliveryBuilder {
    /// The transfer in the provider's own body format, signed as that provider signs.
    public static func make(
        _ transfer: IncomingTransfer, kind: WebhookConnectionKind, secret: String, now: Date = Date(), timeZone: TimeZone
    ) -> SignedDelivery {
        let bankTime = BankTime.formatLocal(transfer.bankTime ?? now, timeZone: timeZone)
        let signedAmount = transfer.direction == .incoming ? transfer.amount : -transfer.amount
        let body: [String: Any]
        switch (kind.provider, kind.auth) {
        case (.sepay, _):
            body = [
                "id": Int(transfer.providerTransactionID) ?? 0, "gateway": "ChoSo", "transactionDate": bankTime,
                "accountNumber": transfer.accountNumber, "code": NSNull(), "content": transfer.description,
                "transferType": transfer.direction.rawValue, "transferAmount": transfer.amount, "accumulated": 0,
                "subAccount": NSNull(), "referenceCode": transfer.reference ?? "", "description": "",
            ]
        case (.casso, .secureToken):
            body = ["error": 0, "data": [[
                "id": transfer.providerTransactionID, "tid": transfer.reference ?? "", "description": transfer.description,
                "amount": signedAmount, "when": bankTime, "bank_sub_acc_id": transfer.accountNumber, "virtualAccount": "",
                "corresponsiveName": transfer.counterAccountName ?? "", "corresponsiveAccount": transfer.counterAccountNumber ?? "",
            ] as [String: Any]]]
        case (.casso, _):
            body = ["error": 0, "data": [
                "id": transfer.providerTransactionID, "reference": transfer.reference ?? "", "description": transfer.description,
                "amount": signedAmount, "transactionDateTime": bankTime, "accountNumber": transfer.accountNumber,
                "virtualAccountNumber": "", "counterAccountName": transfer.counterAccountName ?? "",
                "counterAccountNumber": transfer.counterAccountNumber ?? "",
            ] as [String: Any]]
        case (.payos, _):
            let data: [String: Any] = [
                "orderCode": 0, "amount": transfer.amount, "description": transfer.description,
                "accountNumber": transfer.accountNumber, "reference": transfer.providerTransactionID,
                "transactionDateTime": bankTime, "currency": "VND", "paymentLinkId": "", "code": "00", "desc": "success",
                "counterAccountBankId": "", "counterAccountBankName": "", "counterAccountName": transfer.counterAccountName ?? "",
                "counterAccountNumber": transfer.counterAccountNumber ?? "", "virtualAccountName": "", "virtualAccountNumber": "",
            ]
            body = ["code": "00", "desc": "success", "success": true, "data": data,
                    "signature": WebhookSignatures.payOSSignature(data: data, checksumKey: secret)]
        case (.generic, _):
            var object: [String: Any] = [
                "id": transfer.providerTransactionID, "accountNumber": transfer.accountNumber, "amount": transfer.amount,
                "direction": transfer.direction.rawValue, "description": transfer.description,
                "time": BankTime.formatISO8601(transfer.bankTime ?? now),
            ]
            object["bin"] = transfer.bin
            object["reference"] = transfer.reference
            object["counterAccountName"] = transfer.counterAccountName
            object["counterAccountNumber"] = transfer.counterAccountNumber
            body = object
        }
        // Serialising a dictionary of strings and numbers cannot fail.
        let bytes = Array(try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
        return SignedDelivery(headers: headers(for: bytes, kind: kind, secret: secret, now: now) + [("Content-Type", "application/json")], body: bytes)
    }

    static func headers(for body: [UInt8], kind: WebhookConnectionKind, secret: String, now: Date) -> [(name: String, value: String)] {
        let seconds = String(Int(now.timeIntervalSince1970))
        switch (kind.provider, kind.auth) {
        case (.sepay, .apiKey): return [("Authorization", "Apikey " + secret)]
        case (.sepay, _):
            return [("X-SePay-Timestamp", seconds),
                    ("X-SePay-Signature", "sha256=" + WebhookSignatures.hmacSHA256(Array((seconds + ".").utf8) + body, key: secret))]
        case (.casso, .secureToken): return [("Secure-Token", secret)]
        case (.casso, _):
            let milliseconds = String(Int(now.timeIntervalSince1970 * 1000))
            return [("X-Casso-Signature", "t=\(milliseconds),v1=" + (WebhookSignatures.cassoV2Signature(body, t: milliseconds, key: secret) ?? ""))]
        case (.payos, _): return []
        case (.generic, _):
            return [("X-ChoSo-Signature", "t=\(seconds),v1=" + WebhookSignatures.hmacSHA256(Array((seconds + ".").utf8) + body, key: secret))]
        }
    }
}
