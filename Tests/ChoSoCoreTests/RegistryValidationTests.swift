import ChoSoCore
import Testing

@Suite struct RegistryValidationTests {
    @Test func aGoodStallIsCleaned() throws {
        let fields = try RegistryValidation.validate(StallInput(
            number: " 12a ", name: "Trái  cây Cô Ba", trade: "", keeperName: "Nguyễn Thị Ba", phone: "+84 912.345.678")).get()
        #expect(fields.number == "12A")
        #expect(fields.name == "Trái cây Cô Ba")
        #expect(fields.trade == nil)
        #expect(fields.phone == "0912345678")
    }

    @Test func decomposedVietnameseIsStoredNFC() throws {
        let decomposed = "Nguye\u{0302}\u{0303}n Thi\u{0323} Ba"
        let fields = try RegistryValidation.validate(StallInput(number: "1", name: "Quầy", keeperName: decomposed)).get()
        #expect(fields.keeperName == "Nguyễn Thị Ba")
        #expect(fields.keeperName.unicodeScalars.count == "Nguyễn Thị Ba".unicodeScalars.count)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let result = RegistryValidation.validate(StallInput(
            number: "quầy 1", name: "", trade: String(repeating: "x", count: 61), keeperName: "", phone: "123"))
        #expect(Set(result.errors.map(\.code)) == ["bad_stall_number", "bad_stall_name", "bad_trade", "bad_keeper_name", "bad_phone"])
        #expect(result.errors.allSatisfy { !$0.message.vi.isEmpty && !$0.message.en.isEmpty })
    }

    @Test func accountsAreCheckedAgainstTheDirectory() throws {
        let wallet = try RegistryValidation.validate(ReceivingAccountInput(
            kind: "mobile_money", bin: "971005", accountNumber: "0912 345 678", holderName: "Nguyễn Thị Đào")).get()
        #expect(wallet.holderName == "NGUYEN THI DAO")
        #expect(wallet.accountNumber == "0912345678")
        #expect(wallet.bank.shortName == "Viettel Money")

        let mismatch = RegistryValidation.validate(ReceivingAccountInput(kind: "bank", bin: "971005", accountNumber: "1", holderName: "A"))
        #expect(mismatch.errors.map(\.code) == ["bank_kind_mismatch"])
        let unknown = RegistryValidation.validate(ReceivingAccountInput(kind: "card", bin: "123456", accountNumber: "1-2", holderName: "A1"))
        #expect(Set(unknown.errors.map(\.code)) == ["bad_account_kind", "unknown_bank", "bad_account_number", "bad_holder_name"])
        let message = unknown.errors.first { $0.code == "bad_account_number" }?.message.vi
        #expect(message == "Số tài khoản chỉ gồm chữ và số, tối đa 19 ký tự")
    }
}
