import ChoSoCore
import Testing

@Suite struct TextAndMoneyTests {
    @Test(arguments: [(Int64(0), "0 đ"), (200, "200 đ"), (50_000, "50.000 đ"), (1_005_000, "1.005.000 đ"), (-1_234_567, "-1.234.567 đ")])
    func moneyIsWrittenWithDotGroups(dong: Int64, text: String) {
        #expect(Money(dong: dong).formatted == text)
    }

    @Test(arguments: [
        ("50.000", Int64(50_000) as Int64?), ("50 000 đ", 50_000), ("200000d", 200_000), ("0", 0),
        // A comma (thousands in English, a fraction in Vietnamese) and a fraction are refused.
        ("1,250,000", nil), ("1,5", nil), ("12.5", nil),
        ("", nil), ("abc", nil), ("12.5k", nil), ("-5000", nil), ("٥٠", nil), ("99999999999999999999", nil),
    ])
    func typedAmountsAreRead(text: String, expected: Int64?) {
        #expect(Money(typed: text)?.dong == expected)
    }

    @Test func asciiFoldingTurnsDBarIntoD() {
        #expect(TextNormalization.asciiFolded("Đặng Thị Đào đến chợ") == "Dang Thi Dao den cho")
    }

    @Test(arguments: [
        (nil as String?, Language.vi), ("en-US,en;q=0.9", .en), ("fr-FR, en;q=0.5, vi;q=0.8", .vi),
        ("vi-VN", .vi), ("de", .vi), ("en;q=0, vi", .vi),
    ])
    func languageFollowsAcceptLanguage(header: String?, expected: Language) {
        #expect(Language.preferred(acceptLanguage: header) == expected)
    }
}
