/// How what arrived compares with what was asked (DESIGN.md §5). Several transfers may pay one
/// request: their sum decides.
public enum PaymentJudgement: Equatable, Sendable {
    case pending
    case paid
    /// `remaining` đồng are still owed.
    case underpaid(remaining: Money)
    /// `excess` đồng should go back to the customer.
    case overpaid(excess: Money)

    public static func judge(requested: Money, received: Money) -> PaymentJudgement {
        if received.dong <= 0 { return .pending }
        if received == requested { return .paid }
        return received < requested ? .underpaid(remaining: requested - received) : .overpaid(excess: received - requested)
    }
}
