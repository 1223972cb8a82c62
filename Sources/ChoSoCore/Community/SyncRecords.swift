import Crypto
import Foundation

/// One checklist answer: how many adults (or 0/1 for the household), and how it is known.
public struct ChecklistAnswer: Sendable, Hashable, Codable {
    public var count: Int
    public var evidence: Evidence

    public init(count: Int, evidence: Evidence) {
        self.count = count
        self.evidence = evidence
    }
}

/// A household as a phone sends it (`POST /api/v1/sync`, type "household"), checked.
public struct HouseholdRecord: Sendable, Hashable {
    /// Made on the phone (a UUID, lower case here), so a record made offline has its id before
    /// the server ever sees it.
    public var id: String
    /// The version the phone edited; nil for a household it created.
    public var baseVersion: Int?
    public var content: Content

    /// What a version holds: two sends with the same content are the same version.
    public struct Content: Sendable, Hashable, Codable {
        public var hamlet: String
        public var address: String
        public var headName: String
        public var phone: String?
        public var members: Int
        public var adults: Int
        public var language: HouseholdLanguage
        public var checklist: [String: ChecklistAnswer]
        public var barriers: [Barrier]

        public init(
            hamlet: String, address: String, headName: String, phone: String?, members: Int, adults: Int,
            language: HouseholdLanguage, checklist: [String: ChecklistAnswer], barriers: [Barrier]
        ) {
            self.hamlet = hamlet
            self.address = address
            self.headName = headName
            self.phone = phone
            self.members = members
            self.adults = adults
            self.language = language
            self.checklist = checklist
            self.barriers = barriers
        }

        public func answer(_ item: ChecklistItem) -> ChecklistAnswer? { checklist[item.rawValue] }
    }

    public var contentHash: String { SyncRecords.hash(content) }
}

/// A visit (the support log). Never edited: a correction is a new visit that names the old one.
public struct VisitRecord: Sendable, Hashable {
    public var id: String
    public var content: Content

    public init(id: String, content: Content) {
        self.id = id
        self.content = content
    }

    public struct Content: Sendable, Hashable, Codable {
        public var household: String
        public var date: Day
        public var help: [Help]
        public var barriers: [Barrier]
        public var outcome: VisitOutcome?
        public var note: String
        /// The visit this one corrects.
        public var corrects: String?
        /// What the member will come back for, and when (absent from the JSON when none, so the
        /// hashes of visits stored before follow-ups existed do not change).
        public var followUp: FollowUp?

        public init(
            household: String, date: Day, help: [Help], barriers: [Barrier], outcome: VisitOutcome?, note: String, corrects: String?,
            followUp: FollowUp? = nil
        ) {
            self.household = household
            self.date = date
            self.help = help
            self.barriers = barriers
            self.outcome = outcome
            self.note = note
            self.corrects = corrects
            self.followUp = followUp
        }
    }

    public var contentHash: String { SyncRecords.hash(content) }
}

public enum SyncRecord: Sendable, Hashable {
    case household(HouseholdRecord)
    case visit(VisitRecord)

    public var id: String {
        switch self {
        case .household(let household): household.id
        case .visit(let visit): visit.id
        }
    }
}

/// Reads the records of a sync batch one by one, so that one bad record is refused with its
/// reasons while the rest of the batch goes on (the contract's `rejected`).
public enum SyncRecords {
    public static let maxRecords = 5_000
    public static let maxMembers = 40

    /// The id the record gave (to answer it by), and the record or every reason it is refused.
    public static func parse(_ json: Any, today: Day) -> (id: String?, record: Validated<SyncRecord>) {
        guard let object = json as? [String: Any] else {
            return (nil, .invalid([error("record", "not_an_object", "Mỗi bản ghi phải là một đối tượng JSON", "Each record must be a JSON object")]))
        }
        let givenID = object["id"] as? String
        var problems: [FieldError] = []
        let id = uuid(object["id"], field: "id", into: &problems)
        switch object["type"] as? String {
        case "household":
            let record = household(object, id: id, into: &problems)
            return (givenID, problems.isEmpty && record != nil ? .valid(.household(record!)) : .invalid(problems))
        case "visit":
            let record = visit(object, id: id, today: today, into: &problems)
            return (givenID, problems.isEmpty && record != nil ? .valid(.visit(record!)) : .invalid(problems))
        default:
            problems.append(error("type", "bad_type", "Loại bản ghi phải là household hoặc visit", "The record type must be household or visit"))
            return (givenID, .invalid(problems))
        }
    }

    static func household(_ object: [String: Any], id: String?, into problems: inout [FieldError]) -> HouseholdRecord? {
        var baseVersion: Int?
        if let raw = object["baseVersion"], !(raw is NSNull) {
            baseVersion = integer(raw)
            if baseVersion == nil || baseVersion! < 1 {
                problems.append(error("baseVersion", "bad_base_version", "baseVersion là số phiên bản (từ 1) hoặc null", "baseVersion is a version number (from 1) or null"))
            }
        }
        let hamlet = (object["hamlet"] as? String).map(TextNormalization.clean) ?? ""
        if hamlet.isEmpty || hamlet.count > 64 {
            problems.append(error("hamlet", "bad_hamlet", "Chọn ấp, khóm của hộ", "Choose the household's hamlet"))
        }
        let address = text(object["address"], field: "address", max: 200, required: true, into: &problems, what: ("Số nhà hoặc mô tả nơi ở", "The house number or where the house is"))
        let headName = text(object["headName"], field: "headName", max: 100, required: true, into: &problems, what: ("Tên chủ hộ", "The head of household's name"))
        var phone: String?
        if let raw = object["phone"], !(raw is NSNull) {
            let digits = (raw as? String).map { $0.filter { !" .-".contains($0) } } ?? ""
            let local = digits.hasPrefix("+84") ? "0" + digits.dropFirst(3) : digits
            if local.isEmpty {
                phone = nil
            } else if local.count == 10, local.hasPrefix("0"), local.allSatisfy(\.isASCII), local.allSatisfy(\.isNumber) {
                phone = local
            } else {
                problems.append(error("phone", "bad_phone", "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0", "A phone number is 10 digits starting with 0"))
            }
        }
        let members = integer(object["members"] ?? NSNull())
        let adults = integer(object["adults"] ?? NSNull())
        if members == nil || !(1...maxMembers).contains(members!) {
            problems.append(error("members", "bad_members", "Số nhân khẩu từ 1 đến \(maxMembers)", "Members: 1 to \(maxMembers)"))
        }
        if adults == nil || adults! < 0 || adults! > (members ?? maxMembers) {
            problems.append(error("adults", "bad_adults", "Số người từ 15 tuổi trở lên không quá số nhân khẩu", "Adults (15 and over) cannot exceed the members"))
        }
        let language = (object["language"] as? String).flatMap(HouseholdLanguage.init(rawValue:))
        if language == nil {
            problems.append(error("language", "bad_language", "Ngôn ngữ: vi, km hoặc other", "Language: vi, km or other"))
        }
        var checklist: [String: ChecklistAnswer] = [:]
        if let raw = object["checklist"], !(raw is NSNull) {
            guard let items = raw as? [String: Any] else {
                problems.append(error("checklist", "bad_checklist", "Danh mục phải là một đối tượng", "The checklist must be an object"))
                return nil
            }
            for (key, value) in items {
                guard let item = ChecklistItem(rawValue: key) else {
                    problems.append(error("checklist.\(key)", "unknown_item", "Mục không có trong danh mục", "Not a checklist item"))
                    continue
                }
                if value is NSNull { continue }
                guard let answer = value as? [String: Any], let count = integer(answer["count"] ?? NSNull()),
                      let evidence = (answer["evidence"] as? String).flatMap(Evidence.init(rawValue:))
                else {
                    problems.append(error("checklist.\(key)", "bad_answer", "Mỗi mục cần count (số) và evidence (self_reported hoặc seen)", "Each item needs a count and evidence (self_reported or seen)"))
                    continue
                }
                let most = item.isPerHousehold ? 1 : (adults ?? maxMembers)
                guard (0...most).contains(count) else {
                    problems.append(error("checklist.\(key)", "bad_count", item.isPerHousehold
                        ? ("Mục này của cả hộ: 0 hoặc 1", "This item is for the household: 0 or 1")
                        : ("Số người không quá số người từ 15 tuổi trở lên (\(most))", "At most the number of adults (\(most))")))
                    continue
                }
                checklist[key] = ChecklistAnswer(count: count, evidence: evidence)
            }
        }
        let barriers = list(object["barriers"], field: "barriers", Barrier.init(rawValue:), into: &problems)
        // No ID-card numbers, ever (Nghị định 13/2023/NĐ-CP: collect the minimum).
        for (field, value) in [("address", address), ("headName", headName)] where looksLikeIDNumber(value) {
            problems.append(error(field, "id_number", "Không ghi số căn cước, CMND", "No ID-card numbers"))
        }
        guard problems.isEmpty, let id, let members, let adults, let language else { return nil }
        return HouseholdRecord(id: id, baseVersion: baseVersion, content: .init(
            hamlet: hamlet, address: address, headName: headName, phone: phone, members: members, adults: adults,
            language: language, checklist: checklist, barriers: barriers))
    }

    static func visit(_ object: [String: Any], id: String?, today: Day, into problems: inout [FieldError]) -> VisitRecord? {
        let household = uuid(object["household"], field: "household", into: &problems)
        let date = (object["date"] as? String).flatMap(Day.init(iso:))
        if let date {
            let earliest = Day(year: today.year - 1, month: today.month, day: min(today.day, 28))
            if date > today || date < earliest {
                problems.append(error("date", "date_out_of_range", "Ngày thăm không ở tương lai và không quá một năm trước", "The visit's date is not in the future nor over a year ago"))
            }
        } else {
            problems.append(error("date", "bad_date", "Ngày thăm theo dạng YYYY-MM-DD", "The visit's date as YYYY-MM-DD"))
        }
        let help = list(object["help"], field: "help", Help.init(rawValue:), into: &problems)
        let barriers = list(object["barriers"], field: "barriers", Barrier.init(rawValue:), into: &problems)
        var outcome: VisitOutcome?
        if let raw = object["outcome"], !(raw is NSNull) {
            outcome = (raw as? String).flatMap(VisitOutcome.init(rawValue:))
            if outcome == nil { problems.append(error("outcome", "bad_outcome", "Kết quả: done, follow_up hoặc refused", "Outcome: done, follow_up or refused")) }
        }
        let note = text(object["note"], field: "note", max: 500, required: false, into: &problems, what: ("Ghi chú", "The note"))
        if looksLikeIDNumber(note) {
            problems.append(error("note", "id_number", "Không ghi số căn cước, CMND", "No ID-card numbers"))
        }
        var corrects: String?
        if let raw = object["corrects"], !(raw is NSNull) { corrects = uuid(raw, field: "corrects", into: &problems) }
        var followUp: FollowUp?
        if let raw = object["followUp"], !(raw is NSNull), let date { followUp = self.followUp(raw, visitDate: date, into: &problems) }
        guard problems.isEmpty, let id, let household, let date else { return nil }
        return VisitRecord(id: id, content: .init(
            household: household, date: date, help: help, barriers: barriers, outcome: outcome, note: note, corrects: corrects, followUp: followUp))
    }

    /// `{"action": "vneid_level2_at_police", "due": "YYYY-MM-DD"}`, due on the visit's day or within a year after it.
    static func followUp(_ raw: Any, visitDate: Day, into problems: inout [FieldError]) -> FollowUp? {
        guard let object = raw as? [String: Any], let action = (object["action"] as? String).flatMap(FollowUpAction.init(rawValue:)) else {
            problems.append(error("followUp.action", "bad_follow_up", "Việc hẹn lại không nằm trong danh sách", "The follow-up is not one of the list"))
            return nil
        }
        guard let due = (object["due"] as? String).flatMap(Day.init(iso:)), due >= visitDate, due <= visitDate.adding(days: 366) else {
            problems.append(error("followUp.due", "bad_due_date", "Ngày hẹn theo dạng YYYY-MM-DD, từ ngày thăm đến một năm sau", "The follow-up's date as YYYY-MM-DD, from the visit's day to a year after"))
            return nil
        }
        return FollowUp(action: action, due: due)
    }

    // MARK: Pieces

    static func uuid(_ raw: Any?, field: String, into problems: inout [FieldError]) -> String? {
        guard let text = raw as? String, let uuid = UUID(uuidString: text) else {
            problems.append(error(field, "bad_id", "Mã phải là một UUID", "The id must be a UUID"))
            return nil
        }
        return uuid.uuidString.lowercased()
    }

    /// JSON numbers that are whole (not booleans, which JSONSerialization also gives as NSNumber).
    static func integer(_ raw: Any) -> Int? {
        guard let number = raw as? NSNumber, !WebhookDecoders.isBoolean(number) else { return nil }
        let value = number.doubleValue
        guard value == value.rounded(), abs(value) < 1e9 else { return nil }
        return Int(value)
    }

    static func text(_ raw: Any?, field: String, max: Int, required: Bool, into problems: inout [FieldError], what: (String, String)) -> String {
        let value = (raw as? String).map(TextNormalization.clean) ?? ""
        if raw != nil, !(raw is NSNull), !(raw is String) {
            problems.append(error(field, "bad_text", "\(what.0) phải là chữ", "\(what.1) must be text"))
        } else if required && value.isEmpty {
            problems.append(error(field, "required", "\(what.0): bắt buộc", "\(what.1) is required"))
        } else if value.count > max {
            problems.append(error(field, "too_long", "\(what.0): tối đa \(max) ký tự", "\(what.1): at most \(max) characters"))
        } else if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) {
            problems.append(error(field, "control_character", "\(what.0) có ký tự điều khiển", "\(what.1) has a control character"))
        }
        return value
    }

    static func list<T: Hashable & RawRepresentable<String>>(_ raw: Any?, field: String, _ make: (String) -> T?, into problems: inout [FieldError]) -> [T] {
        guard let raw, !(raw is NSNull) else { return [] }
        guard let items = raw as? [Any], items.count <= 20 else {
            problems.append(error(field, "bad_list", "Phải là một danh sách", "Must be a list"))
            return []
        }
        var values: [T] = []
        for item in items {
            guard let value = (item as? String).flatMap(make) else {
                problems.append(error(field, "unknown_choice", "Có lựa chọn không nằm trong danh sách", "A choice is not in the list"))
                return []
            }
            if !values.contains(value) { values.append(value) }
        }
        return values.sorted { $0.rawValue < $1.rawValue }
    }

    /// A 9- or 12-digit number (CMND, CCCD) in free text, however it is written: digits of any
    /// script (full-width, Arabic-Indic…) and single spaces, dots or hyphens between them count
    /// ("079 123 456 789", "0 7 9 1 2 3 4 5 6 7 8 9"). A 10-digit phone number does not.
    public static func looksLikeIDNumber(_ text: String) -> Bool {
        let separators = " .-\u{00A0}\u{3000}".unicodeScalars
        var run = 0
        var gap = false
        for scalar in text.unicodeScalars {
            if scalar.properties.numericType == .decimal {
                run += 1
                gap = false
            } else if run > 0 && !gap && separators.contains(scalar) {
                gap = true
            } else {
                if run == 9 || run == 12 { return true }
                run = 0
                gap = false
            }
        }
        return run == 9 || run == 12
    }

    static func error(_ field: String, _ code: String, _ vi: String, _ en: String) -> FieldError {
        FieldError(field: field, code: code, message: LocalizedText(vi: vi, en: en))
    }

    static func error(_ field: String, _ code: String, _ text: (String, String)) -> FieldError {
        error(field, code, text.0, text.1)
    }

    /// Canonical JSON (sorted keys): equal content, equal bytes. What is stored and what is hashed.
    public static func canonicalJSON<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data()
    }

    /// SHA-256 of the content's canonical JSON: the same content, the same hash.
    public static func hash<T: Encodable>(_ content: T) -> String {
        Hex.lowercase(SHA256.hash(data: canonicalJSON(content)))
    }
}
