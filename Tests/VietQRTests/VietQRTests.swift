import ChoSoCore
import Foundation
import Testing
import VietQR

@Suite struct CRCAndTLVTests {
    @Test func crcMatchesTheStandardCheckValue() {
        #expect(CRC16.checksum("123456789".utf8) == 0x29B1)
        #expect(CRC16.hex("00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304") == "AE9F")
        // Zero-padded to four digits (the bug several libraries had).
        #expect(CRC16.hex("00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN6304") == "0283")
    }

    @Test func tlvRoundTripsNestedTemplates() throws {
        let text = "38540010A00000072701240006970422011003523509170208QRIBFTTA"
        let fields = try TLVReader.read(text).get()
        #expect(fields.count == 1)
        #expect(TLVWriter.encode(fields) == text)
        let inner = try TLVReader.read(fields[0].value).get()
        #expect(inner.map(\.id) == ["00", "01", "02"])
    }

    @Test(arguments: ["0", "000", "00020", "0099x", "0002011", "0003ab"])
    func brokenTLVIsReported(text: String) {
        if case .success = TLVReader.read(text) { Issue.record("\(text) was accepted") }
    }

    @Test func lengthsCountCharacters() throws {
        let fields = try TLVReader.read("0805Cô Ba").get()
        #expect(fields.first?.value == "Cô Ba")
        #expect(EMVField(id: "08", value: "Cô Ba").encoded == "0805Cô Ba")
    }
}

@Suite struct TransferContentTests {
    @Test func vietnameseBecomesSafeASCII() {
        #expect(TransferContent.sanitize("Cô Ba trả tiền đậu") == "Co Ba tra tien dau")
        #expect(TransferContent.sanitize("ĐẶNG THỊ ĐÀO – 50.000đ!! 🍉") == "DANG THI DAO 50 000d")
        #expect(TransferContent.sanitize("   ") == "")
    }

    @Test func thePaymentCodeComesFirstAndIsNeverCut() {
        let text = TransferContent.sanitize("Trả tiền rau muống cho cô Ba bán ở chợ", code: "CS7K2M9QX")
        #expect(text.hasPrefix("CS7K2M9QX "))
        #expect(text.count <= 25)
        #expect(TransferContent.sanitize("", code: "CS-7K2M.9QX") == "CS7K2M9QX")
    }

    @Test func namesAreUpperCaseAndBounded() {
        #expect(TransferContent.sanitizeName("Nguyễn Thị Ba", maxLength: 25) == "NGUYEN THI BA")
        #expect(TransferContent.sanitizeName("Thành phố Cần Thơ mở rộng", maxLength: 15) == "THANH PHO CAN T")
    }
}

@Suite struct BuilderTests {
    @Test func buildsWhatBanksExpect() throws {
        let payload = try VietQRBuilder.build(VietQRRequest(
            bin: "970436", account: "1017595600", amount: 180000, purpose: "thanh toan don hang", initiation: .dynamic))
        // The same payload liopayvn/vietqr-php documents for these inputs.
        #expect(payload == "00020101021238540010A00000072701240006970436011010175956000208QRIBFTTA530370454061800005802VN62230819thanh toan don hang630470FA")
    }

    @Test func refusesWhatNoBankAccepts() {
        #expect(throws: QRDecodeError.self) { try VietQRBuilder.build(VietQRRequest(bin: "9704", account: "1")) }
        #expect(throws: QRDecodeError.self) { try VietQRBuilder.build(VietQRRequest(bin: "970436", account: "12-34")) }
        #expect(throws: QRDecodeError.self) { try VietQRBuilder.build(VietQRRequest(bin: "970436", account: "1", amount: 0)) }
        #expect(throws: QRDecodeError.self) { try VietQRBuilder.build(VietQRRequest(bin: "970436", account: "1", amount: 10_000_000_000_000)) }
        #expect(throws: QRDecodeError.self) { try VietQRBuilder.build(VietQRRequest(bin: "970436", account: "ABC", service: .toCard)) }
    }

    /// Whatever goes in, what comes out is accepted by the strict parser and says the same.
    @Test func everyBuiltPayloadPassesTheStrictParser() throws {
        var random = SplitMix64(seed: 20251125)
        let banks = BankDirectory.bundled.banks
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let texts = ["Cô Ba bán trái cây", "Trả tiền cá lóc 🐟", "ĐẶNG — 50.000đ", "", "   ", "a/b\\c\"d'e<f>", "x\u{0}y\u{7}z",
                     "Nguyễn Văn A chuyển khoản tiền hàng tháng 11 năm 2026", "CS-7K2M.9QX", "漢字", "Sóc Trăng"]
        for _ in 0..<2000 {
            let card = random.next(below: 5) == 0
            let account = card
                ? String((0..<(16 + random.next(below: 4))).map { _ in Character(String(random.next(below: 10))) })
                : String((0..<(1 + random.next(below: 19))).map { _ in alphabet[random.next(below: alphabet.count)] })
            let amount: Int64? = random.next(below: 3) == 0 ? nil : Int64(1 + random.next(below: 1_000_000_000)) * Int64(1 + random.next(below: 9000))
            let request = VietQRRequest(
                bin: banks[random.next(below: banks.count)].bin, account: account, service: card ? .toCard : .toAccount,
                amount: amount, purpose: texts[random.next(below: texts.count)],
                paymentCode: random.next(below: 2) == 0 ? "CS" + String((0..<7).map { _ in alphabet[random.next(below: 36)] }) : nil,
                merchantName: random.next(below: 2) == 0 ? texts[random.next(below: texts.count)] : nil,
                merchantCity: random.next(below: 2) == 0 ? texts[random.next(below: texts.count)] : nil)
            let payload = try VietQRBuilder.build(request)
            switch VietQRParser.parse(payload, mode: .strict) {
            case .failure(let error):
                Issue.record("\(payload) refused: \(error.code.rawValue) \(error.messageEn)")
                return
            case .success(let qr):
                #expect(qr.scheme == .vietqr)
                #expect(qr.bin == request.bin)
                #expect(qr.account == request.account)
                #expect(qr.amount == request.amount)
                #expect(qr.initiation == (amount == nil ? .static : .dynamic))
                let purpose = TransferContent.sanitize(request.purpose ?? "", code: request.paymentCode)
                #expect(qr.purpose == (purpose.isEmpty ? nil : purpose))
                if let code = request.paymentCode { #expect(qr.purpose?.hasPrefix(code) == true) }
                #expect(qr.reencoded == payload)
            }
        }
    }
}

/// An amount written with decimals (some generators emit `180000.50`): lenient mode reads the
/// whole đồng and says so; strict mode refuses it as before.
@Suite struct AmountWithDecimalsTests {
    static func payload(amount: String) -> String {
        func tlv(_ id: String, _ value: String) -> String { id + String(format: "%02d", value.count) + value }
        let body = tlv("00", "01") + tlv("01", "12")
            + tlv("38", tlv("00", "A000000727") + tlv("01", tlv("00", "970436") + tlv("01", "0011001234567")) + tlv("02", "QRIBFTTA"))
            + tlv("53", "704") + tlv("54", amount) + tlv("58", "VN") + "6304"
        return body + CRC16.hex(body)
    }

    @Test(arguments: [
        ("180000.50", 180_000 as Int64?, ["amount_fraction_dropped"]), ("180000.5", 180_000, ["amount_fraction_dropped"]),
        ("180000.99", 180_000, ["amount_fraction_dropped"]), ("180000.00", 180_000, ["amount_decimal"]), ("180000.0", 180_000, ["amount_decimal"]),
        ("0.50", nil, ["amount_fraction_dropped", "amount_zero"]), ("180000", 180_000, []),
    ])
    func lenientReadsTheWholeDong(amount: String, expected: Int64?, warnings: [String]) throws {
        let qr = try VietQRParser.parse(Self.payload(amount: amount), mode: .lenient).get()
        #expect(qr.amount == expected)
        #expect(Set(qr.warnings.map(\.code.rawValue)) == Set(warnings))
        if let dropped = qr.warnings.first(where: { $0.code == .amountFractionDropped }) {
            #expect(dropped.message.contains(amount) && dropped.message.contains("đồng không có xu"))
            #expect(dropped.messageEn.contains("fraction"))
        }
        // Re-encoding keeps the payload as written.
        #expect(qr.reencoded == Self.payload(amount: amount))
    }

    @Test(arguments: ["180000.50", "180000.00", "180000.0", "0.50"])
    func strictStillRefuses(amount: String) {
        guard case .failure(let error) = VietQRParser.parse(Self.payload(amount: amount), mode: .strict) else {
            Issue.record("strict accepted \(amount)")
            return
        }
        #expect(error.code == .badAmount)
    }

    @Test(arguments: ["1.800.000", "180000,50", "180000.5x", ".50", "-180000.50", "12345678901234.5", "180000.50.1"])
    func whatIsNoAmountIsRefusedInBothModes(amount: String) {
        for mode in [VietQRParser.Mode.strict, .lenient] {
            guard case .failure(let error) = VietQRParser.parse(Self.payload(amount: amount), mode: mode) else {
                Issue.record("\(mode) accepted \(amount)")
                continue
            }
            #expect(error.code == .badAmount)
        }
    }
}
