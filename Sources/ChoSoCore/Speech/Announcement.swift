import Foundation

/// What the stall's screen and speaker say when money arrives: always the full amount with its
/// unit, and a warning that cannot be missed when it is not what was asked (the "200 đồng for
/// 200.000 đồng" trick).
public enum Announcement {
    public struct Spoken: Equatable, Sendable {
        public var text: String
        /// Under-paid, over-paid, paid twice: the screen shows it in red.
        public var isWarning: Bool

        public init(text: String, isWarning: Bool) {
            self.text = text
            self.isWarning = isWarning
        }
    }

    /// `status` is a transfer status (`paid`, `walk_in`, `underpaid`, …); `difference` what is
    /// still owed or to give back.
    public static func make(
        status: TransferStatus, amount: Int64, difference: Int64?, sender: String?, reading: AmountReading = .south
    ) -> Spoken {
        let received = reading.words(amount)
        let from = sender.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : " từ \($0)" } ?? ""
        switch status {
        case .underpaid:
            return Spoken(text: "Cảnh báo: khách chuyển thiếu, nhận \(received), còn thiếu \(reading.words(difference ?? 0))", isWarning: true)
        case .overpaid:
            return Spoken(text: "Cảnh báo: khách chuyển dư, nhận \(received), dư \(reading.words(difference ?? 0))", isWarning: true)
        case .duplicatePayment:
            return Spoken(text: "Cảnh báo: khoản này đã trả rồi, nhận thêm \(received), cần hoàn lại khách", isWarning: true)
        case .late:
            return Spoken(text: "Đã nhận \(received)\(from), yêu cầu đã hết hạn, hãy kiểm tra", isWarning: true)
        case .outgoing:
            return Spoken(text: "Tiền chuyển đi \(received)", isWarning: false)
        case .fee:
            return Spoken(text: "Đã nhận phí chợ \(received)\(from)", isWarning: false)
        case .paid, .walkIn, .unmatched:
            return Spoken(text: "Đã nhận \(received)\(from)", isWarning: false)
        }
    }

    /// The board's reminder, read aloud on the stall's screen (issue 15): "Quầy 12 còn nợ phí chợ
    /// tháng 11, tháng 12, tổng cộng …".
    public static func feeReminder(stallNumber: String, months: [Int], amount: Int64, reading: AmountReading = .south) -> Spoken {
        let when = months.map { "tháng \($0)" }.joined(separator: ", ")
        return Spoken(
            text: "Quầy \(stallNumber) còn nợ phí chợ \(when), tổng cộng \(reading.words(amount)). Xin quét mã phí chợ để nộp",
            isWarning: true)
    }
}
