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
        // "12" puts stall 12 first, then stalls with 12 in their number or name, then the rest.
        let twelve = try #require(StallSearch("12"))
        #expect(twelve.rank(number: "12", name: "Trái cây") == 0)
        #expect(twelve.rank(number: "120", name: "Cá") == 1)
        #expect(twelve.rank(number: "6", name: "Rau") == 2)
        #expect(StallSearch(nil) == nil)
    }
}
