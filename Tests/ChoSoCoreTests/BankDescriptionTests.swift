import ChoSoCore
import Foundation
import Testing

/// The matcher over transfer contents as the big banks and wallets write them: their own
/// prefixes, trace numbers and suffixes around the payment code, changed case, inserted or
/// removed spaces, dots, hyphens, truncation, Vietnamese typed with diacritics — and the amount,
/// time, account and direction cases of DESIGN.md §5.
@Suite struct BankDescriptionTests {
    static let now = Date(timeIntervalSince1970: 1_795_568_400)
    static let accounts = [
        KnownAccount(stallID: "fruit", bin: "970436", accountNumber: "0011001234567"),
        KnownAccount(stallID: "fish", bin: "971005", accountNumber: "0912345678"),
        KnownAccount(stallID: "rice", bin: "970422", accountNumber: "0123456789999"),
        // The same number at two banks: only the BIN tells them apart.
        KnownAccount(stallID: "tea", bin: "970405", accountNumber: "1234000"),
        KnownAccount(stallID: "cakes", bin: "970418", accountNumber: "1234000"),
    ]
    /// Codes made by the generator so that they carry a valid check character.
    static let (late, rice): (String, String) = {
        var generator = SplitMix64(seed: 42)
        return (PaymentCode.generate(using: &generator), PaymentCode.generate(using: &generator))
    }()
    static let requests = [
        OpenRequest(id: "fruit-200k", stallID: "fruit", code: "CS7K2M9Q4", amount: 200_000, received: 0, expiresAt: now.addingTimeInterval(900)),
        OpenRequest(id: "fruit-paid", stallID: "fruit", code: "CSTP1GJVW", amount: 50_000, received: 50_000, expiresAt: now.addingTimeInterval(900)),
        OpenRequest(id: "fish-part", stallID: "fish", code: "CS1KYBQW0", amount: 30_000, received: 10_000, expiresAt: now.addingTimeInterval(900)),
        OpenRequest(id: "fruit-late", stallID: "fruit", code: late, amount: 80_000, received: 0, expiresAt: now.addingTimeInterval(-60)),
        OpenRequest(id: "rice-75k", stallID: "rice", code: rice, amount: 75_000, received: 0, expiresAt: now.addingTimeInterval(900)),
    ]

    struct Row: CustomTestStringConvertible, Sendable {
        var description: String
        var amount: Int64 = 200_000
        var account = "0011001234567"
        var bin: String? = nil
        var direction = IncomingTransfer.Direction.incoming
        var status: TransferStatus
        var request: String? = nil
        var stall: String? = "fruit"
        var testDescription: String { "\(status.rawValue): \(description)" }
    }

    static func paid(_ description: String) -> Row { Row(description: description, status: .paid, request: "fruit-200k") }
    static func walkIn(_ description: String, amount: Int64 = 35_000) -> Row { Row(description: description, amount: amount, status: .walkIn) }

    static let rows: [Row] = [
        // Vietcombank
        paid("MBVCB.3278907687.CS7K2M9Q4.CT tu 0071000123456 NGUYEN VAN A toi 0011001234567 TRAN THI BA tai Vietcombank"),
        paid("MBVCB.5473187212.043827.CS7K2M9Q4.CT tu 1023456789 NGUYEN VAN A"),
        paid("MBVCB.5473187212.043827.cs7k2m9q4.CT tu 1023456789"),
        paid("IBFT CS7K2M9Q4 chuyen tien"),
        paid("VCB;0071000123456;CS7K2M9Q4"),
        paid("SHGD:10003422.DD:241125.BO:NGUYEN VAN A.Remark:CS7K2M9Q4"),
        // VietinBank
        paid("CT DEN:430T24B1XZ12 CS7K2M9Q4"),
        paid("CS7K2M9Q4 ; Ma giao dich: 123456789"),
        paid("VietinBank:25/11/2026 10:15|TK:101010101010|GD:+200,000VND|ND:CS7K2M9Q4"),
        // BIDV
        paid("TKThe :12345678, tai VCB. CS7K2M9Q4 -CTLNHIDI000001234567890-1/1-CRE-002"),
        paid("REM Tfr Ac: 12010000123456 CS7K2M9Q4"),
        paid("BIDV;CS7K2M9Q4;NGUYEN VAN A"),
        // Techcombank
        paid("CS7K2M9Q4 FT24331123456789"),
        paid("NGUYEN VAN A chuyen tien CS7K2M9Q4-011124-10:23:11 123456"),
        paid("TCB CS7K2M9Q4 FT24331XYZ"),
        // MB
        paid("CS7K2M9Q4 Trace 123456"),
        paid("CUSTOMER CS7K2M9Q4. TU: NGUYEN VAN A"),
        paid("MB 0123456789 CS7K2M9Q4"),
        paid("CS7K2M9Q4- Ma GD ACSP/ ab123456"),
        // ACB
        paid("ACB;12345678;CS7K2M9Q4"),
        paid("CS7K2M9Q4 GD 123456-112524 10:15:11"),
        // VPBank, TPBank, Sacombank, Agribank, HDBank, VIB, SHB, OCB, MSB, SeABank, Eximbank, Nam A, LPBank, Kienlongbank
        paid("NHAN TU 0123456789 TRACE 123456 ND CS7K2M9Q4"),
        paid("CS7K2M9Q4 - TPB"),
        paid("TPBANK;CS7K2M9Q4"),
        paid("CS7K2M9Q4 QR - 123456"),
        paid("IBAGRIBANK;CS7K2M9Q4"),
        paid("CS7K2M9Q4 ; tai Agribank"),
        paid("HDB CS7K2M9Q4 tu 0123456"),
        paid("VIB CS7K2M9Q4 NGUYEN VAN A"),
        paid("SHB.CS7K2M9Q4.CK"),
        paid("OCB-CS7K2M9Q4-0123"),
        paid("MSB CK CS7K2M9Q4"),
        paid("SEAB CS7K2M9Q4"),
        paid("EIB/CS7K2M9Q4/0123456"),
        paid("NAB CS7K2M9Q4 tra tien"),
        paid("LPB CS7K2M9Q4"),
        paid("KLB CS7K2M9Q4 cho Ngan Ro"),
        // Wallets
        paid("CS7K2M9Q4 - Chuyen tien tu MoMo - NGUYEN VAN A"),
        paid("MOMO 0901234567 CS7K2M9Q4"),
        paid("VTMONEY CS7K2M9Q4"),
        paid("ViettelMoney CS7K2M9Q4 tu 0987654321"),
        paid("VNPTMONEY CS7K2M9Q4"),
        paid("ZP CS7K2M9Q4 NGUYEN VAN A"),
        // What the payer's app or keyboard did to the code
        paid("cs7k2m9q4"),
        paid("Cs7K2m9Q4"),
        paid("CS 7K2M 9Q4"),
        paid("C S 7 K 2 M 9 Q 4"),
        paid("CS-7K2M-9Q4"),
        paid("CS.7K2M.9Q4"),
        paid("CS_7K2M9Q4"),
        paid("CS/7K2M9Q4"),
        paid("CS7K2M9Q4,tra tien"),
        paid("123456CS7K2M9Q4"),
        paid("CS7K2M9Q4CT tu VCB"),
        paid("ND: CS.7K2M.9Q4"),
        paid("Trả tiền rau CS7K2M9Q4"),
        paid("Chuyển khoản cs7k2m9q4 cảm ơn cô Ba"),
        paid("Chuye\u{0302}\u{0301}n khoa\u{0309}n CS7K2M9Q4"),
        paid("CS7K2M9Q4 CS7K2M9Q4"),
        // Truncated by the bank after the code
        paid("MBVCB.3278907687.CS7K2M9Q4.CT tu 0071000123456 NGUYEN VAN A toi 0011001234567 TRAN THI B tai Vietc"),
        paid("MBVCB.3278907687.CS7K2M9Q4"),
        // Look-alike letters read as Crockford digits (O → 0, I and L → 1)
        Row(description: "VTMONEY CSIKYBQWO", amount: 20_000, account: "0912345678", status: .paid, request: "fish-part", stall: "fish"),
        Row(description: "cslkybqwo", amount: 20_000, account: "0912345678", status: .paid, request: "fish-part", stall: "fish"),
        // The amount decides: under, over, and two parts that add up
        Row(description: "MBVCB.1.CS7K2M9Q4.CT tu 0071 NGUYEN VAN A", amount: 200, status: .underpaid, request: "fruit-200k"),
        Row(description: "CS7K2M9Q4", amount: 199_999, status: .underpaid, request: "fruit-200k"),
        Row(description: "CS7K2M9Q4", amount: 20_000, status: .underpaid, request: "fruit-200k"),
        Row(description: "CS7K2M9Q4 du tien", amount: 2_000_000, status: .overpaid, request: "fruit-200k"),
        Row(description: "CS7K2M9Q4", amount: 200_001, status: .overpaid, request: "fruit-200k"),
        Row(description: "ViettelMoney CS1KYBQW0 phan con lai", amount: 20_000, account: "0912345678", status: .paid, request: "fish-part", stall: "fish"),
        Row(description: "CS1KYBQW0", amount: 5_000, account: "0912345678", status: .underpaid, request: "fish-part", stall: "fish"),
        Row(description: "CS1KYBQW0", amount: 25_000, account: "0912345678", status: .overpaid, request: "fish-part", stall: "fish"),
        Row(description: "MB \(rice) gao ST25", amount: 75_000, account: "0123456789999", status: .paid, request: "rice-75k", stall: "rice"),
        // Already paid, or too late
        Row(description: "IBFT CSTP1GJVW", amount: 50_000, status: .duplicatePayment, request: "fruit-paid"),
        Row(description: "MBVCB.9.CSTP1GJVW.CT lan 2", amount: 50_000, status: .duplicatePayment, request: "fruit-paid"),
        Row(description: "\(late) tra cham", amount: 80_000, status: .late, request: "fruit-late"),
        Row(description: "MBVCB.1.\(late.lowercased()).CT", amount: 80_000, status: .late, request: "fruit-late"),
        // No usable code: a walk-in credit to the stall
        walkIn("chuyen tien mua rau"),
        walkIn("NGUYEN VAN A chuyen tien"),
        walkIn("MBVCB.3278907687.043827.CT tu 0071000123456 NGUYEN VAN A"),
        walkIn("Trả tiền cá lóc"),
        walkIn(""),
        walkIn("CS7K2M9QX", amount: 200_000),
        walkIn("CS7K2M9Q5", amount: 200_000),
        walkIn("CS7K2M9", amount: 200_000),
        walkIn("MBVCB.3278907687.CS7K2M", amount: 200_000),
        walkIn("CS 7K2M 9Q", amount: 200_000),
        walkIn("C57K2M9Q4", amount: 200_000),
        walkIn("CS1KYBQW0 tien ca", amount: 30_000),
        walkIn("\(rice) nham quay", amount: 75_000),
        walkIn("IBFT 970436 0011001234567"),
        walkIn("FT24331123456789 QR"),
        // Where the money went
        Row(description: "CS7K2M9Q4 hoan tien", amount: 200_000, direction: .outgoing, status: .outgoing, request: nil),
        Row(description: "Rut tien ATM", amount: 500_000, direction: .outgoing, status: .outgoing, request: nil),
        Row(description: "CS7K2M9Q4", amount: 200_000, account: "9999999999", status: .unmatched, request: nil, stall: nil),
        Row(description: "chuyen tien", amount: 10_000, account: "0011001234568", status: .unmatched, request: nil, stall: nil),
        Row(description: "tra tien tra", amount: 10_000, account: "1234000", status: .unmatched, request: nil, stall: nil),
        Row(description: "tra tien tra", amount: 10_000, account: "1234000", bin: "970405", status: .walkIn, request: nil, stall: "tea"),
        Row(description: "banh pia", amount: 10_000, account: "1234000", bin: "970418", status: .walkIn, request: nil, stall: "cakes"),
        Row(description: "CS7K2M9Q4", amount: 200_000, account: "0011001234567", bin: "970418", status: .unmatched, request: nil, stall: nil),
        Row(description: "CS7K2M9Q4", amount: 200_000, account: "0912345678", status: .walkIn, request: nil, stall: "fish"),
        Row(description: "chuyen nham", amount: 10_000, account: "9999999999", direction: .outgoing, status: .outgoing, request: nil, stall: nil),
    ]

    @Test func thereAreAtLeastEightyRealLookingDescriptions() {
        #expect(Self.rows.count >= 80)
        // `fee` is the fee matcher's, not the stall matcher's (FeeMatcherTests).
        #expect(Set(Self.rows.map(\.status)) == Set(TransferStatus.allCases).subtracting([.fee]))
    }

    @Test(arguments: rows)
    func eachDescriptionIsJudgedAsABankerWould(row: Row) {
        let transfer = IncomingTransfer(
            provider: "test", providerTransactionID: "1", accountNumber: row.account, bin: row.bin, amount: row.amount,
            direction: row.direction, description: row.description, bankTime: Self.now)
        let decision = TransferMatcher.match(transfer, accounts: Self.accounts, requests: Self.requests)
        #expect(decision.status == row.status)
        #expect(decision.requestID == row.request)
        #expect(decision.stallID == row.stall)
        #expect(!decision.reason.vi.isEmpty && !decision.reason.en.isEmpty)
        switch row.status {
        case .underpaid, .overpaid, .duplicatePayment: #expect((decision.difference ?? 0) > 0)
        default: #expect(decision.difference == nil)
        }
    }
}
