import ChoSoCore
import Foundation
import Testing

/// The amount reading against `Fixtures/amounts/golden.tsv` (176 amounts from 0 to
/// 999.999.999.999, every rule's edge), written by `make_golden.py` from the rules of
/// DESIGN.md §5 independently of the Swift code.
@Suite struct AmountGoldenTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        var amount: Int64
        var south: String
        var north: String
        var testDescription: String { "\(amount)" }
    }

    static let golden: [Golden] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/amounts/golden.tsv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 3, let amount = Int64(fields[0]) else { return nil }
            return Golden(amount: amount, south: fields[1], north: fields[2])
        }
    }()

    @Test func theTableIsWhole() {
        #expect(Self.golden.count >= 150)
        #expect(Self.golden.first?.amount == 0)
        #expect(Self.golden.last?.amount == 999_999_999_999)
    }

    @Test(arguments: golden)
    func bothPresetsReadAsTheTableSays(row: Golden) {
        #expect(AmountReading.south.words(row.amount) == row.south)
        #expect(AmountReading.north.words(row.amount) == row.north)
    }
}

@Suite struct AnnouncementTests {
    @Test func theFullAmountIsSaidAndTheScamIsCalledOut() {
        #expect(Announcement.make(status: .paid, amount: 200_000, difference: nil, sender: nil, reading: .north)
            == .init(text: "Đã nhận hai trăm nghìn đồng", isWarning: false))
        #expect(Announcement.make(status: .walkIn, amount: 35_000, difference: nil, sender: "NGUYEN VAN A").text
            == "Đã nhận ba mươi lăm ngàn đồng từ NGUYEN VAN A")
        #expect(Announcement.make(status: .underpaid, amount: 200, difference: 199_800, sender: "NGUYEN VAN A", reading: .north)
            == .init(text: "Cảnh báo: khách chuyển thiếu, nhận hai trăm đồng, còn thiếu một trăm chín mươi chín nghìn tám trăm đồng", isWarning: true))
        #expect(Announcement.make(status: .overpaid, amount: 250_000, difference: 50_000, sender: nil).isWarning)
        #expect(Announcement.make(status: .duplicatePayment, amount: 50_000, difference: 50_000, sender: nil).text.contains("hoàn lại"))
    }
}
