import ChoSoCore
import Testing

@Suite struct OcopGroupTableTests {
    let existing: Set<String> = Set(OcopGroup.shipped.map(\.code))

    @Test func aCodeIsWrittenAsTheTableWritesItUnderAKnownParent() {
        guard case .valid(let group) = OcopGroup.validate(code: " i.2.E ", name: " Gạo  lứt ", existing: existing) else { Issue.record("refused"); return }
        #expect(group == OcopGroup(code: "I.2.e", name: "Gạo lứt"))
        guard case .valid(let top) = OcopGroup.validate(code: "vii", name: "Nhóm mới", existing: existing) else { Issue.record("refused"); return }
        #expect(top.code == "VII")
    }

    @Test func aMalformedCodeOrAMissingParentIsNamed() {
        for code in ["", "I..a", "I.2.ab", "A.1", "I.0", "I.123", "I.2.a.b", "I.x", "1.2"] {
            #expect(OcopGroup.validate(code: code, name: "x", existing: existing).errors.map(\.code) == ["bad_code"], "\(code)")
        }
        #expect(OcopGroup.validate(code: "I.9.a", name: "x", existing: existing).errors.map(\.code) == ["no_parent"])
        #expect(OcopGroup.validate(code: "I.2.a", name: "", existing: existing).errors.map(\.field) == ["name"])
    }
}
