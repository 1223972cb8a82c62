import Foundation

/// One bank transfer as a notification service reported it, before matching.
public struct IncomingTransfer: Hashable, Sendable {
    public enum Direction: String, Sendable { case incoming = "in", outgoing = "out" }

    public var provider: String
    /// The provider's own id for the transaction: the idempotency key with the connection.
    public var providerTransactionID: String
    public var accountNumber: String
    public var bin: String?
    public var amount: Int64
    public var direction: Direction
    public var description: String
    public var reference: String?
    public var counterAccountName: String?
    public var counterAccountNumber: String?
    /// When the bank booked it; nil when the provider did not say.
    public var bankTime: Date?

    public init(
        provider: String, providerTransactionID: String, accountNumber: String, bin: String? = nil, amount: Int64,
        direction: Direction, description: String, reference: String? = nil, counterAccountName: String? = nil,
        counterAccountNumber: String? = nil, bankTime: Date? = nil
    ) {
        self.provider = provider
        self.providerTransactionID = providerTransactionID
        self.accountNumber = accountNumber
        self.bin = bin
        self.amount = amount
        self.direction = direction
        self.description = description
        self.reference = reference
        self.counterAccountName = counterAccountName
        self.counterAccountNumber = counterAccountNumber
        self.bankTime = bankTime
    }
}

/// What a webhook body says.
public enum WebhookContent: Equatable, Sendable {
    case transfers([IncomingTransfer])
    /// A provider's registration test with its documented demo values: answer 200, store nothing.
    case registrationTest
}

/// Why a webhook is refused: 401 for `unauthorized`, 400 for `malformed`. The reason is for the
/// log and the sender; it never contains a secret.
public enum WebhookError: Error, Equatable, Sendable {
    case unauthorized(String)
    case malformed(String)

    /// The reason as a market board member reads it: a refused signature in plain Vietnamese;
    /// an unreadable body says so, with the technical detail kept for whoever set it up.
    public var reason: LocalizedText {
        switch self {
        case .unauthorized(let reason):
            let vi = Self.unauthorizedVietnamese[reason] ?? "không xác thực được (\(reason))"
            return LocalizedText(vi: vi, en: reason)
        case .malformed(let reason):
            return LocalizedText(vi: "nội dung không đúng mẫu (chi tiết kỹ thuật: \(reason))", en: reason)
        }
    }

    static let unauthorizedVietnamese: [String: String] = [
        "signature mismatch": "chữ ký không khớp: khoá đã dán khác khoá ở nhà cung cấp, hoặc nội dung bị sửa trên đường đi",
        "wrong or missing Secure-Token": "mã bảo mật (Secure-Token) sai hoặc không có",
        "wrong or missing API key": "khoá API sai hoặc không có",
        "timestamp outside the replay window": "thời điểm gửi quá cũ hoặc ở tương lai (có thể là gửi lại một báo có cũ)",
        "the connection's secret is not usable": "khoá của kết nối này không dùng được; hãy đổi khoá",
        "no data or signature in the body": "thiếu dữ liệu hoặc chữ ký trong nội dung",
        "missing or malformed X-ChoSo-Signature": "thiếu chữ ký hoặc chữ ký sai dạng",
        "missing or malformed X-Casso-Signature": "thiếu chữ ký Casso hoặc chữ ký sai dạng",
        "missing X-SePay-Signature or X-SePay-Timestamp": "thiếu chữ ký hoặc thời điểm gửi của SePay",
    ]
}
