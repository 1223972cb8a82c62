import Foundation

/// A calendar day, independent of time zone: how units' validity and report dates are written.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2025-02-30.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The business day of an instant in a time zone (Asia/Ho_Chi_Minh for ChoSo).
    public init(_ date: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    /// The instant the business day begins in a time zone (its midnight).
    public func start(in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    // By hand, not `String(format:)`: the intake names the business day of every transfer it
    // stores, and the formatter was 4 % of a large statement's import.
    public var iso: String { Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2) }
    /// `dd/MM/yyyy`, as Vietnamese documents write dates.
    public var vietnamese: String { Self.padded(day, 2) + "/" + Self.padded(month, 2) + "/" + Self.padded(year, 4) }

    /// Zeros in front up to `width` digits (the values are never negative).
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.utf8.count >= width ? digits : String(repeating: "0", count: width - digits.utf8.count) + digits
    }
    public var description: String { iso }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

public enum UnitType: String, Sendable, Codable, CaseIterable {
    case province
    case city          // thành phố trực thuộc trung ương
    case district
    case commune       // xã
    case township      // thị trấn
    case ward          // phường
    case hamlet        // ấp, khóm: under a commune; households belong to one

    public var label: LocalizedText {
        switch self {
        case .province: LocalizedText(vi: "Tỉnh", en: "Province")
        case .city: LocalizedText(vi: "Thành phố", en: "City")
        case .district: LocalizedText(vi: "Huyện", en: "District")
        case .commune: LocalizedText(vi: "Xã", en: "Commune")
        case .township: LocalizedText(vi: "Thị trấn", en: "Township")
        case .ward: LocalizedText(vi: "Phường", en: "Ward")
        case .hamlet: LocalizedText(vi: "Ấp, khóm", en: "Hamlet")
        }
    }
}

/// One version of an administrative unit. Codes are reused across versions (31673 was Thị trấn
/// Trần Đề and is now Xã Trần Đề), so a unit version has its own id.
public struct AdminUnit: Sendable, Hashable, Codable {
    public var id: String
    public var code: String
    public var name: String
    public var type: UnitType
    public var parentID: String?
    /// First day the unit exists; nil when it predates every record ChoSo keeps.
    public var validFrom: Day?
    /// Last day the unit exists; nil while it still exists.
    public var validTo: Day?

    public init(id: String, code: String, name: String, type: UnitType, parentID: String?, validFrom: Day?, validTo: Day?) {
        self.id = id
        self.code = code
        self.name = name
        self.type = type
        self.parentID = parentID
        self.validFrom = validFrom
        self.validTo = validTo
    }

    public func isValid(on day: Day) -> Bool {
        (validFrom.map { $0 <= day } ?? true) && (validTo.map { day <= $0 } ?? true)
    }
}

/// "Unit A became (part of) unit B on a day": merges, renames and re-classifications.
public struct UnitSuccession: Sendable, Hashable, Codable {
    public var predecessorID: String
    public var successorID: String
    public var effective: Day

    public init(predecessorID: String, successorID: String, effective: Day) {
        self.predecessorID = predecessorID
        self.successorID = successorID
        self.effective = effective
    }
}

/// The versioned unit tree with the questions reports and access rules ask of it.
public struct UnitTree: Sendable {
    public let units: [String: AdminUnit]
    private let children: [String: [String]]
    private let successors: [String: [UnitSuccession]]
    /// Every succession edge, as given.
    public let successions: [UnitSuccession]

    public init(units: [AdminUnit], successions: [UnitSuccession]) {
        self.units = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var children: [String: [String]] = [:]
        for unit in units { if let parent = unit.parentID { children[parent, default: []].append(unit.id) } }
        self.children = children
        self.successors = Dictionary(grouping: successions, by: \.predecessorID)
        self.successions = successions
    }

    /// Units that exist on a day, with no parent valid on that day: the top of the tree then.
    public func roots(on day: Day) -> [AdminUnit] {
        units.values
            .filter { $0.isValid(on: day) && ($0.parentID.flatMap { units[$0] }.map { !$0.isValid(on: day) } ?? true) }
            .sorted(by: Self.byCode)
    }

    public func children(of id: String, on day: Day) -> [AdminUnit] {
        (children[id] ?? []).compactMap { units[$0] }.filter { $0.isValid(on: day) }.sorted(by: Self.byCode)
    }

    /// The unit a record attached to `id` belongs to on `day`: itself while valid, otherwise
    /// where succession edges lead by then. More than one when a unit was split.
    public func current(_ id: String, on day: Day) -> [AdminUnit] {
        var result: [AdminUnit] = []
        var seen: Set<String> = []
        var frontier = [id]
        while let next = frontier.popLast() {
            guard seen.insert(next).inserted, let unit = units[next] else { continue }
            if unit.isValid(on: day) {
                result.append(unit)
            } else {
                frontier += (successors[next] ?? []).filter { $0.effective <= day }.map(\.successorID)
            }
        }
        return result.sorted(by: Self.byCode)
    }

    /// The chain from a unit up to the top, each parent as the unit itself names it.
    public func ancestry(of id: String) -> [AdminUnit] {
        var chain: [AdminUnit] = []
        var cursor = units[id]
        while let unit = cursor, !chain.contains(unit) {
            chain.append(unit)
            cursor = unit.parentID.flatMap { units[$0] }
        }
        return chain
    }

    /// Every unit a record attached to `id` falls under, then or since: its parents at the time
    /// and, through succession, the units it became part of and their parents. An officer of any
    /// of them sees the record; a report on any of them counts it.
    public func lineage(of id: String) -> Set<String> {
        var lineage: Set<String> = []
        var frontier = [id]
        while let next = frontier.popLast() {
            guard lineage.insert(next).inserted, let unit = units[next] else { continue }
            if let parent = unit.parentID { frontier.append(parent) }
            frontier += (successors[next] ?? []).map(\.successorID)
        }
        return lineage.filter { units[$0] != nil }
    }

    /// The units that became `id` (through succession edges), e.g. the hamlet of a commune merged into `id`'s.
    public func predecessors(of id: String) -> [AdminUnit] {
        successions.filter { $0.successorID == id }.compactMap { units[$0.predecessorID] }.sorted(by: Self.byCode)
    }

    /// A unit's name, told apart from a sibling of the same name in force on `day` by where it came
    /// from ("Ấp 1 (trước đây Xã Đại Ân 2)"), or by its code when nothing tells them apart.
    public func distinctName(of id: String, on day: Day, formerly: (String) -> String) -> String {
        guard let unit = units[id] else { return id }
        let siblings = unit.parentID.map { children(of: $0, on: day) } ?? []
        guard siblings.contains(where: { $0.id != id && $0.name == unit.name }) else { return unit.name }
        if let former = predecessors(of: id).first?.parentID.flatMap({ units[$0] }) { return "\(unit.name) (\(formerly(former.name)))" }
        return "\(unit.name) (\(unit.code))"
    }

    /// The unit and every unit below it, over all versions.
    public func subtree(of id: String) -> Set<String> {
        var result: Set<String> = []
        var frontier = [id]
        while let next = frontier.popLast() {
            guard result.insert(next).inserted else { continue }
            frontier += children[next] ?? []
        }
        return result
    }

    private static func byCode(_ lhs: AdminUnit, _ rhs: AdminUnit) -> Bool {
        (lhs.code, lhs.name) < (rhs.code, rhs.name)
    }
}
