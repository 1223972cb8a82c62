import ChoSoCore
import Testing

@Suite struct IndicatorViewTests {
    let tree = UnitTree(units: TranDeUnits.units + TranDeUnits.demoHamlets.units,
                        successions: TranDeUnits.successions + TranDeUnits.demoHamlets.successions)
    let before = Day(year: 2025, month: 3, day: 1)
    let after = Day(year: 2026, month: 11, day: 30)

    /// Households recorded before the merger (old hamlets of Đại Ân 2, TT Trần Đề, Trung Bình)
    /// and after it (new hamlets of Xã Trần Đề), with a market attached to the new commune.
    var counts: [String: MeasureCounts] {
        [
            "31672-1": MeasureCounts(["households": 40, "smartphone": 30]),
            "31673-2": MeasureCounts(["households": 25, "smartphone": 20]),
            "31681-3": MeasureCounts(["households": 10, "smartphone": 4]),
            TranDeUnits.newID("31672-1"): MeasureCounts(["households": 5, "smartphone": 5]),
            TranDeUnits.newID("31673"): MeasureCounts(["markets": 1]),
            "31675-1": MeasureCounts(["households": 7, "smartphone": 7]),
        ]
    }

    @Test func theNewAndTheFormerTreeAddUpToTheSameAfterTheMerger() {
        let current = IndicatorView(tree: tree, asOf: after, version: .current).rollUp(counts)
        let former = IndicatorView(tree: tree, asOf: after, version: .beforeReorganisation).rollUp(counts)
        let tranDe = current[TranDeUnits.newID("31673")]
        #expect(tranDe?["households"] == 80 && tranDe?["smartphone"] == 59 && tranDe?["markets"] == 1)
        // The former district holds the same households as the new communes made of its communes.
        let newCommunes = ["31673", "31675"].map { current[TranDeUnits.newID($0)]?["households"] ?? 0 }.reduce(0, +)
        #expect(former["951"]?["households"] == newCommunes && newCommunes == 87)
        // Former communes, side by side: the new hamlet's households go back to Đại Ân 2's hamlet;
        // the market attached to the new Xã Trần Đề to the former commune of the same code.
        #expect(former["31672"]?["households"] == 45 && former["31673"]?["households"] == 25 && former["31681"]?["households"] == 10)
        #expect(former["31673"]?["markets"] == 1 && former["31672"]?["markets"] == 0)
        #expect(former["31672"].map { $0["households"] + former["31673"]!["households"] + former["31681"]!["households"] } == tranDe?["households"])
        // The province above each tree: Sóc Trăng then, Cần Thơ now.
        #expect(former["94"]?["households"] == 87 && current["92"]?["households"] == 87)
    }

    @Test func beforeTheMergerOnlyWhatExistedThenCounts() {
        let current = IndicatorView(tree: tree, asOf: before, version: .current).rollUp(counts)
        let former = IndicatorView(tree: tree, asOf: before, version: .beforeReorganisation).rollUp(counts)
        #expect(current == former)
        #expect(current["31672"]?["households"] == 45 && current["951"]?["markets"] == 1)
        #expect(current[TranDeUnits.newID("31673")] == nil)
    }

    @Test func anUnknownUnitIsLeftOutRatherThanCountedTwice() {
        let view = IndicatorView(tree: tree, asOf: after, version: .current)
        #expect(view.placement(of: "no-such-unit") == nil)
        #expect(view.rollUp(["no-such-unit": MeasureCounts(["households": 3])]).isEmpty)
        #expect(view.placement(of: "31672-1") == TranDeUnits.newID("31672-1"))
        #expect(view.chain(from: TranDeUnits.newID("31672-1")) == [TranDeUnits.newID("31672-1"), TranDeUnits.newID("31673"), "92"])
    }
}

@Suite struct IndicatorResultTests {
    let smartphones = IndicatorDefinition(code: "XH-01", name: LocalizedText(vi: "Tỷ lệ hộ có điện thoại thông minh", en: "Households with a smartphone"),
                                          pillar: .society, unit: .percent, numerator: "smartphone", denominator: .baseline("households"))

    @Test func aShareShowsNAndWhichNAndTheHouseholdsStillMissing() {
        let official = IndicatorBaseline(value: 1_200, source: "Chi cục Thống kê, 01/04/2025")
        let result = IndicatorResult.evaluate(smartphones, counts: MeasureCounts(["smartphone": 888]), baseline: official, target: 8_000)
        #expect(result.numerator == 888 && result.denominator == 1_200 && result.denominatorSource == "Chi cục Thống kê, 01/04/2025")
        #expect(result.valueHundredths == 7_400 && result.gap == 72)   // 80 % of 1.200 = 960 households
        let reached = IndicatorResult.evaluate(smartphones, counts: MeasureCounts(["smartphone": 1_000]), baseline: official, target: 8_000)
        #expect(reached.gap == 0)
    }

    @Test func withoutAnNThereIsNoShareAndNoGap() {
        let result = IndicatorResult.evaluate(smartphones, counts: MeasureCounts(["smartphone": 5]), baseline: nil, target: 8_000)
        #expect(result.valueHundredths == nil && result.gap == nil && result.denominator == nil)
        let registered = IndicatorDefinition(code: "XH-02", name: LocalizedText(vi: "x", en: "x"), pillar: .society, unit: .percent,
                                             numerator: "smartphone", denominator: .measure("households"))
        let ofRegistered = IndicatorResult.evaluate(registered, counts: MeasureCounts(["smartphone": 40]), baseline: nil, target: nil)
        #expect(ofRegistered.denominator == 0 && ofRegistered.valueHundredths == nil && ofRegistered.denominatorSource == "measure:households")
    }

    @Test func aCountComparesWithItsTargetInItsOwnUnit() {
        let markets = IndicatorDefinition(code: "KT-01", name: LocalizedText(vi: "Chợ không dùng tiền mặt", en: "Cashless markets"),
                                          pillar: .economy, unit: .count, numerator: "markets", denominator: nil)
        let result = IndicatorResult.evaluate(markets, counts: MeasureCounts(["markets": 3]), baseline: nil, target: 5)
        #expect(result.valueHundredths == 3 && result.gap == 2)
    }
}

@Suite struct IndicatorCatalogueTests {
    @Test func everySeededIndicatorIsMadeOfKnownMeasuresAndBaselines() {
        let codes = IndicatorDefinition.seeded.map(\.code)
        #expect(Set(codes).count == codes.count)
        for indicator in IndicatorDefinition.seeded {
            #expect(IndicatorMeasure(rawValue: indicator.numerator) != nil, "\(indicator.code)")
            switch indicator.denominator {
            case .measure(let code)?: #expect(IndicatorMeasure(rawValue: code) != nil, "\(indicator.code)")
            case .baseline(let kind)?: #expect(IndicatorBaselineKind(rawValue: kind) != nil, "\(indicator.code)")
            case nil: #expect(indicator.unit != .percent, "\(indicator.code): a share needs an N")
            }
        }
        #expect(Set(IndicatorDefinition.seeded.map(\.pillar)) == Set(IndicatorPillar.allCases))
    }
}

@Suite struct IndicatorGapTextTests {
    @Test func theGapIsSaidInTheNumeratorsOwnUnit() {
        let smartphones = IndicatorDefinition.seeded.first { $0.code == "XH-01" }!
        let short = IndicatorResult.evaluate(smartphones, counts: MeasureCounts(["households.smartphone": 648]),
                                             baseline: IndicatorBaseline(value: 1_200, source: "x"), target: 8_000)
        #expect(short.gapText(numerator: .householdsSmartphone)?.vi == "Còn thiếu 312 hộ")
        let fees = IndicatorDefinition.seeded.first { $0.code == "KT-04" }!
        let money = IndicatorResult.evaluate(fees, counts: MeasureCounts(["fees.collected_cashless_dong": 1_000_000, "fees.billed_dong": 3_000_000]),
                                             baseline: nil, target: 5_000)
        #expect(money.gapText(numerator: .feesCollectedCashlessDong)?.vi == "Còn thiếu 500.000 đồng")
        let done = IndicatorResult.evaluate(smartphones, counts: MeasureCounts(["households.smartphone": 1_200]),
                                            baseline: IndicatorBaseline(value: 1_200, source: "x"), target: 8_000)
        #expect(done.gapText(numerator: .householdsSmartphone)?.vi == "Đạt chỉ tiêu")
        #expect(IndicatorResult.evaluate(smartphones, counts: MeasureCounts(), baseline: nil, target: nil).gapText(numerator: nil) == nil)
    }
}
