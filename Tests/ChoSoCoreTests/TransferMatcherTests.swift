import ChoSoCore
import Foundation
import Testing

@Suite struct TransferMatcherTests {
    static let now = Date(timeIntervalSince1970: 1_795_568_400)
    static let accounts = [
        KnownAccount(stallID: "s12", bin: "970436", accountNumber: "0011001234567"),
        KnownAccount(stallID: "s7", bin: "971005", accountNumber: "0912345678"),
        KnownAccount(stallID: "s8", bin: "970405", accountNumber: "111"),
        KnownAccount(stallID: "s9", bin: "970418", accountNumber: "111"),
    ]
    static let requests = [
        OpenRequest(id: "r1", stallID: "s12", code: "CS7K2M9Q4", amount: 200_000, received: 0, expiresAt: now.addingTimeInterval(900)),
        OpenRequest(id: "r2", stallID: "s12", code: "CSTP1GJVW", amount: 50_000, received: 50_000, expiresAt: now.addingTimeInterval(900)),
        OpenRequest(id: "r3", stallID: "s7", code: "CS1KYBQW0", amount: 30_000, received: 10_000, expiresAt: now.addingTimeInterval(-60)),
    ]

    static func transfer(_ description: String, amount: Int64 = 200_000, account: String = "0011001234567", bin: String? = nil,
                         direction: IncomingTransfer.Direction = .incoming) -> IncomingTransfer {
        IncomingTransfer(provider: "test", providerTransactionID: UUID().uuidString, accountNumber: account, bin: bin, amount: amount,
                         direction: direction, description: description, bankTime: now)
    }

    @Test(arguments: [
        // Bank description formats with the code somewhere inside.
        ("MBVCB.3278907687.CS7K2M9Q4.CT tu 0071000123456 NGUYEN VAN A toi 0011001234567", TransferStatus.paid),
        ("CS7K2M9Q4 tra tien rau", .paid), ("cs7k2m9q4", .paid), ("CS 7K2M 9Q4", .paid), ("CS-7K2M-9Q4", .paid),
        ("IBFT CS7K2M9Q4 GD 7891", .paid), ("ND: CS.7K2M.9Q4", .paid), ("TRAN THI BA chuyen tien CS7K2M9Q4", .paid),
        ("CS7K2M9Q4CT tu VCB", .paid), ("ACB;0123;CS7K2M9Q4", .paid),
        // No code, a wrong check character, another stall's code: walk-in.
        ("chuyen tien mua rau", .walkIn), ("CS7K2M9QX", .walkIn), ("CS1KYBQW0 tien ca", .walkIn), ("", .walkIn),
    ])
    func codesInDescriptions(description: String, expected: TransferStatus) {
        let decision = TransferMatcher.match(Self.transfer(description), accounts: Self.accounts, requests: Self.requests)
        #expect(decision.status == expected)
        #expect(decision.stallID == "s12")
        #expect(!decision.reason.vi.isEmpty && !decision.reason.en.isEmpty)
    }

    @Test func theAmountIsJudged() {
        let scam = TransferMatcher.match(Self.transfer("CS7K2M9Q4", amount: 200), accounts: Self.accounts, requests: Self.requests)
        #expect(scam.status == .underpaid)
        #expect(scam.difference == 199_800)
        #expect(scam.reason.vi.contains("199.800 đ"))
        let over = TransferMatcher.match(Self.transfer("CS7K2M9Q4", amount: 250_000), accounts: Self.accounts, requests: Self.requests)
        #expect(over.status == .overpaid)
        #expect(over.difference == 50_000)
        let again = TransferMatcher.match(Self.transfer("CSTP1GJVW", amount: 50_000), accounts: Self.accounts, requests: Self.requests)
        #expect(again.status == .duplicatePayment)
        let late = TransferMatcher.match(Self.transfer("CS1KYBQW0", amount: 20_000, account: "0912345678"), accounts: Self.accounts, requests: Self.requests)
        #expect(late.status == .late)
    }

    @Test func accountsDecideTheStall() {
        #expect(TransferMatcher.match(Self.transfer("x", account: "999"), accounts: Self.accounts, requests: []).status == .unmatched)
        #expect(TransferMatcher.match(Self.transfer("x", account: "111"), accounts: Self.accounts, requests: []).status == .unmatched)
        #expect(TransferMatcher.match(Self.transfer("x", account: "111", bin: "970418"), accounts: Self.accounts, requests: []).stallID == "s9")
        let out = TransferMatcher.match(Self.transfer("CS7K2M9Q4", direction: .outgoing), accounts: Self.accounts, requests: Self.requests)
        #expect(out.status == .outgoing)
        #expect(out.requestID == nil)
    }
}
