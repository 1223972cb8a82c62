import ChoSoCore
import Crypto
import Fluent
import Foundation
import Vapor
import VietQR

/// `choso seed --demo`: Trần Đề before and after 1/7/2025, Ngan Rô market with 50 stalls, the
/// Lịch Hội Thượng cashless street with 20 shops, 57 digital teams with 367 members, and one login
/// per role (DESIGN.md §8), and the month of market activity before the seeding day (`DemoActivity`). Names and account numbers are invented. Running it again changes nothing:
/// every row has an id derived from its name and is only inserted when missing.
public enum DemoSeed {
    public struct Login: Sendable {
        public var username: String
        public var password: String
        public var role: Role
        public var note: String
        /// False when the account was already there: its password may no longer be the demo's.
        public var created = true
    }

    public static let password = "chosodemo"
    static let nganRoID = demoID("market/ngan-ro")
    static let streetID = demoID("market/lich-hoi-thuong-street")
    /// The commune's OCOP shop: one stall per producer that takes payments (Gạo thơm ST25's).
    static let ocopShopID = demoID("market/ocop-tran-de")
    static var ocopRiceStallID: UUID { stallID(market: ocopShopID, number: "1") }

    public static func run(on app: Application) async throws -> [Login] {
        let hasher = app.password.async
        let passwordHash = try await hasher.hash(password).get()
        let tree = TranDeUnits.tree
        return try await app.db.transaction { db in
            try await UnitService(database: db).upsert(units: TranDeUnits.units, successions: TranDeUnits.successions, on: db)
            let hamlets = TranDeUnits.demoHamlets
            try await UnitService(database: db).upsert(units: hamlets.units, successions: hamlets.successions, on: db)
            try await seedMarket(
                id: nganRoID, name: "Chợ Ngan Rô", kind: .market, unitID: "31672",
                address: "Ấp Ngan Rô, xã Đại Ân 2, huyện Trần Đề, Sóc Trăng (nay xã Trần Đề, TP Cần Thơ)",
                stalls: nganRoStalls, on: db)
            try await seedMarket(
                id: streetID, name: "Đoạn đường thanh toán không dùng tiền mặt Lịch Hội Thượng", kind: .street, unitID: "31679",
                address: "Đường 30 Tháng 4, thị trấn Lịch Hội Thượng, huyện Trần Đề (nay xã Lịch Hội Thượng, TP Cần Thơ)",
                stalls: streetShops, on: db)
            try await seedMarket(
                id: ocopShopID, name: "Gian hàng OCOP xã Trần Đề", kind: .ocopShop, unitID: "31673",
                address: "Bán trực tuyến qua trang sản phẩm OCOP (ấp Cảng, Trần Đề)",
                stalls: [DemoStall(number: "1", trade: "Gạo thơm ST25", keeper: "Cơ sở lúa gạo Trần Đề", fullName: "Trần Văn Lúa", bin: "970405")], on: db)
            let firstTeam = try await seedTeams(tree: tree, on: db)
            let timeZone = app.choSoConfig.timeZone
            try await DemoOcop.seed(on: db, today: Day(Date(), in: timeZone), photos: app.ocopPhotos)
            try await DemoActivity.seed(on: db, today: Day(Date(), in: timeZone), timeZone: timeZone)
            try await DemoFees.seed(on: db, today: Day(Date(), in: timeZone), timeZone: timeZone)
            let logins: [(Login, String?)] = [
                (Login(username: "admin", password: password, role: .admin, note: "toàn hệ thống / everything"), nil),
                (Login(username: "canbo.trande", password: password, role: .officer, note: "Xã Trần Đề (từ 1/7/2025)"), TranDeUnits.newID("31673")),
                (Login(username: "bql.nganro", password: password, role: .marketManager, note: "Chợ Ngan Rô"), nganRoID.uuidString),
                // A second board member, so that the two-person rule can be tried as shipped.
                (Login(username: "bql2.nganro", password: password, role: .marketManager, note: "Chợ Ngan Rô (người thứ hai / second member)"), nganRoID.uuidString),
                (Login(username: "quay12.nganro", password: password, role: .merchant, note: "Quầy 12 — Trái cây Cô Ba"), stallID(market: nganRoID, number: "12").uuidString),
                // The rice producer: their products, and the money buyers pay to their OCOP shop stall.
                (Login(username: "ocop.st25", password: password, role: .producer, note: "Chủ thể OCOP — Gạo thơm ST25"), DemoOcop.riceProducerID.uuidString),
                (Login(username: "to.daian2", password: password, role: .teamMember, note: "Tổ công nghệ số cộng đồng"), firstTeam.uuidString),
                (Login(username: "totruong.daian2", password: password, role: .teamMember, note: "Tổ trưởng tổ công nghệ số cộng đồng"), firstTeam.uuidString),
            ]
            var result: [Login] = []
            for (login, scope) in logins {
                guard try await UserModel.query(on: db).filter(\.$username == login.username).first() == nil else {
                    result.append(Login(username: login.username, password: login.password, role: login.role, note: login.note, created: false))
                    continue
                }
                result.append(login)
                let user = UserModel(
                    id: demoID("user/\(login.username)"), username: login.username,
                    displayName: displayName(for: login), passwordHash: passwordHash, role: login.role)
                try await user.create(on: db)
                if let scope { try await UserScopeModel(userID: try user.requireID(), scopeID: scope).create(on: db) }
            }
            try await seedTeamWork(team: firstTeam, today: Day(Date(), in: timeZone), timeZone: timeZone, on: db)
            try await DemoIndicators.seed(on: db, today: Day(Date(), in: timeZone), timeZone: timeZone)
            return result
        }
    }

    private static func displayName(for login: Login) -> String {
        switch login.role {
        case .admin: "Quản trị ChoSo"
        case .officer: "Cán bộ xã Trần Đề"
        case .marketManager: login.username == "bql2.nganro" ? "Phó ban quản lý chợ Ngan Rô" : "Ban quản lý chợ Ngan Rô"
        case .merchant: "Nguyễn Thị Ba"
        case .producer: "Trần Văn Lúa (gạo ST25)"
        case .teamMember: login.username.hasPrefix("totruong") ? "Tổ trưởng tổ CNSCĐ" : "Tổ viên tổ CNSCĐ"
        }
    }

    // MARK: Markets and stalls

    struct DemoStall {
        var number: String
        var trade: String
        var keeper: String
        var fullName: String
        var bin: String?
    }

    private static func seedMarket(
        id: UUID, name: String, kind: MarketKind, unitID: String, address: String, stalls: [DemoStall], on db: any Database
    ) async throws {
        if try await MarketModel.find(id, on: db) == nil {
            try await MarketModel(id: id, name: name, kind: kind, unitID: unitID, address: address).create(on: db)
        }
        var random = SplitMix64(seed: UInt64(name.utf8.count))
        for stall in stalls {
            let phone = "09" + random.digits(8)
            let stallID = stallID(market: id, number: stall.number)
            guard try await StallModel.find(stallID, on: db) == nil else { continue }
            let fields = try RegistryValidation.validate(StallInput(
                number: stall.number, name: "\(stall.trade) \(stall.keeper)", trade: stall.trade,
                keeperName: stall.fullName, phone: phone)).get()
            try await StallModel(id: stallID, marketID: id, fields: fields).create(on: db)
            guard let bin = stall.bin, let bank = BankDirectory.bundled.bank(bin: bin) else { continue }
            // Mobile Money accounts are the keeper's phone number; bank accounts 13 digits.
            let accountNumber = bank.kind == .bank ? "1" + random.digits(12) : phone
            let account = try RegistryValidation.validate(ReceivingAccountInput(
                kind: bank.accountKind.rawValue, bin: bin, accountNumber: accountNumber,
                holderName: stall.fullName, displayName: stall.fullName)).get()
            try await ReceivingAccountModel(id: demoID("account/\(stallID)"), stallID: stallID, fields: account).create(on: db)
        }
    }

    static func stallID(market: UUID, number: String) -> UUID { demoID("stall/\(market)/\(number)") }

    /// Banks and wallets the stalls are paid through, as at a real Mekong Delta market.
    static let receivingBINs = ["970405", "971005", "970436", "970418", "971011", "970415", "970403", "970422", "970407", "970423"]

    static let nganRoStalls: [DemoStall] = {
        let trades = ["Trái cây", "Cá tươi", "Rau củ", "Nước giải khát", "Gạo", "Thịt heo", "Tạp hóa", "Bánh kẹo", "Hủ tiếu", "Quần áo"]
        let keepers: [(String, String)] = [
            ("Cô Hai", "Trần Thị Hai"), ("Chú Tư", "Lê Văn Tư"), ("Dì Năm", "Nguyễn Thị Năm"), ("Anh Sáu", "Phạm Văn Sáu"),
            ("Chị Bảy", "Huỳnh Thị Bảy"), ("Bà Tám", "Võ Thị Tám"), ("Ông Chín", "Đặng Văn Chín"), ("Cô Mười", "Bùi Thị Mười"),
            ("Chú Út", "Đỗ Văn Út"), ("Chị Sa Ly", "Thạch Thị Sa Ly"), ("Anh Sơn", "Lâm Văn Sơn"), ("Cô Ba", "Nguyễn Thị Ba"),
            ("Chị Phương", "Sơn Thị Phương"), ("Anh Danh", "Danh Hoàng"), ("Cô Lan", "Lý Thị Lan"), ("Chú Hùng", "Trương Văn Hùng"),
            ("Dì Hoa", "Châu Thị Hoa"), ("Anh Tâm", "Kim Văn Tâm"), ("Chị Mai", "Tô Thị Mai"), ("Bà Sáu", "Triệu Thị Sáu"),
            ("Cô Thảo", "Dương Thị Thảo"), ("Chú Lộc", "Hồ Văn Lộc"), ("Chị Ngọc", "Quách Thị Ngọc"), ("Anh Phúc", "Thái Văn Phúc"),
            ("Cô Hằng", "Mai Thị Hằng"),
        ]
        return (1...50).map { number in
            // Stall 12 is Cô Ba's fruit stall, the example the product's screens use.
            let (keeper, fullName) = number == 12 ? ("Cô Ba", "Nguyễn Thị Ba") : keepers[(number * 7) % keepers.count]
            let trade = number == 12 ? "Trái cây" : trades[(number - 1) % trades.count]
            // Every ninth stall has not registered an account yet: the board sees who still needs help.
            let bin: String? = number % 9 == 0 ? nil : receivingBINs[number % receivingBINs.count]
            return DemoStall(number: String(number), trade: trade, keeper: keeper, fullName: fullName, bin: bin)
        }
    }()

    static let streetShops: [DemoStall] = {
        let trades = ["Cà phê", "Tạp hóa", "Tiệm vàng", "Điện thoại", "Thuốc tây", "Bánh mì", "Vật tư nông nghiệp", "Sửa xe", "Cơm tấm", "Trà sữa"]
        let keepers: [(String, String)] = [
            ("Anh Khánh", "Lâm Quốc Khánh"), ("Chị Diễm", "Trần Thị Diễm"), ("Chú Thành", "Lý Văn Thành"), ("Cô Bích", "Phan Thị Bích"),
            ("Anh Vũ", "Sơn Minh Vũ"), ("Chị Thu", "Nguyễn Thị Thu"), ("Chú Tài", "Huỳnh Văn Tài"),
        ]
        return (1...20).map { number in
            let (keeper, fullName) = keepers[number % keepers.count]
            return DemoStall(
                number: "P\(number)", trade: trades[(number - 1) % trades.count], keeper: keeper, fullName: fullName,
                bin: receivingBINs[(number + 3) % receivingBINs.count])
        }
    }()

    // MARK: Teams

    /// 57 teams with 367 members over the communes as they were in 01/2024. Returns the first team.
    private static func seedTeams(tree: UnitTree, on db: any Database) async throws -> UUID {
        let communes = ["31672", "31673", "31675", "31678", "31679", "31681", "31687", "31696", "31699", "31702", "31705"]
        let surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Thạch", "Lâm", "Sơn", "Danh", "Lý", "Kim"]
        let middles = ["Văn", "Thị", "Minh", "Ngọc", "Quốc", "Thanh"]
        let givens = ["An", "Bình", "Cường", "Dung", "Giang", "Hạnh", "Khoa", "Linh", "Nhân", "Oanh", "Quyên", "Sang", "Tiến", "Uyên", "Vy", "Xuân", "Yến"]
        var random = SplitMix64(seed: 2024)
        var firstTeam: UUID?
        for index in 0..<57 {
            let unitID = communes[index % communes.count]
            let unitName = tree.units[unitID]?.name ?? unitID
            let teamID = demoID("team/\(index)")
            if firstTeam == nil { firstTeam = teamID }
            guard try await TeamModel.find(teamID, on: db) == nil else { continue }
            let hamlet = index / communes.count + 1
            try await TeamModel(id: teamID, name: "Tổ công nghệ số cộng đồng ấp \(hamlet), \(unitName)", unitID: unitID).create(on: db)
            try await TeamHamletModel(teamID: teamID, unitID: TranDeUnits.demoHamletID(ofTeam: index)).create(on: db)
            // 25 teams of 7 and 32 of 6: 367 members.
            let size = index < 25 ? 7 : 6
            for member in 0..<size {
                let name = "\(surnames[random.next(below: surnames.count)]) \(middles[random.next(below: middles.count)]) \(givens[random.next(below: givens.count)])"
                let row = TeamMemberModel(id: demoID("team/\(index)/member/\(member)"), teamID: teamID, fullName: name, phone: "08" + random.digits(8))
                row.role = (member == 0 ? TeamRole.leader : member == 1 ? .deputy : .member).rawValue
                row.affiliation = Affiliation.allCases[(index + member) % Affiliation.allCases.count].rawValue
                row.activeFrom = "2024-01-15"
                try await row.create(on: db)
            }
        }
        return firstTeam!
    }

    /// The first team's leader and a member sign in as `totruong.daian2` and `to.daian2`; their
    /// hamlet gets its households, visits and targets.
    private static func seedTeamWork(team: UUID, today: Day, timeZone: TimeZone, on db: any Database) async throws {
        var people: [CurrentUser] = []
        for (username, member) in [("totruong.daian2", 0), ("to.daian2", 2)] {
            guard let user = try await UserModel.query(on: db).filter(\.$username == username).first(), let userID = user.id,
                  let row = try await TeamMemberModel.find(demoID("team/0/member/\(member)"), on: db)
            else { return }
            row.userID = userID
            try await row.save(on: db)
            people.append(CurrentUser(
                id: userID, username: username, displayName: user.displayName, role: .teamMember, scope: [team.uuidString], proof: .session))
        }
        try await DemoCommunity.seed(
            on: db, team: team, hamlet: TranDeUnits.demoHamletID(ofTeam: 0), member: people[1], leader: people[0], today: today, timeZone: timeZone)
    }

    /// A stable id for a demo row, so that seeding twice finds what the first run made.
    static func demoID(_ name: String) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("choso-demo/\(name)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50   // version 5 layout (name-based)
        bytes[8] = (bytes[8] & 0x3F) | 0x80   // RFC 4122 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
