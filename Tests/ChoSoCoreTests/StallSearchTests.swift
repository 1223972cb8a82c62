import ChoSoCore
import Testing

/// The stall list's search box.
@Suite struct StallSearchTests {
    @Test func findsByAnyFieldWithoutAccents() throws {
        let search = try #require(StallSearch("co ba"))
        #expect(search.matches(number: "12", name: "Trái cây Cô Ba", trade: nil, keeper: "Lê Thị Ba", phone: nil, accountNumbers: []))
        #expect(!search.matches(number: "13", name: "Cá tươi", trade: "Cá", keeper: "Trần Văn Hai", phone: nil, accountNumbers: ["0123"]))
        #expect(try #require(StallSearch("0918222")).matches(number: "7", name: "Rau", trade: nil, keeper: "An", phone: nil, accountNumbers: ["0918222333"]))
        #expect(try #require(StallSearch("12")).matches(number: "12", name: "x", trade: nil, keeper: "y", phone: nil, accountNumbers: []))
        #expect(StallSearch("   ") == nil)
        #expect(StallSearch(nil) == nil)
    }
}
