import ChoSoCore
import Testing

/// What people type as an amount, and what ChoSo makes of it: a golden table of inputs and either
/// the amount in đồng or the refusal's code.
@Suite struct AmountInputTests {
    /// (typed, amount in đồng, or the refusal's code)
    static let golden: [(String, Int64?, String?)] = [
        // Accepted: digits, dot groups of three, space groups, a currency after.
        ("50000", 50_000, nil), ("50.000", 50_000, nil), ("1.250.000", 1_250_000, nil), ("1 250 000", 1_250_000, nil),
        ("1\u{00A0}250\u{00A0}000", 1_250_000, nil), ("  200.000  ", 200_000, nil), ("200.000 đ", 200_000, nil), ("200.000đ", 200_000, nil),
        ("200000d", 200_000, nil), ("200.000 VND", 200_000, nil), ("200.000vnd", 200_000, nil), ("200.000 VNĐ", 200_000, nil),
        ("200.000 ₫", 200_000, nil), ("200.000 đồng", 200_000, nil), ("200 000 dong", 200_000, nil), ("1", 1, nil), ("999", 999, nil),
        ("0050.000", nil, "amount_grouping"), ("050.000", 50_000, nil), ("9.999.999.999.999", 9_999_999_999_999, nil),
        ("9999999999999", 9_999_999_999_999, nil),
        // A fraction, or a comma: the đồng has no minor unit ("1,5" was 15 đ, "12.5" was 125 đ).
        ("1,5", nil, "amount_fraction"), ("12.5", nil, "amount_fraction"), ("12.50", nil, "amount_fraction"),
        ("180000.00", nil, "amount_fraction"), ("1.250.000,00", nil, "amount_fraction"), ("1.2500", nil, "amount_fraction"),
        ("50,5 đ", nil, "amount_fraction"), ("1,250,000", nil, "amount_comma"), ("1,250", nil, "amount_comma"),
        ("12,500 VND", nil, "amount_comma"),
        // Groups of other than three digits.
        ("1.25.000", nil, "amount_grouping"), ("1250.000", nil, "amount_grouping"), ("12.50.000", nil, "amount_grouping"),
        ("1 25 000", nil, "amount_grouping"), ("1  250", nil, "amount_grouping"), ("1.250 000", nil, "amount_grouping"),
        ("1.", nil, "amount_grouping"), (".500", nil, "amount_grouping"), ("1..000", nil, "amount_grouping"),
        // Letters and other signs.
        ("abc", nil, "amount_not_a_number"), ("12k", nil, "amount_not_a_number"), ("12.5k", nil, "amount_not_a_number"),
        ("hai trăm", nil, "amount_not_a_number"), ("٥٠", nil, "amount_not_a_number"), ("５０", nil, "amount_not_a_number"),
        ("1e5", nil, "amount_not_a_number"), ("+5000", nil, "amount_not_a_number"), ("đ", nil, "amount_not_a_number"),
        ("50.000 USD", nil, "amount_not_a_number"), ("(5000)", nil, "amount_not_a_number"),
        // Negative, zero, empty, too large.
        ("-5000", nil, "amount_negative"), ("-5.000 đ", nil, "amount_negative"), ("\u{2212}5000", nil, "amount_negative"),
        ("-abc", nil, "amount_not_a_number"), ("0", nil, "amount_zero"), ("0.000", nil, "amount_zero"), ("000", nil, "amount_zero"),
        ("0 đ", nil, "amount_zero"), ("", nil, "amount_empty"), ("   ", nil, "amount_empty"),
        ("10.000.000.000.000", nil, "amount_too_large"), ("99999999999999999999", nil, "amount_too_large"),
        ("999999999999999999999999999999999999", nil, "amount_too_large"), ("1.000.000.000.000.000.000", nil, "amount_too_large"),
    ]

    @Test(arguments: golden)
    func typedAmounts(text: String, amount: Int64?, code: String?) {
        switch Money.parseTyped(text) {
        case .success(let money):
            #expect(money.dong == amount, "\(text.debugDescription) read as \(money.dong)")
            #expect(code == nil, "\(text.debugDescription) accepted, \(code ?? "") expected")
        case .failure(let error):
            #expect(error.code == code, "\(text.debugDescription) refused as \(error.code)")
            #expect(amount == nil, "\(text.debugDescription) refused as \(error.code), \(amount ?? 0) expected")
        }
        // `Money(typed:)` is the same parser, nil where it refuses (zero is a number there).
        #expect(Money(typed: text)?.dong == (code == "amount_zero" ? 0 : amount))
    }

    @Test func everyRefusalSaysWhyInBothLanguages() {
        #expect(Set(AmountInputError.allCases.map(\.code)).count == AmountInputError.allCases.count)
        for error in AmountInputError.allCases {
            #expect(!error.message.vi.isEmpty && !error.message.en.isEmpty && error.message.vi != error.message.en)
            #expect(error.fieldError(field: "amount") == FieldError(field: "amount", code: error.code, message: error.message))
        }
        #expect(AmountInputError.fraction.message.vi.contains("đồng chẵn, không có phần lẻ"))
        #expect(AmountInputError.tooLarge.message.en.contains("9.999.999.999.999"))
    }

    @Test func everyAmountWrittenAsPeopleWriteItReadsBack() {
        var random = SplitMix64(seed: 0xA11_0001)
        for _ in 0..<3000 {
            let value = Int64(random.next() % 9_999_999_999_999) + 1
            let dots = Money.groupDigits(value)
            for text in [String(value), dots, dots.replacingOccurrences(of: ".", with: " "), dots + " đ", dots + "VND"] {
                #expect((try? Money.parseTyped(text).get())?.dong == value, "\(text)")
            }
            // Any text at all is read or refused, never more than the largest amount.
            let noise = String((0..<random.next(below: 20)).map { _ in Array("0123456789., -đdVND₫k")[random.next(below: 21)] })
            if case .success(let money) = Money.parseTyped(noise) {
                #expect((1...9_999_999_999_999).contains(money.dong), "\(noise)")
            }
        }
    }

    // MARK: Limits per entry

    @Test(arguments: [
        (Int64(1), "ok"), (200_000, "ok"), (10_000_000, "ok"), (10_000_001, "confirm"), (49_999_999, "confirm"), (50_000_000, "confirm"),
        (50_000_001, "refused"), (1_000_000_000_000, "refused"), (99_999_000_000, "refused"), (0, "refused"), (-5, "refused"),
    ])
    func theDefaultLimits(amount: Int64, verdict: String) {
        let result = AmountLimits.standard.check(Money(dong: amount))
        switch result {
        case .ok: #expect(verdict == "ok")
        case .needsConfirmation(let message):
            #expect(verdict == "confirm")
            #expect(message.vi.contains(Money(dong: amount).formatted) && message.vi.contains("10.000.000 đ"))
        case .refused(let error):
            #expect(verdict == "refused")
            #expect(error.field == "amount")
            #expect(error.code == (amount > 0 ? "amount_above_ceiling" : "amount_zero"))
            if amount > 0 { #expect(error.message.vi.contains("50.000.000 đ") && error.message.en.contains("50.000.000 đ")) }
        }
    }

    @Test func aBoardSetsItsOwnLimits() throws {
        let limits = try AmountLimits.validate(ceiling: Money(dong: 5_000_000), warnAbove: Money(dong: 1_000_000)).get()
        #expect(limits.check(Money(dong: 1_000_000)) == .ok)
        #expect(limits.check(Money(dong: 5_000_001), field: "price") == .refused(FieldError(
            field: "price", code: "amount_above_ceiling",
            message: LocalizedText(
                vi: "Số tiền 5.000.001 đ vượt mức tối đa cho một lần ghi của chợ (5.000.000 đ)",
                en: "5.000.001 đ is above the market's limit for one entry (5.000.000 đ)"))))
        #expect(AmountLimits.validate(ceiling: Money(dong: 1_000), warnAbove: Money(dong: 2_000)).errors.map(\.code) == ["bad_warning_level"])
        #expect(AmountLimits.validate(ceiling: Money(dong: 0), warnAbove: Money(dong: 0)).errors.map(\.code) == ["bad_ceiling", "bad_warning_level"])
        #expect(AmountLimits.validate(ceiling: Money(dong: 10_000_000_000_000), warnAbove: Money(dong: 1)).errors.map(\.code) == ["bad_ceiling"])
        #expect(AmountLimits.standard == AmountLimits(ceiling: Money(dong: 50_000_000), warnAbove: Money(dong: 10_000_000)))
    }
}
