import ChoSoCore
import Testing

@Suite struct AccessPolicyTests {
    let stallA1 = Resource.stall(id: "a1", marketID: "A", units: ["31672", "951", "94", "31673@2025-07-01", "92"])
    let marketA = Resource.market(id: "A", units: ["31672", "951", "94", "31673@2025-07-01", "92"])
    let teamT = Resource.team(id: "T", units: ["31672"])

    @Test func adminMayDoEverything() {
        let admin = Principal(userID: "u", role: .admin)
        for action in Action.allCases {
            for resource in [stallA1, marketA, teamT, .administration, .unitTree, .apiToken(ownerID: "other")] {
                #expect(AccessPolicy.decide(admin, action, resource) == .allow)
            }
        }
    }

    @Test func officerReadsTheirSubtreeOnlyAndChangesNothing() {
        let officer = Principal(userID: "u", role: .officer, scope: ["31673@2025-07-01"])
        #expect(AccessPolicy.decide(officer, .read, stallA1) == .allow)
        #expect(AccessPolicy.decide(officer, .read, marketA) == .allow)
        #expect(AccessPolicy.decide(officer, .read, teamT) == .hidden)
        #expect(AccessPolicy.decide(officer, .update, stallA1) == .forbidden)
        #expect(AccessPolicy.decide(officer, .create, stallA1) == .forbidden)
        let elsewhere = Principal(userID: "u", role: .officer, scope: ["31699@2025-07-01"])
        #expect(AccessPolicy.decide(elsewhere, .read, stallA1) == .hidden)
    }

    @Test func marketManagerRunsTheirOwnMarketsStalls() {
        let manager = Principal(userID: "u", role: .marketManager, scope: ["A"])
        for action in Action.allCases { #expect(AccessPolicy.decide(manager, action, stallA1) == .allow) }
        #expect(AccessPolicy.decide(manager, .update, marketA) == .allow)
        #expect(AccessPolicy.decide(manager, .create, marketA) == .forbidden)
        let other = Principal(userID: "u", role: .marketManager, scope: ["B"])
        #expect(AccessPolicy.decide(other, .read, stallA1) == .hidden)
        #expect(AccessPolicy.decide(other, .update, stallA1) == .hidden)
        #expect(AccessPolicy.decide(manager, .read, .administration) == .forbidden)
    }

    @Test func merchantSeesOnlyTheirStallAndCannotTellOthersExist() {
        let merchant = Principal(userID: "u", role: .merchant, scope: ["a1"])
        #expect(AccessPolicy.decide(merchant, .read, stallA1) == .allow)
        #expect(AccessPolicy.decide(merchant, .update, stallA1) == .forbidden)
        let other = Resource.stall(id: "a2", marketID: "A", units: ["31672"])
        for action in Action.allCases { #expect(AccessPolicy.decide(merchant, action, other) == .hidden) }
        #expect(AccessPolicy.decide(merchant, .read, marketA) == .hidden)
    }

    @Test func onlyTheKeeperRingsUpSales() {
        let sales = Resource.stallSales(stallID: "a1", marketID: "A", units: ["31672", "31673@2025-07-01"])
        let keeper = Principal(userID: "u", role: .merchant, scope: ["a1"])
        #expect(AccessPolicy.decide(keeper, .create, sales) == .allow)
        #expect(AccessPolicy.decide(keeper, .read, sales) == .allow)
        let otherKeeper = Principal(userID: "u", role: .merchant, scope: ["a2"])
        #expect(AccessPolicy.decide(otherKeeper, .read, sales) == .hidden)
        #expect(AccessPolicy.decide(otherKeeper, .create, sales) == .hidden)
        let manager = Principal(userID: "u", role: .marketManager, scope: ["A"])
        #expect(AccessPolicy.decide(manager, .read, sales) == .allow)
        #expect(AccessPolicy.decide(manager, .create, sales) == .forbidden)
        let officer = Principal(userID: "u", role: .officer, scope: ["31673@2025-07-01"])
        #expect(AccessPolicy.decide(officer, .read, sales) == .allow)
        #expect(AccessPolicy.decide(officer, .create, sales) == .forbidden)
        #expect(AccessPolicy.decide(Principal(userID: "u", role: .teamMember, scope: ["T"]), .read, sales) == .hidden)
    }

    @Test func onlyTheMarketBoardHandlesItsIntake() {
        let intake = Resource.marketIntake(marketID: "A")
        let manager = Principal(userID: "u", role: .marketManager, scope: ["A"])
        for action in Action.allCases { #expect(AccessPolicy.decide(manager, action, intake) == .allow) }
        let otherManager = Principal(userID: "u", role: .marketManager, scope: ["B"])
        let officer = Principal(userID: "u", role: .officer, scope: ["31673@2025-07-01"])
        let keeper = Principal(userID: "u", role: .merchant, scope: ["a1"])
        let member = Principal(userID: "u", role: .teamMember, scope: ["T"])
        for principal in [otherManager, officer, keeper, member] {
            for action in Action.allCases { #expect(AccessPolicy.decide(principal, action, intake) == .hidden) }
        }
        #expect(AccessPolicy.decide(Principal(userID: "u", role: .admin, scope: []), .create, intake) == .allow)
    }

    @Test func teamMemberSeesTheirTeamOnly() {
        let member = Principal(userID: "u", role: .teamMember, scope: ["T"])
        #expect(AccessPolicy.decide(member, .read, teamT) == .allow)
        #expect(AccessPolicy.decide(member, .read, stallA1) == .hidden)
        #expect(AccessPolicy.decide(member, .read, .unitTree) == .allow)
        #expect(AccessPolicy.decide(member, .update, .unitTree) == .forbidden)
    }

    @Test func tokensBelongToTheirOwner() {
        let user = Principal(userID: "me", role: .merchant, scope: [])
        #expect(AccessPolicy.decide(user, .deactivate, .apiToken(ownerID: "me")) == .allow)
        #expect(AccessPolicy.decide(user, .deactivate, .apiToken(ownerID: "you")) == .hidden)
    }

    @Test func producerKeepsTheSaleFactsOfTheirOwnProductsAndWatchesTheirShopOnly() {
        let rice = Resource.ocopProduct(producerID: "P", units: ["31672", "951"])
        let other = Resource.ocopProduct(producerID: "Q", units: ["31672", "951"])
        let producer = Principal(userID: "u", role: .producer, scope: ["P"], receivingStalls: ["a1"])
        #expect(AccessPolicy.decide(producer, .read, rice) == .allow)
        #expect(AccessPolicy.decide(producer, .update, rice) == .allow)
        // New products and decisions are the officers' (the import); a producer cannot add stars.
        #expect(AccessPolicy.decide(producer, .create, rice) == .forbidden)
        #expect(AccessPolicy.decide(producer, .deactivate, rice) == .forbidden)
        for action in Action.allCases { #expect(AccessPolicy.decide(producer, action, other) == .hidden) }
        // Their shop's takings: watched and rung up; the stall itself (its account) is the board's.
        let shopSales = Resource.stallSales(stallID: "a1", marketID: "A", units: ["31672"])
        #expect(AccessPolicy.decide(producer, .read, shopSales) == .allow)
        #expect(AccessPolicy.decide(producer, .create, shopSales) == .allow)
        #expect(AccessPolicy.decide(producer, .read, stallA1) == .allow)
        #expect(AccessPolicy.decide(producer, .update, stallA1) == .forbidden)
        let neighbour = Resource.stallSales(stallID: "a2", marketID: "A", units: ["31672"])
        #expect(AccessPolicy.decide(producer, .read, neighbour) == .hidden)
        for resource in [marketA, teamT, .marketIntake(marketID: "A"), .household(hamletID: "h", teamIDs: ["T"], units: ["31672"])] {
            #expect(AccessPolicy.decide(producer, .read, resource) == .hidden)
        }
        #expect(AccessPolicy.decide(producer, .read, .administration) == .forbidden)
        // A producer id in a stall keeper's or officer's scope gives them nothing of the product.
        #expect(AccessPolicy.decide(Principal(userID: "u", role: .merchant, scope: ["P", "a1"]), .read, rice) == .hidden)
    }
}
