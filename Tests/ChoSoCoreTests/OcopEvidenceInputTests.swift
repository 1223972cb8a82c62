import ChoSoCore
import Testing

@Suite struct OcopEvidenceInputTests {
    let today = OcopTests.day("2025-03-01")

    @Test func aPaperNeedsItsKindNumberIssuerAndAPastDate() {
        let good = OcopEvidenceInput(kind: "food_safety", number: " 12/2024/ATTP-CNĐK ", issuer: "Chi cục ATVSTP Sóc Trăng", issuedOn: "2024-05-02")
        guard case .valid(let clean) = good.validate(today: today) else { Issue.record("refused"); return }
        #expect(clean.kind == .foodSafety && clean.number == "12/2024/ATTP-CNĐK" && clean.issuedOn == OcopTests.day("2024-05-02"))
        let bad = OcopEvidenceInput(kind: "diploma", number: "", issuer: String(repeating: "x", count: 121), issuedOn: "2025-03-02")
        #expect(Set(bad.validate(today: today).errors.map(\.field)) == ["kind", "number", "issuer", "issuedOn"])
        #expect(OcopEvidenceInput(kind: "trademark", number: "1", issuer: "Cục SHTT", issuedOn: "02/05/2024").validate(today: today).errors.map(\.field) == ["issuedOn"])
    }
}
