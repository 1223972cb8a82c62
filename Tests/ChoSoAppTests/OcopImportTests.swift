import ChoSoCore
import Fluent
import Foundation
import Spreadsheet
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Importing a recognition decision's annex (issue 16): preview, all or nothing, each bad row
/// named; a second import of the same annex adds nothing; a later decision renews a product.
@Suite struct OcopImportTests {
    static func annex(_ rows: [[String]]) -> [UInt8] {
        let header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Phân nhóm", "Số sao"]
        let title: [[XLSX.Cell]] = [[.text("PHỤ LỤC: DANH SÁCH SẢN PHẨM OCOP")], []]
        return XLSX.workbook(sheetName: "Phụ lục", rows: title + ([header] + rows).map { $0.map { .text($0) } })
    }

    static let good = [
        ["1", "Gạo thơm ST25", "Cơ sở lúa gạo Trần Đề (demo)", "ấp Cảng", "I.2.a", "4"],
        ["2", "Củ cải muối", "HTX Nông nghiệp Đại Ân 2", "ấp Ngan Rô", "Chế biến từ rau, củ, quả, hạt", "3"],
        ["3", "Lạp xưởng tươi", "Cơ sở lạp xưởng Trung Bình", "", "I.3.c", "4 sao"],
    ]

    @Test func anAnnexIsPreviewedThenImportedOnceAndBadRowsImportNothing() async throws {
        try await withTestApp { app in
            _ = try await OcopPagesTests.setUp(app)
            let officer = Browser(app)
            try await officer.login("officer")
            try await officer.get("/ocop/register")
            let commune = TranDeUnits.newID("31673")
            let decision = [("number", "1234/QĐ-UBND"), ("date", "2026-10-20"), ("issuer", "UBND TP Cần Thơ"), ("level", "province"), ("unit", commune)]
            func send(_ bytes: [UInt8], action: String, fields: [(String, String)] = decision) async throws -> TestingHTTPResponse {
                try await officer.upload("/ocop/register/import", fields: fields + [("action", action)],
                                         file: ("file", "phu-luc.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes))
            }
            let countBefore = try await OcopCertificateModel.query(on: app.db).count()

            // One bad row (6 stars) and one duplicate: both named, nothing stored.
            var bad = Self.good
            bad[1][5] = "6"
            bad.append(["4", "Gạo thơm ST25", "Cơ sở lúa gạo Trần Đề (demo)", "", "I.2.a", "4"])
            let refused = try await send(Self.annex(bad), action: "import")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Dòng 5: số sao phải là 3, 4 hoặc 5") && refused.text.contains("Dòng 7: trùng với dòng 4"))
            #expect(try await OcopCertificateModel.query(on: app.db).count() == countBefore)

            // Fixed: the preview counts what would happen and stores nothing.
            let preview = try await send(Self.annex(Self.good), action: "preview")
            #expect(preview.status == .ok && preview.text.contains("chưa lưu gì"))
            #expect(preview.text.contains("chủ thể mới: 2 · sản phẩm mới: 2 · đánh giá lại: 1 · đã có: 0"))
            #expect(try await OcopCertificateModel.query(on: app.db).count() == countBefore)

            let imported = try await send(Self.annex(Self.good), action: "import")
            #expect(imported.status == .ok && imported.text.contains("Đã nhập phu-luc.xlsx"))
            #expect(try await OcopCertificateModel.query(on: app.db).count() == countBefore + 3)
            // ST25 was renewed: the new decision points to the old one and is the one in force.
            let rice = try #require(try await OcopCatalog(database: app.db).entry(slug: "gao-thom-st25"))
            #expect(rice.decisions.count == 2 && rice.current?.decisionNumber == "1234/QĐ-UBND" && rice.current?.renewsID == rice.decisions.first?.id)
            let radish = try #require(try await OcopCatalog(database: app.db).entry(slug: "cu-cai-muoi"))
            #expect(radish.producer.kind == "cooperative" && radish.producer.unitID == commune && radish.product.groupCode == "I.3.b")
            #expect(radish.listing.missingForSale.contains(.ingredients))   // label facts wait for the officer

            // The same annex again: nothing more.
            let again = try await send(Self.annex(Self.good), action: "import")
            #expect(again.text.contains("đã có: 3"))
            #expect(try await OcopCertificateModel.query(on: app.db).count() == countBefore + 3)
            #expect(try await OcopProductModel.query(on: app.db).count() == 7)

            // A commune outside the officer's scope, a future date, a non-XLSX file: each refused.
            let foreign = try await send(Self.annex(Self.good), action: "import",
                                         fields: decision.map { $0.0 == "unit" ? ("unit", TranDeUnits.newID("31699")) : $0 })
            #expect(foreign.status == .unprocessableEntity && foreign.text.contains("trong phạm vi của bạn"))
            let future = try await send(Self.annex(Self.good), action: "import",
                                        fields: decision.map { $0.0 == "date" ? ("date", "2099-01-01") : $0 })
            #expect(future.status == .unprocessableEntity && future.text.contains("không sau hôm nay"))
            let text = try await send(Array("STT,Tên sản phẩm\n1,Gạo".utf8), action: "import")
            #expect(text.status == .unprocessableEntity && text.text.contains("không phải bảng tính XLSX"))

            // Only officers and administrators import.
            let board = Browser(app)
            try await board.login("managera")
            try await board.get("/")
            let boardTry = try await board.upload("/ocop/register/import", fields: decision + [("action", "import")],
                                                  file: ("file", "a.xlsx", "application/octet-stream", Self.annex(Self.good)))
            #expect(boardTry.status == .notFound)
        }
    }

    @Test func theFirstTablesRowsMoveIntoTheRegister() async throws {
        try await withTestApp { app in
            _ = try await Fixture.make(app)
            try await CreateOcopRegister().revert(on: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            let id = UUID()
            try await sql.raw("""
                INSERT INTO ocop_products (id, name, producer, unit_id, stars, decision_number, decision_date, valid_until, is_demo)
                VALUES (\(bind: id), 'Bánh pía', 'Cơ sở Châu Thành', '94', 4, '12/QĐ-UBND', '2024-02-29', '2027-02-28', \(bind: false))
                """).run()
            try await CreateOcopRegister().prepare(on: app.db)
            let entry = try #require(try await OcopCatalog(database: app.db).entries().first)
            #expect(entry.product.id == id && entry.product.name == "Bánh pía" && entry.producer.name == "Cơ sở Châu Thành")
            #expect(entry.current?.stars == 4 && entry.current?.validUntil == "2027-02-28")
        }
    }

    @Test func aWorkbookTooLargeForAnAnnexIsNamedAsSuch() async throws {
        try await withTestApp { app in
            _ = try await OcopPagesTests.setUp(app)
            let officer = Browser(app)
            try await officer.login("officer")
            let rows = (1...20_001).map { ["\($0)"] }
            let page = try await officer.upload("/ocop/register/import", fields: [
                ("number", "9/QĐ"), ("date", "2026-01-05"), ("issuer", "UBND tỉnh"), ("level", "province"),
                ("unit", TranDeUnits.newID("31673")), ("action", "preview"),
            ], file: ("file", "lon.xlsx", "application/octet-stream", Self.annex(rows)))
            #expect(page.status == .unprocessableEntity && page.text.contains("quá lớn để là phụ lục") && !page.text.contains("sao kê"))
        }
    }

    @Test func theSameAnnexImportedSeveralTimesAtOnceStoresItsProducersAndProductsOnce() async throws {
        try await withTestApp { app in
            _ = try await OcopPagesTests.setUp(app)
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: app.choSoConfig)
            let officerID = try #require(try await UserModel.query(on: app.db).filter(\.$username == "officer").first()?.requireID())
            let officer = try #require(try await accounts.currentUser(id: officerID, proof: .bearerToken))
            let service = OcopImportService(database: app.db, user: officer, today: Day(Date(), in: app.choSoConfig.timeZone))
            let decision = OcopImportService.Decision(number: "77/QĐ-UBND", date: "2026-10-20", issuer: "UBND TP Cần Thơ", level: "province",
                                                      unitID: TranDeUnits.newID("31673"))
            let producers = try await OcopProducerModel.query(on: app.db).count()
            // Four at once, each on its own connection from the pool (a resend on a weak link, a second officer).
            let annex = Self.annex(Self.good)
            let reports = try await withThrowingTaskGroup(of: OcopImportService.Report.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await service.importAnnex(annex, decision: decision, dryRun: false) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reports.map(\.newProducts).sorted() == [0, 0, 0, 2])
            #expect(try await OcopProducerModel.query(on: app.db).count() == producers + 2)
            #expect(try await OcopProductModel.query(on: app.db).filter(\.$name == "Củ cải muối").count() == 1)
            #expect(try await OcopCertificateModel.query(on: app.db).filter(\.$decisionNumber == "77/QĐ-UBND").count() == 3)
        }
    }
}
