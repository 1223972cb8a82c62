import Foundation
import Testing
import VietQR

/// Every payload of `Fixtures/conformance.json` (real ones from public sources, each cited, and
/// ChoSo's own edge cases) gets the expected decision and fields in both modes.
@Suite struct ConformanceTests {
    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var source: String
        var payload: String
        var strict: Expectation
        var lenient: Expectation
        var testDescription: String { name }
    }

    /// Either an error code, or a scheme with warnings and the fields to check. A field present
    /// as `null` must be absent from the result.
    struct Expectation: Decodable, Sendable {
        var error: String?
        var scheme: String?
        var warnings: [String]?
        var checked: [String: String?]

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            error = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "error"))
            scheme = try container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: "scheme"))
            warnings = try container.decodeIfPresent([String].self, forKey: AnyKey(stringValue: "warnings"))
            var checked: [String: String?] = [:]
            for key in container.allKeys where !["error", "scheme", "warnings"].contains(key.stringValue) {
                if try container.decodeNil(forKey: key) {
                    checked[key.stringValue] = .some(nil)
                } else if let number = try? container.decode(Int64.self, forKey: key) {
                    checked[key.stringValue] = String(number)
                } else {
                    checked[key.stringValue] = try container.decode(String.self, forKey: key)
                }
            }
            self.checked = checked
        }
    }

    static let vectors: [Vector] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/conformance.json")
        do {
            return try JSONDecoder().decode([Vector].self, from: Data(contentsOf: url))
        } catch {
            Issue.record("conformance.json cannot be read: \(error)")
            return []
        }
    }()

    @Test func theSetIsLargeAndSourced() {
        #expect(Self.vectors.count >= 60)
        let published = Self.vectors.filter { !$0.source.hasPrefix("own") }
        #expect(published.count >= 40)
        #expect(Set(Self.vectors.map(\.name)).count == Self.vectors.count)
    }

    @Test(arguments: vectors)
    func strictReading(vector: Vector) {
        check(vector.payload, .strict, vector.strict)
    }

    @Test(arguments: vectors)
    func lenientReading(vector: Vector) {
        check(vector.payload, .lenient, vector.lenient)
    }

    private func check(_ payload: String, _ mode: VietQRParser.Mode, _ expected: Expectation) {
        let result = VietQRParser.parse(payload, mode: mode)
        switch (result, expected.error) {
        case (.failure(let error), let code?):
            #expect(error.code.rawValue == code)
            #expect(!error.message.isEmpty && !error.messageEn.isEmpty)
        case (.failure(let error), nil):
            Issue.record("refused with \(error.code.rawValue): \(error.messageEn)")
        case (.success(let qr), let code?):
            Issue.record("accepted as \(qr.scheme.rawValue), expected \(code)")
        case (.success(let qr), nil):
            #expect(qr.scheme.rawValue == expected.scheme)
            #expect(Set(qr.warnings.map(\.code.rawValue)) == Set(expected.warnings ?? []))
            let actual: [String: String?] = [
                "bin": qr.bin, "account": qr.account, "amount": qr.amount.map(String.init), "purpose": qr.purpose,
                "initiation": qr.initiation?.rawValue, "service": qr.service, "merchantName": qr.merchantName,
                "bank": qr.bank?.shortName,
            ]
            for (key, value) in expected.checked {
                #expect(actual[key] == .some(value), "\(key)")
            }
            // Parse → re-encode is byte-exact, unknown tags included.
            let trimmed = payload.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(qr.reencoded == trimmed)
        }
    }
}
