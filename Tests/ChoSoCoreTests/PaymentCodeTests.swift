import ChoSoCore
import Testing

@Suite struct PaymentCodeTests {
    @Test func generatedCodesAreValidAndDistinct() {
        var generator = SplitMix64(seed: 1)
        var seen: Set<String> = []
        for _ in 0..<5000 {
            let code = PaymentCode.generate(using: &generator)
            #expect(code.count == 9)
            #expect(code.hasPrefix("CS"))
            #expect(PaymentCode.normalized(code) == code)
            seen.insert(code)
        }
        #expect(seen.count == 5000)
    }

    @Test func oneMistypedCharacterIsCaught() {
        var generator = SplitMix64(seed: 2)
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        for _ in 0..<200 {
            let code = Array(PaymentCode.generate(using: &generator))
            for position in 2..<9 {
                for replacement in alphabet where replacement != code[position] {
                    var typo = code
                    typo[position] = replacement
                    #expect(PaymentCode.normalized(String(typo)) == nil)
                }
            }
        }
    }

    @Test(arguments: [
        ("MBVCB.3278907687.CS7K2M9Q4.CT tu 0071000123456 NGUYEN VAN A", "CS7K2M9Q4"),
        ("cs7k2m9q4 tra tien rau", "CS7K2M9Q4"),
        ("CS 7K2M 9Q4", "CS7K2M9Q4"),
        ("CS-7K2-M9Q-4", "CS7K2M9Q4"),
        ("ACB;0123;CS7K2M9Q4", "CS7K2M9Q4"),
        ("cs7k2m9q4cttu", "CS7K2M9Q4"),
        ("IBFT CS7K2M9Q4", "CS7K2M9Q4"),
        ("TRAN THI BA chuyen tien CS7K2M9Q4 Ma GD 123", "CS7K2M9Q4"),
        ("cs7k2m9O4", nil as String?),
        ("chuyen tien rau", nil),
        ("CS7K2M9QX", nil),
    ])
    func codesAreFoundInBankDescriptions(description: String, expected: String?) {
        // CS7K2M9Q4 is valid; CS7K2M9QX is the same with a wrong check character.
        #expect(PaymentCode.normalized("CS7K2M9Q4") == "CS7K2M9Q4")
        #expect(PaymentCode.find(in: description).first == expected)
    }

    @Test func lookAlikesAreRead() {
        #expect(PaymentCode.normalized("cs7k2m9q4") == "CS7K2M9Q4")
        #expect(PaymentCode.normalized("CSO000000") == PaymentCode.normalized("CS0000000"))
    }

    @Test func paymentsAreJudgedBySum() {
        let asked = Money(dong: 200_000)
        #expect(PaymentJudgement.judge(requested: asked, received: .zero) == .pending)
        #expect(PaymentJudgement.judge(requested: asked, received: Money(dong: 200_000)) == .paid)
        #expect(PaymentJudgement.judge(requested: asked, received: Money(dong: 200)) == .underpaid(remaining: Money(dong: 199_800)))
        #expect(PaymentJudgement.judge(requested: asked, received: Money(dong: 250_000)) == .overpaid(excess: Money(dong: 50_000)))
    }
}

@Suite struct AmountReadingTests {
    static let south: [(Int64, String)] = [
        (0, "không đồng"), (5, "năm đồng"), (10, "mười đồng"), (11, "mười một đồng"), (14, "mười bốn đồng"),
        (15, "mười lăm đồng"), (20, "hai mươi đồng"), (21, "hai mươi mốt đồng"), (24, "hai mươi tư đồng"),
        (25, "hai mươi lăm đồng"), (100, "một trăm đồng"), (101, "một trăm lẻ một đồng"), (105, "một trăm lẻ năm đồng"),
        (110, "một trăm mười đồng"), (115, "một trăm mười lăm đồng"), (200, "hai trăm đồng"), (1_000, "một ngàn đồng"),
        (1_005, "một ngàn không trăm lẻ năm đồng"), (1_010, "một ngàn không trăm mười đồng"),
        (1_050, "một ngàn không trăm năm mươi đồng"), (10_000, "mười ngàn đồng"), (50_000, "năm mươi ngàn đồng"),
        (100_000, "một trăm ngàn đồng"), (200_000, "hai trăm ngàn đồng"), (1_000_000, "một triệu đồng"),
        (1_005_000, "một triệu không trăm lẻ năm ngàn đồng"), (1_000_000_000, "một tỷ đồng"),
        (199_800, "một trăm chín mươi chín ngàn tám trăm đồng"),
        (999_999_999_999, "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín ngàn chín trăm chín mươi chín đồng"),
    ]

    @Test(arguments: south)
    func southernReading(amount: Int64, words: String) {
        #expect(AmountReading.south.words(amount) == words)
    }

    @Test func northernReadingUsesLinhAndNghin() {
        #expect(AmountReading.north.words(105) == "một trăm linh năm đồng")
        #expect(AmountReading.north.words(200_000) == "hai trăm nghìn đồng")
        #expect(AmountReading.north.words(1_005_000) == "một triệu không trăm linh năm nghìn đồng")
        #expect(AmountReading(four: .bon).words(24) == "hai mươi bốn đồng")
    }
}
