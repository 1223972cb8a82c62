import ChoSoCore
import Foundation
import Testing

/// Every provider's decoder checks amounts, times and text the same way: the sample bodies of
/// `shared/reference/webhooks/` with one field changed at a time.
@Suite struct WebhookValidationTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    /// The clock the decoders are checked against: 2026-11-30 10:00 +07:00.
    static let now = Date(timeIntervalSince1970: 1_796_007_600)

    /// One provider's sample body and the names it gives its fields.
    struct Provider: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var amount: String
        var time: String
        var description: String
        var id: String
        var account: String
        /// Whether a negative amount means money going out (Casso) rather than a refusal.
        var signsAmount: Bool
        var decode: @Sendable ([UInt8], Date) throws(WebhookError) -> WebhookContent
        var testDescription: String { name }

        /// The sample with the transaction's fields changed; payOS's is made a real transfer
        /// (its sample carries the registration test's demo values).
        func body(_ change: (inout [String: Any]) -> Void = { _ in }) -> [UInt8] {
            var object = (try? JSONSerialization.jsonObject(with: Data(WebhookTests.body(file)))) as? [String: Any] ?? [:]
            func edit(_ transaction: inout [String: Any]) {
                if name == "payOS" { transaction["reference"] = "FT2611301234" }
                change(&transaction)
            }
            switch name {
            case "SePay": edit(&object)
            case "Casso legacy":
                var list = object["data"] as? [[String: Any]] ?? []
                edit(&list[0])
                object["data"] = list
            default:
                var data = object["data"] as? [String: Any] ?? [:]
                edit(&data)
                object["data"] = data
            }
            return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
        }

        func transfers(_ change: (inout [String: Any]) -> Void = { _ in }, now: Date = WebhookValidationTests.now) throws -> [IncomingTransfer] {
            guard case .transfers(let transfers) = try decode(body(change), now) else { return [] }
            return transfers
        }

        func refusal(_ change: (inout [String: Any]) -> Void) -> String? {
            do {
                _ = try decode(body(change), WebhookValidationTests.now)
                return nil
            } catch {
                if case .malformed(let reason) = error { return reason }
                return "\(error)"
            }
        }
    }

    static let providers: [Provider] = [
        Provider(
            name: "SePay", file: "sepay-1.json", amount: "transferAmount", time: "transactionDate", description: "content", id: "id",
            account: "accountNumber", signsAmount: false) { body, now throws(WebhookError) in try WebhookDecoders.sepay(body, timeZone: vietnam, now: now) },
        Provider(
            name: "Casso V2", file: "casso-1.json", amount: "amount", time: "transactionDateTime", description: "description", id: "id",
            account: "accountNumber", signsAmount: true) { body, now throws(WebhookError) in try WebhookDecoders.cassoV2(body, timeZone: vietnam, now: now) },
        Provider(
            name: "Casso legacy", file: "casso-2.json", amount: "amount", time: "when", description: "description", id: "id",
            account: "bank_sub_acc_id", signsAmount: true) { body, now throws(WebhookError) in try WebhookDecoders.cassoLegacy(body, timeZone: vietnam, now: now) },
        Provider(
            name: "payOS", file: "payos-2.json", amount: "amount", time: "transactionDateTime", description: "description", id: "reference",
            account: "accountNumber", signsAmount: false) { body, now throws(WebhookError) in try WebhookDecoders.payOS(body, timeZone: vietnam, now: now) },
    ]

    @Test(arguments: providers)
    func theSampleIsReadAsIs(provider: Provider) throws {
        let transfers = try provider.transfers()
        #expect(transfers.count == 1)
        #expect(transfers.first?.amount ?? 0 > 0)
        #expect(transfers.first?.bankTime != nil)
    }

    @Test(arguments: providers)
    func zeroAndNegativeAmountsAreRefused(provider: Provider) throws {
        let key = provider.amount
        if provider.signsAmount {
            #expect(provider.refusal { $0[key] = 0 } == "\(key) must not be 0")
            // Casso signs the amount with the direction: negative is money going out.
            let outgoing = try provider.transfers { $0[key] = -50_000 }
            #expect(outgoing.first?.amount == 50_000)
            #expect(outgoing.first?.direction == .outgoing)
        } else {
            #expect(provider.refusal { $0[key] = 0 } == "\(key) must be above 0")
            #expect(provider.refusal { $0[key] = -50_000 } == "\(key) must be above 0")
            #expect(provider.refusal { $0[key] = "-50000" } == "\(key) must be above 0")
        }
        #expect(provider.refusal { $0[key] = "0" } != nil)
    }

    @Test(arguments: providers)
    func aBooleanIsNotAnAmount(provider: Provider) {
        // `true` used to become 1 đ: NSNumber bridges booleans to numbers.
        #expect(provider.refusal { $0[provider.amount] = true } == "\(provider.amount) is true or false, not a number of đồng")
        #expect(provider.refusal { $0[provider.amount] = false } == "\(provider.amount) is true or false, not a number of đồng")
        #expect(provider.refusal { $0[provider.id] = true } == "\(provider.id) is true or false, not text")
        #expect(provider.refusal { $0[provider.description] = ["x"] } == "\(provider.description) must be text")
        // 1 and 0 as numbers are still numbers.
        #expect(provider.refusal { $0[provider.amount] = 1 } == nil)
    }

    @Test(arguments: providers)
    func bankTimesMustBePlausible(provider: Provider) throws {
        let key = provider.time
        #expect(provider.refusal { $0[key] = "9999-12-31 23:59:59" } == "\(key) 9999-12-31 23:59:59 is more than a day after ChoSo's clock")
        #expect(provider.refusal { $0[key] = "1970-01-01 07:00:00" } == "\(key) 1970-01-01 07:00:00 is before 2000-01-01")
        #expect(provider.refusal { $0[key] = "0000-01-01 00:00:00" } == "\(key) 0000-01-01 00:00:00 is before 2000-01-01")
        #expect(provider.refusal { $0[key] = "1999-12-31 23:59:59" } != nil)
        #expect(provider.refusal { $0[key] = "2026-12-02 10:00:00" } != nil, "two days ahead")
        #expect(provider.refusal { $0[key] = "yesterday" } == "\(key) \"yesterday\" is not a time (yyyy-MM-dd HH:mm:ss)")
        #expect(provider.refusal { $0[key] = "2026-02-30 10:00:00" } != nil, "no such day")
        // Within a day ahead (a clock or zone off by hours) and any time since 2000 are kept.
        #expect(try provider.transfers { $0[key] = "2026-12-01 09:00:00" }.first?.bankTime == Date(timeIntervalSince1970: 1_796_090_400))
        #expect(try provider.transfers { $0[key] = "2000-01-01 07:00:00" }.first?.bankTime == BankTime.earliestPlausible)
        // ISO 8601 with an offset is read too; a time left out stays unknown.
        #expect(try provider.transfers { $0[key] = "2026-11-30T09:00:00+07:00" }.first?.bankTime == Date(timeIntervalSince1970: 1_796_004_000))
        #expect(try provider.transfers { $0[key] = nil }.first?.bankTime == nil)
        #expect(try provider.transfers { $0[key] = NSNull() }.first?.bankTime == nil)
        #expect(try provider.transfers { $0[key] = "" }.first?.bankTime == nil)
        // The clock is the caller's: the sample's 2023 time is ahead of a clock set in 2020.
        #expect(throws: WebhookError.self) { try provider.decode(provider.body(), Date(timeIntervalSince1970: 1_577_836_800)) }
    }

    @Test(arguments: providers)
    func controlCharactersAreRefused(provider: Provider) throws {
        // A NUL used to cut the stored description short.
        #expect(provider.refusal { $0[provider.description] = "CS7K2M9Q4\u{0}hidden" } == "\(provider.description) contains the control character U+0000")
        #expect(provider.refusal { $0[provider.description] = "bell\u{7}" } == "\(provider.description) contains the control character U+0007")
        #expect(provider.refusal { $0[provider.description] = "next line\u{85}" } == "\(provider.description) contains the control character U+0085")
        #expect(provider.refusal { $0[provider.description] = "\u{202E}9QM2K7SC" } == "\(provider.description) contains the control character U+202E")
        #expect(provider.refusal { $0[provider.description] = "del\u{7F}" } == "\(provider.description) contains the control character U+007F")
        #expect(provider.refusal { $0[provider.id] = "92704\u{0}" } == "\(provider.id) contains the control character U+0000")
        #expect(provider.refusal { $0[provider.account] = "0123\u{0}499999" } == "\(provider.account) contains the control character U+0000")
        #expect(provider.refusal { $0[provider.account] = "0123\t499999" } == "\(provider.account) contains the control character U+0009")
        #expect(provider.refusal { $0[provider.time] = "2026-11-25 10:15:00\u{0}" } == "\(provider.time) contains the control character U+0000")
        // In free text, tab and line breaks are white space, kept; Vietnamese is text.
        let kept = try provider.transfers { $0[provider.description] = "Chuyển tiền\tmua cá\r\nCS7K2M9Q4" }
        #expect(kept.first?.description == "Chuyển tiền\tmua cá\r\nCS7K2M9Q4")
    }

    @Test func theGenericFormatChecksTheSame() throws {
        func body(amount: String = "200000", time: String = "2026-11-30T08:00:00+07:00", description: String = "CS7K2M9Q4", id: String = "\"t1\"") -> [UInt8] {
            Array(#"{"id":\#(id),"accountNumber":"0011001234567","amount":\#(amount),"direction":"in","description":"\#(description)","time":"\#(time)"}"#.utf8)
        }
        func refusal(_ body: [UInt8]) -> WebhookError? {
            do { _ = try WebhookDecoders.generic(body, now: Self.now); return nil } catch { return error }
        }
        guard case .transfers(let transfers) = try WebhookDecoders.generic(body(), now: Self.now) else { Issue.record("no transfer"); return }
        #expect(transfers.first?.amount == 200_000)
        #expect(refusal(body(amount: "true")) == .malformed("amount is true or false, not a number of đồng"))
        #expect(refusal(body(amount: "0")) == .malformed("amount must be above 0"))
        #expect(refusal(body(amount: "-50000")) == .malformed("amount must be above 0"))
        #expect(refusal(body(time: "9999-12-31T23:59:59Z")) == .malformed("time 9999-12-31T23:59:59Z is more than a day after ChoSo's clock"))
        #expect(refusal(body(time: "1970-01-01T00:00:00Z")) == .malformed("time 1970-01-01T00:00:00Z is before 2000-01-01"))
        #expect(refusal(body(description: #"CS7K2M9Q4\u0000"#)) == .malformed("description contains the control character U+0000"))
        #expect(refusal(body(id: "true")) == .malformed("id is true or false, not text"))
    }

    @Test func theConnectionKindPassesTheClockOn() throws {
        let kind = try #require(WebhookConnectionKind(provider: "sepay", auth: nil))
        let sample = WebhookTests.body("sepay-1.json")  // 2023-03-25 14:02:37
        #expect(throws: Never.self) { try kind.decode(sample, timeZone: Self.vietnam, now: Self.now) }
        #expect(throws: WebhookError.malformed("transactionDate 2023-03-25 14:02:37 is more than a day after ChoSo's clock")) {
            try kind.decode(sample, timeZone: Self.vietnam, now: Date(timeIntervalSince1970: 1_577_836_800))
        }
    }

    @Test func plausibility() {
        #expect(BankTime.plausibility(of: Date(timeIntervalSince1970: 0), now: Self.now) == .tooEarly)
        #expect(BankTime.plausibility(of: BankTime.earliestPlausible, now: Self.now) == .plausible)
        #expect(BankTime.plausibility(of: Self.now.addingTimeInterval(86_400), now: Self.now) == .plausible)
        #expect(BankTime.plausibility(of: Self.now.addingTimeInterval(86_401), now: Self.now) == .tooLate)
    }
}
