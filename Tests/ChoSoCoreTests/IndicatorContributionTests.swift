import ChoSoCore
import Testing

@Suite struct IndicatorContributionTests {
    func day(_ iso: String) -> Day { Day(iso: iso)! }

    /// Sums every bucket run of a cover over a day-by-day table filed the way the store files it.
    func sum(_ ranges: [IndicatorBucketRange], filed days: [Day: Int64]) -> Int64 {
        var buckets: [IndicatorGrain: [String: Int64]] = [:]
        for (day, value) in days {
            for grain in IndicatorGrain.allCases { buckets[grain, default: [:]][grain.bucket(day), default: 0] += value }
        }
        return ranges.reduce(0) { total, range in
            total + (buckets[range.grain] ?? [:]).filter { $0.key >= range.first && $0.key <= range.last }.values.reduce(0, +)
        }
    }

    @Test func aCoverCountsEveryDayOfTheRangeOnceAndNoOther() {
        // One a day from 2023-11-20 to 2026-02-10: a range's sum is its number of days.
        var days: [Day: Int64] = [:]
        var cursor = day("2023-11-20")
        while cursor <= day("2026-02-10") { days[cursor] = 1; cursor = cursor.adding(days: 1) }
        let cases: [(String?, String)] = [
            (nil, "2025-06-30"), (nil, "2025-12-31"), ("2025-03-14", "2025-05-10"), ("2024-03-14", "2025-05-10"),
            ("2024-12-05", "2025-01-03"), ("2025-02-01", "2025-02-28"), ("2025-02-03", "2025-02-03"), ("2024-01-01", "2025-12-31"),
            ("2023-12-31", "2026-01-01"),
        ]
        for (from, to) in cases {
            let first = from.map(day) ?? day("2023-11-20")
            let expected = Int64(first.daysThrough(day(to)))
            #expect(sum(IndicatorBucketRange.cover(from: from.map(day), to: day(to)), filed: days) == expected, "\(from ?? "…") → \(to)")
        }
        #expect(IndicatorBucketRange.cover(from: day("2025-03-02"), to: day("2025-03-01")).isEmpty)
        // Whole years and months are read as such: a few rows, not a row a day.
        #expect(IndicatorBucketRange.cover(from: nil, to: day("2026-11-30")).count == 2)
    }

    func content(hamlet: String, adults: Int, smartphones: Int, broadband: Bool = false) -> HouseholdRecord.Content {
        HouseholdRecord.Content(
            hamlet: hamlet, address: "1 ấp 1", headName: "Thạch Sà Rươl", phone: nil, members: adults + 1, adults: adults, language: .km,
            checklist: ["smartphone": ChecklistAnswer(count: smartphones, evidence: .seen), "broadband": ChecklistAnswer(count: broadband ? 1 : 0, evidence: .seen)],
            barriers: [])
    }

    @Test func aNewVersionMovesTheHouseholdsFiguresFromItsDay() {
        let contribution = IndicatorContribution.household(versions: [
            (day("2025-05-02"), content(hamlet: "31672-1", adults: 3, smartphones: 0)),
            (day("2025-08-10"), content(hamlet: TranDeUnits.newID("31672-1"), adults: 3, smartphones: 2, broadband: true)),
        ], visits: [], isDuplicate: false)
        let counts = contribution.counts
        #expect(counts[IndicatorCountKey(unit: "31672-1", measure: "households.registered", day: day("2025-05-02"))] == 1)
        #expect(counts[IndicatorCountKey(unit: "31672-1", measure: "households.registered", day: day("2025-08-10"))] == -1)
        #expect(counts[IndicatorCountKey(unit: TranDeUnits.newID("31672-1"), measure: "adults.smartphone", day: day("2025-08-10"))] == 2)
        #expect(counts[IndicatorCountKey(unit: TranDeUnits.newID("31672-1"), measure: "households.broadband", day: day("2025-08-10"))] == 1)
        // The checklist never counts more adults than the household has.
        let capped = IndicatorContribution.household(versions: [(day("2025-05-02"), content(hamlet: "h", adults: 2, smartphones: 9))], visits: [], isDuplicate: false)
        #expect(capped.counts[IndicatorCountKey(unit: "h", measure: "adults.smartphone", day: day("2025-05-02"))] == 2)
    }

    @Test func aCorrectedVisitAndADuplicateHouseholdCountNowhere() {
        let visits = [
            HouseholdVisitFact(id: "a", hamlet: "h", date: day("2026-10-03"), corrects: nil),
            HouseholdVisitFact(id: "b", hamlet: "h", date: day("2026-10-09"), corrects: "a"),
            HouseholdVisitFact(id: "c", hamlet: "h", date: day("2026-11-02"), corrects: nil),
        ]
        let versions = [(day: day("2026-09-01"), content: content(hamlet: "h", adults: 2, smartphones: 1))]
        let counts = IndicatorContribution.household(versions: versions, visits: visits, isDuplicate: false).counts
        #expect(counts[IndicatorCountKey(unit: "h", measure: "visits", day: day("2026-10-03"))] == nil)
        #expect(counts[IndicatorCountKey(unit: "h", measure: "visits", day: day("2026-10-09"))] == 1)
        // Visited from the first visit that still counts.
        #expect(counts[IndicatorCountKey(unit: "h", measure: "households.visited", day: day("2026-10-09"))] == 1)
        #expect(IndicatorContribution.household(versions: versions, visits: visits, isDuplicate: true).counts.isEmpty)
    }

    @Test func replacingAContributionChangesOnlyWhatDiffers() {
        let old = IndicatorContribution([IndicatorCountKey(unit: "h", measure: "visits", day: day("2026-10-03")): 1,
                                         IndicatorCountKey(unit: "h", measure: "households.registered", day: day("2026-09-01")): 1])
        let new = IndicatorContribution([IndicatorCountKey(unit: "h", measure: "visits", day: day("2026-10-03")): 2,
                                         IndicatorCountKey(unit: "h", measure: "households.registered", day: day("2026-09-01")): 1])
        #expect(new.difference(from: old) == [IndicatorCountKey(unit: "h", measure: "visits", day: day("2026-10-03")): 1])
        #expect(IndicatorContribution().difference(from: old).values.sorted() == [-1, -1])
    }

    @Test func anOcopProductCountsWhileTheDecisionInForceIsValid() {
        let decisions = [(date: day("2022-05-01"), validUntil: day("2025-04-30"), stars: 3), (date: day("2025-06-15"), validUntil: day("2028-06-14"), stars: 4)]
        #expect(IndicatorRegisters.ocopStars(decisions: decisions, on: day("2024-01-01")) == 3)
        #expect(IndicatorRegisters.ocopStars(decisions: decisions, on: day("2025-05-20")) == nil)
        #expect(IndicatorRegisters.ocopStars(decisions: decisions, on: day("2026-11-30")) == 4)
        #expect(IndicatorRegisters.ocopStars(decisions: decisions, on: day("2022-04-30")) == nil)
        #expect(IndicatorRegisters.serves(activeFrom: "2025-01-01", activeTo: nil, on: day("2026-01-01")))
        #expect(!IndicatorRegisters.serves(activeFrom: "2025-01-01", activeTo: "2025-12-31", on: day("2026-01-01")))
    }

    @Test func noTargetIsReachedWhereThereIsNothingToDivideBy() {
        let definition = IndicatorDefinition.seeded.first { $0.code == "KT-02" }!
        let result = IndicatorResult.evaluate(definition, counts: MeasureCounts(), baseline: nil, target: 8_000)
        #expect(result.gap == nil && result.valueHundredths == nil)
    }

    @Test func typedNumbersDatesAndPercentagesAreReadAsOfficersWriteThem() {
        #expect(IndicatorInputs.wholeNumber("8.150") == 8150 && IndicatorInputs.wholeNumber("8 150") == 8150 && IndicatorInputs.wholeNumber("1250") == 1250)
        // A dot that does not group thousands is not one: "2.5" is refused, never read as 25.
        for bad in ["2.5", "12.34.567", "1.2345", ".500", "1..000", "-5", "1e3", "٣"] { #expect(IndicatorInputs.wholeNumber(bad) == nil, "\(bad)") }
        #expect(IndicatorInputs.day("01/04/2025") == Day(year: 2025, month: 4, day: 1))
        // A workbook's date cell arrives as its serial number.
        #expect(IndicatorInputs.day("45748") == Day(year: 2025, month: 4, day: 1))
        #expect(IndicatorInputs.percentHundredths("80,5") == 8050 && IndicatorInputs.percentHundredths("100,01") == nil)
        #expect(IndicatorResult.text(5050, unit: .percent) == "50,5 %" && IndicatorResult.text(5005, unit: .percent) == "50,05 %" && IndicatorResult.text(8000, unit: .percent) == "80 %")
    }

    @Test func aRewordedSourceOrANewIndicatorIsNotLateData() {
        func result(_ code: String, _ n: Int64, source: String) -> IndicatorResult {
            var definition = IndicatorDefinition.seeded[0]
            definition.code = code
            return IndicatorResult.evaluate(definition, counts: MeasureCounts([definition.numerator: n]), baseline: IndicatorBaseline(value: 100, source: source), target: nil)
        }
        let frozen = IndicatorSnapshot(results: ["u": ["XH-01": result("XH-01", 5, source: "Chi cục Thống kê")]])
        let reworded = IndicatorSnapshot(results: ["u": ["XH-01": result("XH-01", 5, source: "Chi cục Thống kê (sửa)"), "XH-09": result("XH-09", 1, source: "x")]])
        #expect(reworded.changes(since: frozen, codes: ["XH-01"]).isEmpty)
        #expect(reworded.changes(since: frozen).map(\.code) == ["XH-09"])
        let late = IndicatorSnapshot(results: ["u": ["XH-01": result("XH-01", 6, source: "Chi cục Thống kê")]])
        #expect(late.changes(since: frozen, codes: ["XH-01"]).map(\.code) == ["XH-01"])
    }
}
