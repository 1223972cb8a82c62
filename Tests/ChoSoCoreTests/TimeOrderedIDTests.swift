import Foundation
import Testing
@testable import ChoSoCore

/// Transfer and delivery ids sort by when they were made, so that the intake's inserts land at
/// the right edge of their indexes (issue 19).
@Suite struct TimeOrderedIDTests {
    @Test func carriesVersionSevenAndTheMillisecondsFirst() {
        let id = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_764_662_400.123))
        let text = id.uuidString.lowercased()
        // 1,764,662,400,123 ms = 0x019A_DE13_547B
        #expect(text.hasPrefix("019ade13-547b-7"))
        let variant = text[text.index(text.startIndex, offsetBy: 19)]
        #expect("89ab".contains(variant))
    }

    @Test func laterIdsSortAfterEarlierOnesAsTextAndAsBytes() {
        var previous = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_700_000_000))
        for step in 1...2_000 {
            let next = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_700_000_000 + Double(step) * 0.001))
            #expect(previous.uuidString < next.uuidString)
            #expect(withUnsafeBytes(of: previous.uuid, Array.init).lexicographicallyPrecedes(withUnsafeBytes(of: next.uuid, Array.init)))
            previous = next
        }
    }

    @Test func idsOfTheSameMillisecondDiffer() {
        let moment = Date(timeIntervalSince1970: 1_764_662_400)
        let ids = Set((0..<20_000).map { _ in TimeOrderedID.make(at: moment) })
        #expect(ids.count == 20_000)
    }
}
