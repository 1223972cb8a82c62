import ChoSoCore
import Testing

/// Which refund an outgoing transfer pays back (issue 12.9; read once per statement since 19).
@Suite struct RefundPaidTests {
    let owed = [
        Refund.Owed(amount: 50_000, counterAccount: "0011"),
        Refund.Owed(amount: 200_000, counterAccount: "0022"),
        Refund.Owed(amount: 200_000, counterAccount: nil),
        Refund.Owed(amount: 200_000, counterAccount: "0033"),
    ]

    @Test func theOldestOfExactlyThatAmountWhenNoAccountIsNamed() {
        #expect(Refund.paid(by: 200_000, to: nil, among: owed) == 1)
        #expect(Refund.paid(by: 200_000, to: "", among: owed) == 1, "an empty account names no one")
        #expect(Refund.paid(by: 199_000, to: nil, among: owed) == nil)
        #expect(Refund.paid(by: 50_000, to: nil, among: []) == nil)
    }

    @Test func aNamedPayeeSkipsRefundsOwedToSomeoneElse() {
        #expect(Refund.paid(by: 200_000, to: "0033", among: owed) == 2, "one without an account may be anyone's")
        #expect(Refund.paid(by: 200_000, to: "0033", among: [owed[1], owed[3]]) == 1)
        #expect(Refund.paid(by: 50_000, to: "0099", among: owed) == nil)
    }
}
