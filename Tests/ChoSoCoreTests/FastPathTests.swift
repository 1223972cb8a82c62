import Foundation
import Testing
@testable import ChoSoCore

/// The shortcuts a large statement takes (issue 19) say what the general code says.
@Suite struct FastPathTests {
    static let texts = [
        "", " ", "KHACH CK MUA HANG 12", " KHACH  CK ", "KHACH\tCK", "tab\t", "Cà phê", "Ca\u{300} phe\u{302}", "a\u{A0}b", "\u{3000}x\u{3000}",
        "FT26 0000000123 ", "line\nbreak", "x", "x ", " x", "a b c", "~!@#$%^&*()", "\u{7F}del", "MBVCB.5473187212", "ngắt\u{2028}dòng",
    ]

    @Test func cleanIsWhatNormalizingAndCollapsingGives() {
        for text in Self.texts {
            let general = text.precomposedStringWithCanonicalMapping.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            #expect(TextNormalization.clean(text) == general, "\(text.debugDescription)")
        }
        #expect(TextNormalization.isCleanASCII("KHACH CK 12"))
        #expect(!TextNormalization.isCleanASCII("KHACH  CK"))
        #expect(!TextNormalization.isCleanASCII("KHACH "))
        #expect(!TextNormalization.isCleanASCII("Cà"))
    }

    @Test func trimmedIsWhatFoundationTrims() {
        for text in Self.texts {
            #expect(TextNormalization.trimmed(text) == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
        }
    }

    @Test func plainDigitsReadAsTheGeneralAmountReaderReadsThem() {
        #expect(Statement.parseAmount("1250000") == 1_250_000)
        #expect(Statement.parseAmount("000123") == 123)
        #expect(Statement.parseAmount("0") == 0)
        #expect(Statement.parseAmount("999999999999999999") == nil, "beyond what a transfer can carry")
        #expect(Statement.parseAmount("9999999999999999999") == nil, "beyond Int64")
        #expect(Statement.parseAmount("1.250.000") == 1_250_000)
    }

    @Test func referenceKeysKeepLettersAndDigitsAndTheTrailingNumber() {
        #expect(Reconciliation.referenceKeys("MBVCB.5473187212") == ["MBVCB5473187212", "#5473187212"])
        #expect(Reconciliation.referenceKeys("ft26-abc") == ["FT26ABC"])
        #expect(Reconciliation.referenceKeys("Mã: 12") == ["M12"])
        #expect(Reconciliation.referenceKeys("ab") == [])
        #expect(Reconciliation.referenceKeys(nil) == [])
        #expect(Reconciliation.referenceKeys("straße 123456") == ["STRASSE123456", "#123456"])
    }

    @Test func daysAreWrittenAsTheFormatterWroteThem() {
        var day = Day(year: 1999, month: 12, day: 25)
        for _ in 0..<800 {
            #expect(day.iso == String(format: "%04d-%02d-%02d", day.year, day.month, day.day))
            #expect(day.vietnamese == String(format: "%02d/%02d/%04d", day.day, day.month, day.year))
            day = day.adding(days: 17)
        }
        #expect(Day(year: 987, month: 1, day: 2).iso == "0987-01-02")
    }
}
