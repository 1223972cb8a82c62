import Testing
import VietQR

@Suite struct BankDirectoryTests {
    let directory = BankDirectory.bundled

    @Test func everyEntryIsWellFormedAndHasASource() {
        #expect(directory.banks.count >= 50)
        #expect(Set(directory.banks.map(\.bin)).count == directory.banks.count, "BINs are unique")
        for bank in directory.banks {
            #expect(VietQRRules.isWellFormedBIN(bank.bin), "\(bank.shortName)")
            #expect(!bank.source.isEmpty, "\(bank.bin) has no source")
            #expect(bank.name == bank.name.precomposedStringWithCanonicalMapping, "\(bank.bin) name is not NFC")
        }
    }

    @Test func mobileMoneyBINsAreMarkedUnverified() throws {
        let viettel = try #require(directory.bank(bin: "971005"))
        let vnpt = try #require(directory.bank(bin: "971011"))
        #expect(viettel.kind == .mobileMoney && !viettel.verified)
        #expect(vnpt.kind == .mobileMoney && !vnpt.verified)
        #expect(directory.bank(bin: "970436")?.shortName == "Vietcombank")
        #expect(directory.bank(bin: "970405")?.verified == true)
        #expect(directory.bank(bin: "999999") == nil)
    }

    @Test(arguments: [
        ("0071000123456", true), ("A1B2C3", true), (String(repeating: "9", count: 19), true),
        (String(repeating: "9", count: 20), false), ("", false), ("0912-345-678", false), ("số123", false),
    ])
    func accountIDRule(text: String, valid: Bool) {
        #expect(VietQRRules.isValidAccountID(text) == valid)
    }
}
