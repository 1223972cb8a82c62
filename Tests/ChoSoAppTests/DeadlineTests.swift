import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import ChoSoApp

/// A deadline answers in time, and what the operation brings after it is not dropped on the floor
/// (a late PostgreSQL connection was never closed: PostgresNIO's debug assertion ended test runs).
@Suite struct DeadlineTests {
    @Test func aResultAfterTheDeadlineGoesToLate() async throws {
        let arrivedLate = NIOLockedValueBox<[Int]>([])
        await #expect(throws: DeadlinePassed.self) {
            _ = try await withDeadline(.milliseconds(50), {
                // Like a connection attempt, it finishes whether or not it was cancelled.
                try? await Task.sleep(for: .milliseconds(300))
                return 7
            }, late: { value in arrivedLate.withLockedValue { $0.append(value) } })
        }
        for _ in 0..<100 where arrivedLate.withLockedValue({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(arrivedLate.withLockedValue { $0 } == [7])
    }

    @Test func aResultInTimeIsTheAnswerAndNothingIsLate() async throws {
        let arrivedLate = NIOLockedValueBox<[Int]>([])
        let value = try await withDeadline(.seconds(5), { 3 }, late: { value in arrivedLate.withLockedValue { $0.append(value) } })
        #expect(value == 3)
        try await Task.sleep(for: .milliseconds(50))
        #expect(arrivedLate.withLockedValue { $0 }.isEmpty)
    }
}
