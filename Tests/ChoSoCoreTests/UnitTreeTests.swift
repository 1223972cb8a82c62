import ChoSoCore
import Testing

@Suite struct UnitTreeTests {
    let tree = TranDeUnits.tree
    let january2024 = Day(year: 2024, month: 1, day: 5)
    let august2025 = Day(year: 2025, month: 8, day: 1)

    @Test func before2025TheDistrictHoldsItsCommunes() {
        // Cần Thơ existed then too, without Sóc Trăng.
        #expect(tree.roots(on: january2024).map(\.code) == ["92", "94"])
        let district = tree.children(of: "94", on: january2024)
        #expect(district.map(\.name) == ["Huyện Trần Đề"])
        #expect(tree.children(of: "951", on: january2024).count == 11)
    }

    @Test func after1July2025CanThoHoldsTheMergedCommunes() {
        #expect(tree.roots(on: august2025).map(\.code) == ["92"])
        let communes = tree.children(of: "92", on: august2025)
        #expect(communes.map(\.code) == ["31673", "31675", "31679", "31687", "31699"])
        #expect(communes.first?.name == "Xã Trần Đề")
        #expect(tree.children(of: "951", on: august2025).isEmpty)
    }

    @Test func aReusedCodeIsTwoUnits() {
        let old = tree.units["31673"]
        let new = tree.units[TranDeUnits.newID("31673")]
        #expect(old?.name == "Thị trấn Trần Đề")
        #expect(new?.name == "Xã Trần Đề")
        #expect(old?.isValid(on: TranDeUnits.lastDayBefore) == true)
        #expect(old?.isValid(on: TranDeUnits.reorganisationDay) == false)
    }

    @Test func recordsFollowSuccession() {
        #expect(tree.current("31672", on: january2024).map(\.name) == ["Xã Đại Ân 2"])
        #expect(tree.current("31672", on: august2025).map(\.name) == ["Xã Trần Đề"])
        #expect(tree.current("31705", on: august2025).map(\.name) == ["Xã Liêu Tú"])
    }

    @Test func lineageReachesFormerAndCurrentParents() {
        let lineage = tree.lineage(of: "31672")
        #expect(lineage == ["31672", "951", "94", TranDeUnits.newID("31673"), "92"])
        #expect(!tree.lineage(of: "31679").contains(TranDeUnits.newID("31673")))
    }

    @Test(arguments: ["2025-02-29", "2025-13-01", "2025-1-01", "20250101", "", "2024-02-30"])
    func impossibleDaysAreRejected(text: String) {
        #expect(Day(iso: text) == nil)
    }

    @Test func daysParseAndPrint() {
        #expect(Day(iso: "2024-02-29")?.vietnamese == "29/02/2024")
        #expect(Day(iso: "2025-07-01") == TranDeUnits.reorganisationDay)
    }
}
