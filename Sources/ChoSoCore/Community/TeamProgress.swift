/// Progress against a team's targets, always counted from the household records, never typed in
/// (issue 14): a checklist item counts the people (or households) that have it today; the
/// "households visited" target counts the distinct households visited in the target's period.
public enum TeamProgress {
    public static let householdsVisited = "households_visited"

    public enum Period: String, Sendable, CaseIterable {
        case month, quarter, year

        /// The days of the period that starts on `start`.
        public func contains(_ day: Day, start: Day) -> Bool {
            let months = self == .month ? 1 : self == .quarter ? 3 : 12
            let startIndex = start.year * 12 + start.month - 1
            let dayIndex = day.year * 12 + day.month - 1
            return day >= start && dayIndex < startIndex + months
        }
    }

    public struct Target: Sendable, Hashable {
        public var item: String
        public var target: Int
        public var period: Period
        public var start: Day

        public init(item: String, target: Int, period: Period, start: Day) {
            self.item = item
            self.target = target
            self.period = period
            self.start = start
        }
    }

    public struct Row: Sendable, Hashable {
        public var target: Target
        public var done: Int
        public var remaining: Int { max(0, target.target - done) }
    }

    public struct Visit: Sendable, Hashable {
        public var household: String
        public var date: Day
        public init(household: String, date: Day) {
            self.household = household
            self.date = date
        }
    }

    public static func rows(targets: [Target], households: [HouseholdRecord.Content], visits: [Visit]) -> [Row] {
        targets.map { target in
            if target.item == householdsVisited {
                let visited = Set(visits.filter { target.period.contains($0.date, start: target.start) }.map(\.household))
                return Row(target: target, done: visited.count)
            }
            guard let item = ChecklistItem(rawValue: target.item) else { return Row(target: target, done: 0) }
            return Row(target: target, done: households.reduce(0) { $0 + ($1.answer(item)?.count ?? 0) })
        }
    }

    /// Distinct households visited on a day (a member's "hôm nay 6 hộ").
    public static func visited(on day: Day, _ visits: [Visit]) -> Int {
        Set(visits.filter { $0.date == day }.map(\.household)).count
    }
}
