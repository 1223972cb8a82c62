import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// What the officer types in by hand (issue 16): one product with its decision, a
/// re-recognition from the product's page, and the supporting papers.
@Suite struct OcopHandEntryTests {
    static let decision = [("number", "45/QĐ-UBND"), ("date", "2026-01-05"), ("issuer", "UBND tỉnh Sóc Trăng"), ("level", "province"),
                           ("unit", TranDeUnits.newID("31673"))]

    @Test func oneProductIsAddedWithItsDecisionAndABadFieldAddsNothing() async throws {
        try await withTestApp { app in
            _ = try await OcopPagesTests.setUp(app)
            let officer = Browser(app)
            try await officer.login("officer")
            #expect(try await officer.get("/ocop/register").text.contains(#"id="ocop-add""#))
            let products = try await OcopProductModel.query(on: app.db).count()
            let refused = try await officer.post("/ocop/register/add", [("name", "Củ cải muối"), ("producer", "HTX Đại Ân 2"), ("groupCode", "Z.9"),
                                                                          ("stars", "6"), ("number", ""), ("date", "2026-01-05"), ("issuer", "UBND tỉnh"),
                                                                          ("level", "province"), ("unit", TranDeUnits.newID("31673"))])
            #expect(refused.status == .unprocessableEntity && refused.text.contains(#"id="add-errors""#))
            #expect(refused.text.contains("số sao phải là 3, 4 hoặc 5") && refused.text.contains(#"id="add-error-number""#))
            #expect(refused.text.contains("Củ cải muối"))   // what was typed comes back
            #expect(try await OcopProductModel.query(on: app.db).count() == products)

            let fields = [("name", "Củ cải muối"), ("producer", "HTX Đại Ân 2"), ("address", "ấp Ngan Rô"), ("groupCode", "I.2"), ("stars", "3")] + Self.decision
            let added = try await officer.post("/ocop/register/add", fields)
            #expect(added.status == .seeOther)
            let product = try #require(try await OcopProductModel.query(on: app.db).filter(\.$name == "Củ cải muối").first())
            #expect(added.headers.first(name: .location) == "/ocop/register/\(product.slug)")
            let certificate = try #require(try await OcopCertificateModel.query(on: app.db).filter(\.$productID == product.requireID()).first())
            #expect(certificate.stars == 3 && certificate.validUntil == "2029-01-05" && certificate.renewsID == nil)
            // The same again (a double tap, a resend): nothing more.
            _ = try await officer.post("/ocop/register/add", fields)
            #expect(try await OcopProductModel.query(on: app.db).count() == products + 1)
            #expect(try await OcopCertificateModel.query(on: app.db).filter(\.$productID == product.requireID()).count() == 1)

            // Neither a producer nor another commune's officer records a decision here.
            for name in ["officerelsewhere", "managera"] {
                let other = Browser(app)
                try await other.login(name)
                try await other.get("/")
                let attempt = try await other.post("/ocop/register/add", [("name", "Sản phẩm lạ"), ("producer", "Ai đó"), ("groupCode", "I"), ("stars", "5")] + Self.decision)
                #expect(attempt.status != .seeOther, "\(name)")
            }
            #expect(try await OcopProductModel.query(on: app.db).filter(\.$name == "Sản phẩm lạ").count() == 0)
        }
    }

    @Test func aReRecognitionFromTheProductsPageRenewsTheDecisionInForce() async throws {
        try await withTestApp { app in
            _ = try await OcopPagesTests.setUp(app)
            let officer = Browser(app)
            try await officer.login("officer")
            let page = try await officer.get("/ocop/register/kho-ca-keo-dai-an")
            #expect(page.text.contains(#"id="ocop-renew""#))
            let product = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first())
            let producer = try #require(try await OcopProducerModel.find(product.producerID, on: app.db))
            let before = try #require(try await OcopCatalog(database: app.db).entry(slug: "kho-ca-keo-dai-an")?.current)
            let bad = try await officer.post("/ocop/register/add", [("from", "kho-ca-keo-dai-an"), ("name", product.name), ("producer", producer.name),
                                                                      ("groupCode", product.groupCode), ("stars", "4"), ("number", "46/QĐ-UBND"),
                                                                      ("date", "2099-01-01"), ("issuer", "UBND tỉnh"), ("level", "province"),
                                                                      ("unit", TranDeUnits.newID("31673"))])
            #expect(bad.status == .unprocessableEntity && bad.text.contains(#"id="decision-error""#))
            // The page's own product is renewed, whatever name a forged form carries.
            let rice = try await OcopCatalog(database: app.db).entry(slug: "gao-thom-st25")?.decisions.count
            let renewed = try await officer.post("/ocop/register/add", [("from", "kho-ca-keo-dai-an"), ("name", "Gạo thơm ST25"), ("producer", producer.name),
                                                                          ("groupCode", product.groupCode), ("stars", "4"), ("number", "46/QĐ-UBND"),
                                                                          ("date", "2026-01-05"), ("issuer", "UBND tỉnh"), ("level", "province"),
                                                                          ("unit", TranDeUnits.newID("31673"))])
            #expect(renewed.status == .seeOther && renewed.headers.first(name: .location) == "/ocop/register/kho-ca-keo-dai-an")
            let chain = try #require(try await OcopCatalog(database: app.db).entry(slug: "kho-ca-keo-dai-an"))
            #expect(chain.decisions.count == 2 && chain.current?.stars == 4 && chain.current?.renewsID == before.id)
            #expect(try await OcopCatalog(database: app.db).entry(slug: "gao-thom-st25")?.decisions.count == rice)
            // The public page: the decision replaced says so; only the one in force is "còn hiệu lực".
            let publicPage = try await Browser(app).get("/ocop/kho-ca-keo-dai-an").text
            let replaced = try #require(publicPage.components(separatedBy: "<li>").first { $0.contains("đã được thay bằng QĐ số 46/QĐ-UBND") })
            #expect(!replaced.prefix(while: { $0 != "<" }).contains("còn hiệu lực"))
            #expect(try await OcopProductModel.query(on: app.db).count() == 5)
        }
    }

    @Test func papersAreAddedOnceShownToBuyersAndABadOneIsNamed() async throws {
        try await withTestApp { app in
            let (_, producer) = try await OcopProducerTests.setUp(app)
            // The producer holds the papers and adds them; the re-recognition form is not theirs.
            #expect(!(try await producer.get("/ocop/register/kho-ca-keo-dai-an").text.contains(#"id="ocop-renew""#)))
            let paper = [("kind", "food_safety"), ("number", "12/2024/ATTP-CNĐK"), ("issuer", "Chi cục ATVSTP Sóc Trăng"), ("issuedOn", "2024-05-02")]
            #expect(try await producer.post("/ocop/register/kho-ca-keo-dai-an/evidence", paper).status == .seeOther)
            #expect(try await producer.post("/ocop/register/kho-ca-keo-dai-an/evidence", paper).status == .seeOther)
            #expect(try await OcopEvidenceModel.query(on: app.db).count() == 1)
            let bad = try await producer.post("/ocop/register/kho-ca-keo-dai-an/evidence", [("kind", "diploma"), ("number", ""), ("issuer", "x"), ("issuedOn", "2999-01-01")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains(#"id="evidence-error""#) && bad.text.contains("Ghi số giấy tờ"))
            #expect(try await OcopEvidenceModel.query(on: app.db).count() == 1)
            let page = try await Browser(app).get("/ocop/kho-ca-keo-dai-an")
            #expect(page.text.contains(#"id="ocop-papers""#) && page.text.contains("12/2024/ATTP-CNĐK") && page.text.contains("02/05/2024"))
            // Nobody else's product takes their papers.
            #expect(try await producer.post("/ocop/register/gao-thom-st25/evidence", paper).status == .notFound)
            let other = Browser(app)
            try await other.login("officerelsewhere")
            try await other.get("/")
            #expect(try await other.post("/ocop/register/kho-ca-keo-dai-an/evidence", paper + [("number", "x")]).status == .notFound)
        }
    }
}

/// What the probe of the release server found in the typed-in decisions (issue 16).
@Suite struct OcopDecisionRulesTests {
    static func post(_ browser: Browser, _ fields: [(String, String)]) async throws -> TestingHTTPResponse {
        try await browser.post("/ocop/register/add", fields)
    }

    @Test func anOfficerCannotReachAnotherCommunesProductThroughANameOrAnAnnex() async throws {
        try await withTestApp { app in
            _ = try await OcopPagesTests.setUp(app)
            let officer = Browser(app)
            try await officer.login("officer")
            try await officer.get("/ocop/register")
            // Mắm cá lóc Khmer is Lịch Hội Thượng's: re-recognising it from Trần Đề is refused, by name.
            let khmer = try #require(try await OcopCatalog(database: app.db).entry(slug: "mam-ca-loc-khmer"))
            let before = khmer.decisions.count
            let forged = try await Self.post(officer, [("from", "mam-ca-loc-khmer"), ("name", khmer.product.name), ("producer", khmer.producer.name),
                                                        ("groupCode", khmer.product.groupCode), ("stars", "3")] + OcopHandEntryTests.decision)
            #expect(forged.status != .seeOther)
            let direct = try await Self.post(officer, [("name", khmer.product.name), ("producer", khmer.producer.name), ("groupCode", "I"),
                                                        ("stars", "3")] + OcopHandEntryTests.decision)
            #expect(direct.status == .unprocessableEntity && direct.text.contains("ngoài phạm vi của bạn"))
            #expect(try await OcopCatalog(database: app.db).entry(slug: "mam-ca-loc-khmer")?.decisions.count == before)
            let annex = OcopImportTests.annex([["1", "Sản phẩm mới", khmer.producer.name, "", "I", "3"]])
            let imported = try await officer.upload("/ocop/register/import", fields: OcopHandEntryTests.decision + [("action", "import")],
                                                    file: ("file", "a.xlsx", "application/octet-stream", annex))
            #expect(imported.status == .unprocessableEntity && imported.text.contains("Dòng 4: chủ thể"))
            #expect(try await OcopProductModel.query(on: app.db).filter(\.$name == "Sản phẩm mới").count() == 0)
        }
    }

    @Test func namesWithoutLatinLettersAreNotMergedAndDecisionsKeepTheirOrderAndLevel() async throws {
        try await withTestApp { app in
            _ = try await OcopPagesTests.setUp(app)
            let officer = Browser(app)
            try await officer.login("officer")
            try await officer.get("/ocop/register")
            func add(_ name: String, _ number: String, stars: String = "3", level: String = "province", date: String = "2026-01-05") async throws -> TestingHTTPResponse {
                try await Self.post(officer, [("name", name), ("producer", "Hộ bà Thạch Thị Sa Rây"), ("groupCode", "I"), ("stars", stars),
                                              ("number", number), ("date", date), ("issuer", "UBND tỉnh"), ("level", level),
                                              ("unit", TranDeUnits.newID("31673"))])
            }
            #expect(try await add("—·—", "50/QĐ").status == .seeOther)
            #expect(try await add("ស្រូវ", "51/QĐ").status == .seeOther)
            #expect(try await add("大米", "52/QĐ").status == .seeOther)
            for name in ["—·—", "ស្រូវ", "大米"] {
                #expect(try await OcopProductModel.query(on: app.db).filter(\.$name == name).count() == 1, "\(name)")
            }
            #expect(Set(try await OcopProductModel.query(on: app.db).all().map(\.slug)).count == 8)
            // A name that claims stars is refused (ChoSo writes them from the decision).
            let claim = try await add("Gạo OCOP 5 sao", "57/QĐ")
            #expect(claim.status == .unprocessableEntity && claim.text.contains("không ghi chữ OCOP hay số sao"))
            // A re-recognition dated before the decision in force, 5 stars from a province, an unknown level: refused, by name.
            let older = try await add("ស្រូវ", "53/QĐ", date: "2025-12-01")
            #expect(older.status == .unprocessableEntity && older.text.contains("phải sau quyết định đang có"))
            let fiveFromProvince = try await add("ស្រូវ", "54/QĐ", stars: "5", date: "2026-02-01")
            #expect(fiveFromProvince.status == .unprocessableEntity && fiveFromProvince.text.contains("tỉnh: 3, 4 sao"))
            let world = try await add("ស្រូវ", "55/QĐ", stars: "5", level: "world", date: "2026-02-01")
            #expect(world.status == .unprocessableEntity && world.text.contains("Cấp công nhận là cấp tỉnh"))
            #expect(try await add("ស្រូវ", "56/QĐ", stars: "5", level: "central", date: "2026-02-01").status == .seeOther)
            let rice = try #require(try await OcopProductModel.query(on: app.db).filter(\.$name == "ស្រូវ").first())
            let chain = try #require(try await OcopCatalog(database: app.db).entry(slug: rice.slug))
            #expect(chain.decisions.map(\.decisionNumber) == ["51/QĐ", "56/QĐ"] && chain.current?.stars == 5)
        }
    }
}

/// The officer's producer form (issue 16): kind, registration number, contact and the shop.
@Suite struct OcopProducerFormTests {
    @Test func theOfficerKeepsAProducerAndLinksOneShopToOneProducer() async throws {
        try await withTestApp { app in
            let fixture = try await OcopPagesTests.setUp(app)
            // Market A becomes the commune's OCOP shop: its stalls (with their board-registered accounts) can be shops.
            let market = try #require(try await MarketModel.find(UUID(uuidString: fixture.marketA), on: app.db))
            market.kind = MarketKind.ocopShop.rawValue
            try await market.save(on: app.db)
            let rice = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "gao-thom-st25").first())
            let fish = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first())
            let officer = Browser(app)
            try await officer.login("officer")
            let register = try await officer.get("/ocop/register")
            #expect(register.text.contains("/ocop/register/producers/\(rice.producerID.uuidString)"))
            let page = try await officer.get("/ocop/register/producers/\(rice.producerID.uuidString)")
            #expect(page.status == .ok && page.text.contains(#"name="registrationNumber""#) && page.text.contains(fixture.stallA1))

            let good = [("name", "Cơ sở lúa gạo Trần Đề"), ("kind", "cooperative"), ("registrationNumber", "2200123456"),
                        ("address", "ấp Cảng"), ("phone", "0912 345 678"), ("shop", fixture.stallA1)]
            let bad = try await officer.post("/ocop/register/producers/\(rice.producerID.uuidString)",
                                             [("name", ""), ("kind", "bank"), ("registrationNumber", "22 001/ABC"), ("phone", "12345"), ("shop", UUID().uuidString)])
            #expect(bad.status == .unprocessableEntity)
            for id in ["error-name", "error-registration", "error-phone", "error-shop"] { #expect(bad.text.contains(#"id="\#(id)""#), "\(id)") }
            #expect(try await OcopProducerModel.find(rice.producerID, on: app.db)?.stallID == nil)

            #expect(try await officer.post("/ocop/register/producers/\(rice.producerID.uuidString)", good).status == .seeOther)
            let saved = try #require(try await OcopProducerModel.find(rice.producerID, on: app.db))
            #expect(saved.kind == "cooperative" && saved.registrationNumber == "2200123456" && saved.phone == "0912345678"
                    && saved.stallID?.uuidString == fixture.stallA1 && saved.name == "Cơ sở lúa gạo Trần Đề")
            // The same stall for a second producer is refused by name.
            let taken = try await officer.post("/ocop/register/producers/\(fish.producerID.uuidString)",
                                               [("name", "Cơ sở khô cá kèo"), ("kind", "household"), ("shop", fixture.stallA1)])
            #expect(taken.status == .unprocessableEntity && taken.text.contains("đang là cửa hàng của chủ thể khác"))
            #expect(try await OcopProducerModel.find(fish.producerID, on: app.db)?.stallID == nil)
            // Nor may it take the name of another producer (imports find producers by name).
            let sameName = try await officer.post("/ocop/register/producers/\(fish.producerID.uuidString)",
                                                  [("name", "co so LUA GAO Tran De"), ("kind", "household")])
            #expect(sameName.status == .unprocessableEntity && sameName.text.contains("Đã có chủ thể khác mang tên này"))
            // The product page now sells through the shop's account.
            #expect(try await Browser(app).get("/ocop/gao-thom-st25").text.contains(#"id="ocop-buy""#))

            // Neither a board member, another commune's officer nor the producer changes the record.
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            _ = try await accounts.createUser(.init(username: "gaost25", displayName: "Gạo", password: Fixture.password,
                                                    role: .producer, scope: [rice.producerID.uuidString]))
            for (name, expected) in [("managera", HTTPStatus.notFound), ("officerelsewhere", .notFound), ("gaost25", .forbidden)] {
                let other = Browser(app)
                try await other.login(name)
                try await other.get("/")
                #expect(try await other.get("/ocop/register/producers/\(rice.producerID.uuidString)").status == expected, "\(name)")
                #expect(try await other.post("/ocop/register/producers/\(rice.producerID.uuidString)", good + [("shop", fixture.stallA2)]).status == expected, "\(name)")
            }
            #expect(try await OcopProducerModel.find(rice.producerID, on: app.db)?.stallID?.uuidString == fixture.stallA1)
        }
    }
}

/// The classification table (issue 16): shipped, read by the register's keepers, extended by an administrator.
@Suite struct OcopGroupPageTests {
    @Test func anAdministratorAddsOrRenamesACodeAndNobodyElseDoes() async throws {
        try await withTestApp { app in
            _ = try await OcopPagesTests.setUp(app)
            let admin = Browser(app)
            try await admin.login("admin")
            let page = try await admin.get("/ocop/register/groups")
            #expect(page.status == .ok && page.text.contains(#"data-code="I.2.a""#) && page.text.contains(#"id="ocop-group-form""#))
            let bad = try await admin.post("/ocop/register/groups", [("code", "I.9.z"), ("name", "Không có cha")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains(#"id="error-code""#))
            #expect(try await admin.post("/ocop/register/groups", [("code", "i.2.E"), ("name", "Gạo lứt")]).status == .seeOther)
            #expect(try await OcopGroupModel.find("I.2.e", on: app.db)?.name == "Gạo lứt")
            #expect(try await admin.post("/ocop/register/groups", [("code", "I.2.a"), ("name", "Gạo, lúa, ngũ cốc")]).status == .seeOther)
            #expect(try await OcopGroupModel.find("I.2.a", on: app.db)?.name == "Gạo, lúa, ngũ cốc")
            #expect(try await OcopGroupModel.query(on: app.db).count() == OcopGroup.shipped.count + 1)

            let officer = Browser(app)
            try await officer.login("officer")
            let read = try await officer.get("/ocop/register/groups")
            #expect(read.status == .ok && read.text.contains("I.2.e") && !read.text.contains(#"id="ocop-group-form""#))
            #expect(try await officer.post("/ocop/register/groups", [("code", "I.2.a"), ("name", "Đổi")]).status == .forbidden)
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            #expect(try await keeper.get("/ocop/register/groups").status == .notFound)
            #expect(try await OcopGroupModel.find("I.2.a", on: app.db)?.name == "Gạo, lúa, ngũ cốc")
        }
    }
}
