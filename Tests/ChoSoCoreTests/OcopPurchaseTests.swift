import ChoSoCore
import Testing

@Suite struct OcopPurchaseTests {
    let names = ["Gạo thơm ST25", "Gạo thơm ST25 hữu cơ", "Bánh pía sầu riêng trứng muối", "Khô cá kèo Đại Ân"]

    @Test func theNoteIsTheProductsNameInBankLetters() {
        #expect(OcopPurchase.note(productName: "Gạo thơm ST25") == "Mua Gao thom ST25")
        #expect(OcopPurchase.note(productName: "Bánh pía sầu riêng trứng muối").count <= 25)
    }

    @Test func anOrderIsKnownThroughWhatTheBanksDoToTheNote() {
        #expect(OcopPurchase.product(of: "MBVCB.5012.MUA GAO THOM ST25.CT tu 0123 NGUYEN VAN A", among: names) == "Gạo thơm ST25")
        #expect(OcopPurchase.product(of: "Mua Gao thom ST25 huu co", among: names) == "Gạo thơm ST25 hữu cơ")
        let pia = OcopPurchase.note(productName: "Bánh pía sầu riêng trứng muối")
        #expect(OcopPurchase.product(of: "IBFT " + pia.lowercased(), among: names) == "Bánh pía sầu riêng trứng muối")
        #expect(OcopPurchase.product(of: "MuaKhocakeoDaiAn", among: names) == "Khô cá kèo Đại Ân")
    }

    @Test func otherTransfersAreNoOrder() {
        #expect(OcopPurchase.product(of: "CK tien hang", among: names) == nil)
        #expect(OcopPurchase.product(of: "Mua gao", among: names) == nil)
        #expect(OcopPurchase.product(of: "", among: []) == nil)
    }
}
