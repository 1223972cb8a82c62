import ChoSoCore
import Foundation
import Testing

/// The hand-written time reader and writer agree with Foundation's formatters.
@Suite struct BankTimeTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    static func formatter(_ format: String, _ zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }

    @Test func agreesWithFoundationOverRandomInstants() {
        var random = SplitMix64(seed: 7)
        let zones = [Self.vietnam, TimeZone(identifier: "UTC")!, TimeZone(identifier: "Europe/Berlin")!, TimeZone(identifier: "America/New_York")!]
        for zone in zones {
            let dashed = Self.formatter("yyyy-MM-dd HH:mm:ss", zone)
            let slashed = Self.formatter("dd/MM/yyyy HH:mm:ss", zone)
            for _ in 0..<2_000 {
                // 1901–2099, whole seconds.
                let date = Date(timeIntervalSince1970: TimeInterval(Int64(random.next() % 6_300_000_000) - 2_200_000_000))
                let text = dashed.string(from: date)
                #expect(BankTime.formatLocal(date, timeZone: zone) == text)
                // Hours that do not exist or repeat at a summer-time change are ambiguous; Vietnam has none.
                if zone == Self.vietnam || zone.identifier == "UTC" {
                    #expect(BankTime.parseLocal(text, timeZone: zone) == date, "\(text)")
                    #expect(BankTime.parseLocal(slashed.string(from: date), timeZone: zone) == date)
                }
                #expect(BankTime.parseISO8601(BankTime.formatISO8601(date)) == date)
            }
        }
    }

    @Test func readsWhatBanksAndProvidersSend() {
        let at = { (text: String) in BankTime.parseLocal(text, timeZone: Self.vietnam)?.timeIntervalSince1970 }
        #expect(at("2023-03-25 14:02:37") == 1_679_727_757)
        #expect(at("25/03/2023 14:02:37") == 1_679_727_757)
        #expect(at("25/03/2023 14:02") == 1_679_727_720)
        #expect(at("5/3/2023") == 1_677_949_200)
        #expect(at(" 25/03/2023 14:02:37 ") == 1_679_727_757)
        for bad in ["", "2023-02-29 10:00:00", "31/04/2024", "2023-03-25 24:00:00", "2023-03-25 14:02:37x", "25-03-2023", "hôm qua"] {
            #expect(at(bad) == nil, "\(bad)")
        }
        #expect(BankTime.parseISO8601("2026-11-25T10:15:00+07:00")?.timeIntervalSince1970 == 1_795_576_500)
        #expect(BankTime.parseISO8601("2026-11-25T03:15:00Z")?.timeIntervalSince1970 == 1_795_576_500)
        #expect(BankTime.parseISO8601("2026-11-25T03:15:00.250Z")?.timeIntervalSince1970 == 1_795_576_500.25)
        #expect(BankTime.parseISO8601("2026-11-25T10:15:00+0700")?.timeIntervalSince1970 == 1_795_576_500)
        #expect(BankTime.parseISO8601("2026-11-25T10:15:00") == nil, "an offset is required")
        #expect(BankTime.parseISO8601("2026-13-25T10:15:00Z") == nil)
    }
}
