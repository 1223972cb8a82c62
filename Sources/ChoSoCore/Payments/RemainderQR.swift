import VietQR

/// After an under-payment the customer still owes part of the request: the same code asks for
/// exactly the rest, so the next transfer is matched to the same request and completes it.
public enum RemainderQR {
    /// `payload` with its amount replaced by `remaining`; nil when it cannot be read again.
    public static func payload(_ payload: String, remaining: Int64) -> String? {
        guard remaining > 0, case .success(let decoded) = VietQRParser.parse(payload), let bin = decoded.bin, let account = decoded.account
        else { return nil }
        let request = VietQRRequest(
            bin: bin, account: account, service: decoded.service.flatMap(TransferService.init(rawValue:)) ?? .toAccount,
            amount: remaining, purpose: decoded.purpose, merchantName: decoded.merchantName, merchantCity: decoded.merchantCity)
        return try? VietQRBuilder.build(request)
    }

    /// What the request still expects, in đồng: nothing unless it is under-paid.
    public static func remaining(requested: Int64, received: Int64) -> Int64? {
        guard received > 0, received < requested else { return nil }
        return requested - received
    }
}

/// A transfer keeps its own status (under-paid when it came), but once its request has been paid
/// in full by a later transfer, the under-payment is settled: no longer a warning, nor a thing to
/// check on the day close.
public enum RequestSettlement {
    public static func isSettled(transferStatus: String, requestStatus: String?) -> Bool {
        transferStatus == "underpaid" && (requestStatus == "paid" || requestStatus == "overpaid")
    }

    public static let settledNote = LocalizedText(vi: "sau đó đã trả đủ", en: "paid in full later")
}
