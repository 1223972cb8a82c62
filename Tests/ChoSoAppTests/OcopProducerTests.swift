import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// The `producer` role (issue 16): their own products' sale facts, their shop's live screen and
/// the orders paid by QR — and nothing of anyone else's.
@Suite struct OcopProducerTests {
    /// Khô cá kèo Đại Ân's producer sells through market A's stall 1 and signs in as `khocakeo`.
    static func setUp(_ app: Application) async throws -> (Fixture, Browser) {
        let fixture = try await OcopPagesTests.setUp(app)
        let product = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first())
        let producer = try #require(try await OcopProducerModel.find(product.producerID, on: app.db))
        producer.stallID = UUID(uuidString: fixture.stallA1)
        try await producer.save(on: app.db)
        let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
        _ = try await accounts.createUser(.init(username: "khocakeo", displayName: "Cơ sở khô cá kèo", password: Fixture.password,
                                                role: .producer, scope: [try producer.requireID().uuidString]))
        let browser = Browser(app)
        try await browser.login("khocakeo")
        return (fixture, browser)
    }

    @Test func aProducerSeesAndEditsTheSaleFactsOfTheirOwnProductsOnly() async throws {
        try await withTestApp { app in
            let (fixture, producer) = try await Self.setUp(app)
            let home = try await producer.get("/")
            #expect(home.headers.first(name: .location) == "/ocop/register")
            let page = try await producer.get("/ocop/register")
            #expect(page.status == .ok && page.text.contains("Sản phẩm OCOP của tôi"))
            #expect(page.text.contains("kho-ca-keo-dai-an") && !page.text.contains("gao-thom-st25") && !page.text.contains("tom-kho-tran-de"))
            // No annex import: recognition is the officers'.
            #expect(!page.text.contains(#"id="ocop-import""#))
            #expect(try await producer.get("/ocop/register/gao-thom-st25").status == .notFound)
            #expect(try await producer.post("/ocop/register/gao-thom-st25", [("name", "Của tôi"), ("price", "1")]).status == .notFound)

            let form = try await producer.get("/ocop/register/kho-ca-keo-dai-an")
            #expect(form.text.contains(#"id="recognised-facts""#) && !form.text.contains(#"name="groupCode""#))
            // Lapsing within 90 days: the producer is told to apply again; buyers only that it lapses soon.
            #expect(form.text.contains(#"id="ocop-renew-reminder""#) && form.text.contains("hãy nộp hồ sơ đánh giá lại"))
            let publicPage = try await Browser(app).get("/ocop/kho-ca-keo-dai-an").text
            #expect(publicPage.contains("sắp hết hạn") && !publicPage.contains("hãy nộp hồ sơ"))
            // A forged form that renames the product and moves its group keeps both; the price is theirs.
            let saved = try await producer.post("/ocop/register/kho-ca-keo-dai-an", [
                ("name", "Khô cá kèo 5 sao"), ("groupCode", "I.1"), ("price", "140.000"), ("availability", "in_stock"),
                ("description", "Cá kèo phơi một nắng."), ("netQuantity", "500 g"), ("ingredients", "Cá kèo, muối"), ("usage", "Chiên"),
                ("storage", "Ngăn đá"), ("shelfLife", "3 tháng"), ("origin", "Việt Nam"), ("responsibleEntity", "Cơ sở khô cá kèo"),
            ])
            #expect(saved.status == .seeOther)
            let product = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first())
            #expect(product.name == "Khô cá kèo Đại Ân" && product.groupCode != "I.1" && product.price == 140_000)

            // Importing a decision (stars!) is refused and stores nothing.
            let before = try await OcopCertificateModel.query(on: app.db).count()
            let annex = OcopImportTests.annex([["1", "Khô cá kèo", "Cơ sở khô cá kèo Đại Ân 2 (demo)", "Đại Ân 2", "I.2", "5"]])
            let imported = try await producer.upload("/ocop/register/import", fields: [
                ("number", "99/QĐ-UBND"), ("date", "2026-01-05"), ("issuer", "UBND tỉnh"), ("level", "province"),
                ("unit", TranDeUnits.newID("31673")), ("action", "import"),
            ], file: (field: "file", name: "annex.xlsx", type: "application/octet-stream", bytes: annex))
            #expect(imported.status != .ok && imported.status != .seeOther)
            #expect(try await OcopCertificateModel.query(on: app.db).count() == before)
            // The markets list has nothing of theirs (their shop's market included).
            let markets = try await producer.get("/markets")
            #expect(!markets.text.contains(fixture.marketA) && !markets.text.contains(fixture.marketB))
            #expect(try await producer.get("/markets/\(fixture.marketA)").status == .notFound)
        }
    }

    @Test func aProducerWatchesTheirShopAndSeesTheOrdersPaidByQR() async throws {
        try await withTestApp { app in
            let (fixture, producer) = try await Self.setUp(app)
            #expect(try await producer.get("/stalls/\(fixture.stallA1)/live").status == .ok)
            #expect(try await producer.get("/stalls/\(fixture.stallA2)/live").status == .notFound)
            #expect(try await producer.get("/stalls/\(fixture.stallB1)/today").status == .notFound)
            #expect(try await producer.get("/ocop/register").text.contains(#"href="/stalls/\#(fixture.stallA1)/live""#))

            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: IntakeTests.genericSecret)
            try await IntakeTests.transfer(app, connection.path, id: "ocop-order-1", amount: 120_000, description: "MBVCB.77.MUA KHO CA KEO DAI AN.CT")
            try await IntakeTests.transfer(app, connection.path, id: "ocop-order-2", amount: 35_000, description: "tien trai cay")
            let page = try await producer.get("/ocop/register")
            let orders = try #require(page.text.range(of: #"id="ocop-orders""#))
            let table = String(page.text[orders.lowerBound...].prefix(2_000))
            #expect(table.contains("Khô cá kèo Đại Ân") && table.contains("120.000"))
            #expect(table.contains("35.000"))

            // Another producer's login (no shop) sees neither the orders nor the live screen.
            let other = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "gao-thom-st25").first())
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            _ = try await accounts.createUser(.init(username: "gaost25", displayName: "Gạo", password: Fixture.password,
                                                    role: .producer, scope: [other.producerID.uuidString]))
            let rice = Browser(app)
            try await rice.login("gaost25")
            let ricePage = try await rice.get("/ocop/register")
            #expect(!ricePage.text.contains("120.000") && !ricePage.text.contains(#"id="ocop-orders""#))
            #expect(try await rice.get("/stalls/\(fixture.stallA1)/live").status == .notFound)
            // A producer login needs a producer that exists.
            await #expect(throws: AppError.self) {
                _ = try await accounts.createUser(.init(username: "nobody", displayName: "x", password: Fixture.password,
                                                        role: .producer, scope: [UUID().uuidString]))
            }
        }
    }

    @Test func theRegisterAPIGivesEachKeeperTheirProductsAndPatchesOnlyWhatIsGiven() async throws {
        try await withTestApp { app in
            let (fixture, _) = try await Self.setUp(app)
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            let producerUser = try #require(try await UserModel.query(on: app.db).filter(\.$username == "khocakeo").first())
            let producerToken = try await accounts.issueToken(for: try producerUser.requireID(), name: "api").1

            let own = try await app.api(.GET, "/api/v1/ocop/register", token: producerToken)
            #expect(own.status == .ok)
            let items = try JSONDecoder().decode([OcopRegisterItemDTO].self, from: Data(own.body.readableBytesView))
            // Absent values are null, never left out (the OpenAPI document requires every key).
            let officerRaw = try await app.api(.GET, "/api/v1/ocop/register", token: fixture.tokens["admin"]).body.string
            #expect(officerRaw.contains(#""reminder":null"#))
            #expect(items.map(\.slug) == ["kho-ca-keo-dai-an"] && items[0].reminder == "within90" && items[0].validity == "valid")
            let officer = try await app.api(.GET, "/api/v1/ocop/register", token: fixture.tokens["officer"])
            let officerItems = try JSONDecoder().decode([OcopRegisterItemDTO].self, from: Data(officer.body.readableBytesView))
            // Expired products are the officer's to see (the public API leaves them out).
            #expect(officerItems.contains { $0.slug == "tom-kho-tran-de" && $0.validity == "expired" && $0.reminder == "expired" })
            #expect(officerItems.contains { $0.slug == "kho-ca-keo-dai-an" } && !officerItems.contains { $0.slug == "mam-ca-loc-khmer" })
            for name in ["merchantA1", "managerA", "teamMember"] {
                #expect(try await app.api(.GET, "/api/v1/ocop/register", token: fixture.tokens[name]).status == .notFound, "\(name)")
            }
            #expect(try await app.api(.GET, "/api/v1/ocop/register").status == .unauthorized)

            // A patch changes what it names; a producer's rename is ignored; a bad field changes nothing.
            let patched = try await app.api(.PATCH, "/api/v1/ocop/products/kho-ca-keo-dai-an", token: producerToken,
                                             json: #"{"price": 125000, "storage": "Ngăn đá tủ lạnh", "name": "Khô cá kèo 5 sao"}"#)
            #expect(patched.status == .ok, "\(patched.body.string)")
            let product = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first())
            #expect(product.price == 125_000 && product.storage == "Ngăn đá tủ lạnh" && product.name == "Khô cá kèo Đại Ân" && product.ingredients == "Cá kèo, muối")
            for body in [#"{"price": -5}"#, #"{"availability": "sold"}"#, #"{"price": "many"}"#, "{\"storage\": "] {
                let refused = try await app.api(.PATCH, "/api/v1/ocop/products/kho-ca-keo-dai-an", token: producerToken, json: body)
                #expect([400, 422].contains(refused.status.code), "\(body): \(refused.status)")
            }
            #expect(try await OcopProductModel.find(product.id, on: app.db)?.price == 125_000)
            // The officer may rename; another producer's product is not there for this producer.
            let renamed = try await app.api(.PATCH, "/api/v1/ocop/products/kho-ca-keo-dai-an", token: fixture.tokens["officer"],
                                            json: #"{"name": "Khô cá kèo Đại Ân loại 1"}"#)
            let renamedName = try await OcopProductModel.find(product.id, on: app.db)?.name
            #expect(renamed.status == .ok && renamedName == "Khô cá kèo Đại Ân loại 1")
            #expect(try await app.api(.PATCH, "/api/v1/ocop/products/gao-thom-st25", token: producerToken, json: #"{"price": 1}"#).status == .notFound)
            #expect(try await app.api(.PATCH, "/api/v1/ocop/products/gao-thom-st25", token: fixture.tokens["managerA"], json: #"{"price": 1}"#).status == .notFound)
        }
    }
}
