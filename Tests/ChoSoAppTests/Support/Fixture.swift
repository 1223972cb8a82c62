import ChoSoCore
import Fluent
import Foundation
import Vapor
@testable import ChoSoApp

/// A small world for HTTP tests: Trần Đề's units; market A (Ngan Rô, in Đại Ân 2) with stalls 1
/// and 2; street B (Lịch Hội Thượng) with stall P1; a team; one user and token per role, plus a
/// second market manager, merchant and officer who must not see A.
struct Fixture {
    static let password = "correct horse battery"

    var marketA: String
    var marketB: String
    var stallA1: String
    var stallA2: String
    var stallB1: String
    var team: String
    /// Bearer tokens by name: admin, officer, officerElsewhere, managerA, managerB, merchantA1,
    /// merchantB1, teamMember.
    var tokens: [String: String]

    static func make(_ app: Application) async throws -> Fixture {
        let db = app.db
        try await UnitService(database: db).upsert(units: TranDeUnits.units, successions: TranDeUnits.successions, on: db)
        let marketA = MarketModel(name: "Chợ Ngan Rô", kind: .market, unitID: "31672", address: "Ấp Ngan Rô")
        let marketB = MarketModel(name: "Đoạn đường Lịch Hội Thượng", kind: .street, unitID: "31679", address: "Lịch Hội Thượng")
        try await marketA.create(on: db)
        try await marketB.create(on: db)
        func stall(_ market: MarketModel, _ number: String, _ name: String) async throws -> StallModel {
            let fields = try RegistryValidation.validate(StallInput(number: number, name: name, keeperName: "Nguyễn Thị Ba")).get()
            let model = StallModel(marketID: try market.requireID(), fields: fields)
            try await model.create(on: db)
            return model
        }
        let a1 = try await stall(marketA, "1", "Trái cây Cô Ba")
        let a2 = try await stall(marketA, "2", "Cá tươi Chú Tư")
        let b1 = try await stall(marketB, "P1", "Cà phê Anh Khánh")
        let account = try RegistryValidation.validate(ReceivingAccountInput(
            kind: "bank", bin: "970405", accountNumber: "1234567890123", holderName: "Nguyễn Thị Ba")).get()
        try await ReceivingAccountModel(stallID: try a1.requireID(), fields: account).create(on: db)
        let team = TeamModel(name: "Tổ CNSCĐ ấp Ngan Rô", unitID: "31672")
        try await team.create(on: db)

        let accounts = AccountService(database: db, hasher: app.password.async, config: app.choSoConfig)
        let users: [(String, Role, [String])] = [
            ("admin", .admin, []),
            ("officer", .officer, [TranDeUnits.newID("31673")]),
            ("officerElsewhere", .officer, [TranDeUnits.newID("31699")]),
            ("managerA", .marketManager, [try marketA.requireID().uuidString]),
            ("managerB", .marketManager, [try marketB.requireID().uuidString]),
            ("merchantA1", .merchant, [try a1.requireID().uuidString]),
            ("merchantB1", .merchant, [try b1.requireID().uuidString]),
            ("teamMember", .teamMember, [try team.requireID().uuidString]),
        ]
        var tokens: [String: String] = [:]
        for (name, role, scope) in users {
            let user = try await accounts.createUser(.init(
                username: name.lowercased(), displayName: name, password: password, role: role, scope: scope))
            tokens[name] = try await accounts.issueToken(for: try user.requireID(), name: "test").1
        }
        return Fixture(
            marketA: try marketA.requireID().uuidString, marketB: try marketB.requireID().uuidString,
            stallA1: try a1.requireID().uuidString, stallA2: try a2.requireID().uuidString,
            stallB1: try b1.requireID().uuidString, team: try team.requireID().uuidString, tokens: tokens)
    }
}
