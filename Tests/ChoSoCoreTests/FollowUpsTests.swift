import Testing
@testable import ChoSoCore

@Suite struct FollowUpsTests {
    let today = Day(year: 2026, month: 11, day: 30)
    let police = FollowUpAction.vneidLevel2AtPolice

    func visit(_ id: String, _ household: String, _ day: Int, due: Int? = nil) -> FollowUps.Visit {
        FollowUps.Visit(id: id, household: household, date: Day(year: 2026, month: 11, day: day),
                        followUp: due.map { FollowUp(action: police, due: Day(year: 2026, month: 12, day: $0)) })
    }

    @Test func aVisitTheSameDayLeavesTheFollowUpOpenAndALaterDayClosesIt() {
        // Three visits of one day arrive in any order: the appointment stays.
        let sameDay = [visit("b", "h", 30), visit("a", "h", 30, due: 7), visit("c", "h", 30)]
        #expect(FollowUps.open(sameDay, today: today).map(\.visit) == ["a"])
        #expect(FollowUps.open(sameDay.reversed(), today: today).map(\.visit) == ["a"])
        let kept = [visit("a", "h", 20, due: 1), visit("d", "h", 25)]
        #expect(FollowUps.open(kept, today: today).isEmpty)
    }

    @Test func theLatestFollowUpCountsAndAPastDueOneIsOverdue() {
        let visits = [visit("a", "h", 10, due: 3), visit("b", "h", 12, due: 5), visit("c", "k", 1)]
        let open = FollowUps.open(visits, today: Day(year: 2026, month: 12, day: 6))
        #expect(open.map(\.visit) == ["b"])
        #expect(open.first?.isOverdue == true)
        #expect(FollowUpAction.suggested(after: [.vneidLevel1]) == .vneidLevel2AtPolice)
        #expect(FollowUpAction.suggested(after: [.vneidLevel1, .vneidLevel2]) == nil)
    }
}
