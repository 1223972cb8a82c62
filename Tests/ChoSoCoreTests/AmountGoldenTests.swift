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
