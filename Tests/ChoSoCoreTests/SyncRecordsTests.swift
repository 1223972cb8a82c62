import ChoSoCore
import Foundation
import Testing

/// The community teams' sync contract, where it is pure: reading each record with its reasons,
/// deciding stored, unchanged or conflict, and the duplicate warning.
@Suite struct SyncRecordsTests {
    static let today = Day(year: 2026, month: 11, day: 30)
    static let household = "6f1c2a9e-3b7d-4c1e-9a55-0f6a2b8c9d01"

    static func json(_ text: String) -> Any {
        try! JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    static func householdJSON(_ extra: String = "", headName: String = "Thạch Thị Sà Rươl") -> String {
        #"{"type":"household","id":"\#(household.uppercased())","baseVersion":null,"hamlet":"31673-NR@2025-07-01","address":"12/3 ấp Ngan Rô","headName":"\#(headName)","phone":"0912 345 678","members":5,"adults":3,"language":"km","checklist":{"smartphone":{"count":2,"evidence":"seen"},"broadband":{"count":1,"evidence":"self_reported"}},"barriers":["no_money_for_data","language","language"]\#(extra)}"#
    }

    @Test func aHouseholdIsReadCleanedAndHashedByItsContent() throws {
        let (id, parsed) = SyncRecords.parse(Self.json(Self.householdJSON()), today: Self.today)
        #expect(id == Self.household.uppercased())
        guard case .valid(.household(let record)) = parsed else { Issue.record("\(parsed.errors)"); return }
        #expect(record.id == Self.household, "ids are kept in lower case")
        #expect(record.content.phone == "0912345678")
        #expect(record.content.barriers == [.language, .noMoneyForData], "a set, in a fixed order")
        #expect(record.content.answer(.smartphone) == ChecklistAnswer(count: 2, evidence: .seen))
        // NFD typed on another keyboard is the same household, the same hash.
        let nfd = Self.householdJSON(headName: "Thạch Thị Sà Rươl".decomposedStringWithCanonicalMapping)
        guard case .valid(.household(let same)) = SyncRecords.parse(Self.json(nfd), today: Self.today).record else { Issue.record("NFD"); return }
        #expect(same.contentHash == record.contentHash)
        #expect(same.content.headName == "Thạch Thị Sà Rươl")
    }

    @Test func eachBadFieldIsRefusedWithItsReason() {
        let cases: [(String, String)] = [
            (#"{"type":"household","id":"nope"}"#, "id"),
            (Self.householdJSON().replacingOccurrences(of: #""members":5"#, with: #""members":0"#), "members"),
            (Self.householdJSON().replacingOccurrences(of: #""adults":3"#, with: #""adults":7"#), "adults"),
            (Self.householdJSON().replacingOccurrences(of: #""members":5"#, with: #""members":true"#), "members"),
            (Self.householdJSON().replacingOccurrences(of: #""count":2"#, with: #""count":4"#), "checklist.smartphone"),
            (Self.householdJSON().replacingOccurrences(of: #""count":1"#, with: #""count":2"#), "checklist.broadband"),
            (Self.householdJSON().replacingOccurrences(of: #""seen""#, with: #""maybe""#), "checklist.smartphone"),
            (Self.householdJSON().replacingOccurrences(of: #""km""#, with: #""khmer""#), "language"),
            (Self.householdJSON().replacingOccurrences(of: #""0912 345 678""#, with: #""12345""#), "phone"),
            (Self.householdJSON().replacingOccurrences(of: "12/3 ấp Ngan Rô", with: "CCCD 094123456789"), "address"),
            (Self.householdJSON().replacingOccurrences(of: #""no_money_for_data""#, with: #""lazy""#), "barriers"),
            (Self.householdJSON().replacingOccurrences(of: "Thạch Thị Sà Rươl", with: "A\u{202E}B"), "headName"),
            (#"{"type":"visit","id":"\#(UUID())","household":"\#(Self.household)","date":"2026-12-01"}"#, "date"),
            (#"{"type":"visit","id":"\#(UUID())","household":"\#(Self.household)","date":"2026-11-31"}"#, "date"),
            (#"{"type":"visit","id":"\#(UUID())","household":"\#(Self.household)","date":"2026-11-29","help":["magic"]}"#, "help"),
            (#"{"type":"visit","id":"\#(UUID())","household":"x","date":"2026-11-29"}"#, "household"),
            (#"{"type":"place","id":"\#(UUID())"}"#, "type"),
        ]
        for (text, field) in cases {
            let parsed = SyncRecords.parse(Self.json(text), today: Self.today).record
            #expect(parsed.errors.map(\.field).contains(field), "\(field): \(parsed.errors.map(\.field))")
            #expect(parsed.errors.allSatisfy { !$0.message.vi.isEmpty && !$0.message.en.isEmpty })
        }
        #expect(SyncRecords.parse("a string", today: Self.today).record.errors.first?.code == "not_an_object")
    }

    @Test func anIDCardNumberIsFoundHoweverItIsWritten() {
        for written in ["079123456789", "079 123 456 789", "079-123-456-789", "079.123.456.789", "079 1234 56789",
                        "０７９１２３４５６７８９", "٠٧٩١٢٣٤٥٦٧٨٩", "cccd 0 7 9 1 2 3 4 5 6 7 8 9", "CMND 381234567", "số 381 234 567."] {
            #expect(SyncRecords.looksLikeIDNumber(written), "\(written)")
        }
        for innocent in ["0912 345 678", "0912345678", "12/3 ấp 1", "30.11.2026", "tổ 12, ấp 3", "1234567890123"] {
            #expect(!SyncRecords.looksLikeIDNumber(innocent), "\(innocent)")
        }
    }

    @Test func aVisitIsReadAndItsCorrectionNamesTheOldOne() throws {
        let old = UUID().uuidString
        let text = #"{"type":"visit","id":"\#(UUID())","household":"\#(Self.household)","date":"2026-11-29","help":["vneid_level1","install_payment_app"],"barriers":[],"outcome":"follow_up","note":"Hẹn công an xã ngày 5/12 để lên mức 2","corrects":"\#(old)"}"#
        guard case .valid(.visit(let visit)) = SyncRecords.parse(Self.json(text), today: Self.today).record else { Issue.record("visit"); return }
        #expect(visit.content.help == [.installPaymentApp, .vneidLevel1])
        #expect(visit.content.outcome == .followUp)
        #expect(visit.content.corrects == old.lowercased())
    }

    @Test func storedUnchangedOrConflictExactlyAsTheContractSays() {
        let v1 = SyncDecision.StoredVersion(version: 1, baseVersion: nil, hash: "a")
        let v2 = SyncDecision.StoredVersion(version: 2, baseVersion: 1, hash: "b")
        // New, and the same sent again after a lost answer.
        #expect(SyncDecision.household(stored: [], current: nil, base: nil, hash: "a") == .store(version: 1, conflictWith: nil))
        #expect(SyncDecision.household(stored: [v1], current: 1, base: nil, hash: "a") == .unchanged(version: 1))
        // An edit of the current version, and its resend.
        #expect(SyncDecision.household(stored: [v1], current: 1, base: 1, hash: "b") == .store(version: 2, conflictWith: nil))
        #expect(SyncDecision.household(stored: [v1, v2], current: 2, base: 1, hash: "b") == .unchanged(version: 2))
        // A second phone edited version 1 too: kept as version 3, in conflict with 2.
        #expect(SyncDecision.household(stored: [v1, v2], current: 2, base: 1, hash: "c") == .store(version: 3, conflictWith: 2))
        // The same household created on two phones with other content.
        #expect(SyncDecision.household(stored: [v1], current: 1, base: nil, hash: "z") == .store(version: 2, conflictWith: 1))
        #expect(SyncDecision.visit(storedHash: nil, hash: "v") == .store)
        #expect(SyncDecision.visit(storedHash: "v", hash: "v") == .unchanged)
        #expect(SyncDecision.visit(storedHash: "v", hash: "w") == .conflict)
    }

    @Test func aLikelyDuplicateIsFoundWithoutDiacritics() throws {
        guard case .valid(.household(let first)) = SyncRecords.parse(Self.json(Self.householdJSON()), today: Self.today).record else { return }
        var typed = first.content
        typed.headName = "thach thi sa ruol"
        typed.phone = nil
        typed.address = "số 12/3, gần chợ"
        #expect(HouseholdIdentity.mayBeSame(first.content, typed))
        typed.address = "số 14"
        #expect(!HouseholdIdentity.mayBeSame(first.content, typed))
        typed.phone = "0912345678"
        #expect(HouseholdIdentity.mayBeSame(first.content, typed), "the same phone")
        typed.hamlet = "other"
        #expect(!HouseholdIdentity.mayBeSame(first.content, typed), "another hamlet")
        #expect(HouseholdIdentity.houseNumber("cạnh chùa") == nil)
        #expect(HouseholdIdentity.houseNumber("Số 45A đường 3/2") == "45a")
    }
}
