/// Trần Đề (Sóc Trăng) before and after the 1/7/2025 reorganisation, which abolished the district
/// level and merged Sóc Trăng into Cần Thơ (DESIGN.md §8). Codes of surviving communes were reused,
/// so a new version's id is its code with the day it began.
public enum TranDeUnits {
    public static let reorganisationDay = Day(year: 2025, month: 7, day: 1)
    public static let lastDayBefore = Day(year: 2025, month: 6, day: 30)

    public static let units: [AdminUnit] = {
        func before(_ code: String, _ name: String, _ type: UnitType, parent: String?) -> AdminUnit {
            AdminUnit(id: code, code: code, name: name, type: type, parentID: parent, validFrom: nil, validTo: lastDayBefore)
        }
        func after(_ code: String, _ name: String) -> AdminUnit {
            AdminUnit(id: newID(code), code: code, name: name, type: .commune, parentID: "92",
                      validFrom: reorganisationDay, validTo: nil)
        }
        return [
            AdminUnit(id: "92", code: "92", name: "Thành phố Cần Thơ", type: .city, parentID: nil, validFrom: nil, validTo: nil),
            before("94", "Tỉnh Sóc Trăng", .province, parent: nil),
            before("951", "Huyện Trần Đề", .district, parent: "94"),
            before("31672", "Xã Đại Ân 2", .commune, parent: "951"),
            before("31673", "Thị trấn Trần Đề", .township, parent: "951"),
            before("31675", "Xã Liêu Tú", .commune, parent: "951"),
            before("31678", "Xã Lịch Hội Thượng", .commune, parent: "951"),
            before("31679", "Thị trấn Lịch Hội Thượng", .township, parent: "951"),
            before("31681", "Xã Trung Bình", .commune, parent: "951"),
            before("31687", "Xã Tài Văn", .commune, parent: "951"),
            before("31696", "Xã Viên An", .commune, parent: "951"),
            before("31699", "Xã Thạnh Thới An", .commune, parent: "951"),
            before("31702", "Xã Thạnh Thới Thuận", .commune, parent: "951"),
            before("31705", "Xã Viên Bình", .commune, parent: "951"),
            after("31673", "Xã Trần Đề"),
            after("31675", "Xã Liêu Tú"),
            after("31679", "Xã Lịch Hội Thượng"),
            after("31687", "Xã Tài Văn"),
            after("31699", "Xã Thạnh Thới An"),
        ]
    }()

    /// New commune ← the former units it absorbed (itself included where the code was reused).
    public static let merges: [(new: String, former: [String])] = [
        ("31673", ["31673", "31672", "31681"]),
        ("31675", ["31675", "31705"]),
        ("31679", ["31679", "31678"]),
        ("31687", ["31687", "31696"]),
        ("31699", ["31699", "31702"]),
    ]

    public static let successions: [UnitSuccession] = {
        var edges = [UnitSuccession(predecessorID: "94", successorID: "92", effective: reorganisationDay)]
        for merge in merges {
            for former in merge.former {
                edges.append(UnitSuccession(predecessorID: former, successorID: newID(merge.new), effective: reorganisationDay))
            }
        }
        return edges
    }()

    public static func newID(_ code: String) -> String { "\(code)@2025-07-01" }

    public static var tree: UnitTree { UnitTree(units: units, successions: successions) }
}

extension TranDeUnits {
    /// The communes as they were in 01/2024, where the demo's 57 teams work.
    public static let teamCommunes = ["31672", "31673", "31675", "31678", "31679", "31681", "31687", "31696", "31699", "31702", "31705"]
    public static let demoHamletsPerCommune = 6

    /// Demo hamlets (khóm in a township), their names invented and marked as such: six per
    /// commune, each in two versions — under the commune as it was until 30/6/2025, and under the
    /// commune it merged into since 1/7/2025 — with a succession edge, so a household recorded
    /// before the merger follows its hamlet.
    public static let demoHamlets: (units: [AdminUnit], successions: [UnitSuccession]) = {
        var units: [AdminUnit] = []
        var edges: [UnitSuccession] = []
        for commune in teamCommunes {
            let township = commune == "31673" || commune == "31679"
            let mergedInto = merges.first { $0.former.contains(commune) }?.new ?? commune
            for number in 1...demoHamletsPerCommune {
                let code = "\(commune)-\(number)"
                let name = "\(township ? "Khóm" : "Ấp") \(number) (tên minh hoạ)"
                units.append(AdminUnit(id: code, code: code, name: name, type: .hamlet, parentID: commune, validFrom: nil, validTo: lastDayBefore))
                let current = AdminUnit(id: newID(code), code: code, name: name, type: .hamlet, parentID: newID(mergedInto),
                                        validFrom: reorganisationDay, validTo: nil)
                units.append(current)
                edges.append(UnitSuccession(predecessorID: code, successorID: current.id, effective: reorganisationDay))
            }
        }
        return (units, edges)
    }()

    /// The hamlet a demo team serves: team n works in hamlet n / 11 + 1 of commune n % 11.
    public static func demoHamletID(ofTeam index: Int) -> String {
        newID("\(teamCommunes[index % teamCommunes.count])-\(index / teamCommunes.count + 1)")
    }
}
