import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// The market board's pages, used as a person would: sign in, fill forms, read the result.
@Suite struct WebPagesTests {
    @Test func marketManagerAddsEditsAndListsAStallWithAViettelMoneyAccount() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app)
            let login = try await browser.login("managera")
            #expect(login.status == .seeOther)
            let home = try await browser.get("/")
            #expect(home.headers.first(name: .location) == "/markets/\(f.marketA)")

            let form = try await browser.get("/markets/\(f.marketA)/stalls/new")
            #expect(form.status == .ok)
            #expect(form.text.contains("Thêm quầy mới"))
            #expect(form.text.contains("Viettel Money (971005) *"))

            let created = try await browser.post("/markets/\(f.marketA)/stalls", [
                ("number", "30"), ("name", "Nước mía Cô Tư"), ("trade", "Nước giải khát"), ("keeperName", "Trần Thị Tư"),
                ("phone", "0918 222 333"), ("account[kind]", "mobile_money"), ("account[bin]", "971005"),
                ("account[accountNumber]", "0918222333"), ("account[holderName]", "Trần Thị Tư"), ("account[displayName]", "Cô Tư"),
            ])
            #expect(created.status == .seeOther, "\(created.text)")
            let stallPath = try #require(created.headers.first(name: .location))
            let stallPage = try await browser.get(stallPath)
            #expect(stallPage.text.contains("Đã thêm quầy 30 — Nước mía Cô Tư."))
            #expect(stallPage.text.contains("Viettel Money"))
            #expect(stallPage.text.contains("TRAN THI TU"))

            let editForm = try await browser.get(stallPath + "/edit")
            #expect(editForm.text.contains(#"value="Nước mía Cô Tư""#))
            let edited = try await browser.post(stallPath, [
                ("number", "30"), ("name", "Nước mía sầu riêng Cô Tư"), ("trade", "Nước giải khát"), ("keeperName", "Trần Thị Tư"), ("phone", ""),
            ])
            #expect(edited.status == .seeOther)

            let list = try await browser.get("/markets/\(f.marketA)")
            #expect(list.status == .ok)
            #expect(list.text.contains("Nước mía sầu riêng Cô Tư"))
            #expect(list.text.contains("Viettel Money · 0918222333"))
            #expect(list.text.contains("Danh sách quầy (3)"))
        }
    }

    @Test func badFormInputShowsTheMessagesAndChangesNothing() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app)
            try await browser.login("managera")
            let count = try await StallModel.query(on: app.db).count()
            let rejected = try await browser.post("/markets/\(f.marketA)/stalls", [
                ("number", "1"), ("name", "Trùng số"), ("keeperName", ""), ("account[kind]", "bank"), ("account[bin]", "970405"),
                ("account[accountNumber]", "12-34-56"), ("account[holderName]", "NGUYEN VAN A"),
            ])
            #expect(rejected.status == .unprocessableEntity)
            #expect(rejected.text.contains("Số tài khoản chỉ gồm chữ và số, tối đa 19 ký tự"))
            #expect(rejected.text.contains("Chợ này đã có quầy số 1"))
            #expect(rejected.text.contains("Tên chủ quầy là bắt buộc"))
            // What was typed is kept so the person only fixes the marked fields.
            #expect(rejected.text.contains(#"value="Trùng số""#))
            #expect(try await StallModel.query(on: app.db).count() == count)

            let badAccount = try await browser.post("/stalls/\(f.stallA1)/accounts", [
                ("kind", "mobile_money"), ("bin", "970405"), ("accountNumber", "0912345678"), ("holderName", "NGUYEN THI BA"),
            ])
            #expect(badAccount.status == .unprocessableEntity)
            #expect(badAccount.text.contains("Agribank là ngân hàng, không phải Mobile Money"))
            #expect(try await ReceivingAccountModel.query(on: app.db).count() == 1)
        }
    }

    @Test func pagesSpeakEnglishWhenAskedAndRememberTheChoice() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let browser = Browser(app, acceptLanguage: "en-GB,en;q=0.8,vi;q=0.5")
            try await browser.login("managera")
            let english = try await browser.get("/markets/\(f.marketA)")
            #expect(english.text.contains("Add a stall"))
            #expect(english.text.contains(#"<html lang="en">"#))

            let switched = try await browser.post("/language", [("lang", "vi"), ("back", "/markets/\(f.marketA)")])
            #expect(switched.status == .seeOther)
            #expect(switched.headers.first(name: .location) == "/markets/\(f.marketA)")
            let vietnamese = try await browser.get("/markets/\(f.marketA)")
            #expect(vietnamese.text.contains("Thêm quầy"))
            #expect(vietnamese.text.contains(#"<html lang="vi">"#))

            // The choice follows the user to another phone that asks for English.
            let otherPhone = Browser(app, acceptLanguage: "en")
            try await otherPhone.login("managera")
            #expect(try await otherPhone.get("/markets/\(f.marketA)").text.contains(#"<html lang="vi">"#))
        }
    }

    @Test func readOnlyRolesSeeNoChangeButtons() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let officer = try await app.api(.GET, "/markets/\(f.marketA)", token: f.tokens["officer"])
            #expect(officer.status == .ok)
            #expect(!officer.text.contains("/stalls/new"))
            let board = try await app.api(.GET, "/stalls/\(f.stallA1)", token: f.tokens["managerA"])
            #expect(board.text.contains("merchanta1"))
            let merchant = try await app.api(.GET, "/stalls/\(f.stallA1)", token: f.tokens["merchantA1"])
            #expect(!merchant.text.contains("merchanta1"))
            #expect(merchant.status == .ok)
            #expect(!merchant.text.contains("/deactivate"))
            let home = try await app.api(.GET, "/", token: f.tokens["merchantA1"])
            #expect(home.headers.first(name: .location) == "/stalls/\(f.stallA1)/today")
            let till = try await app.api(.GET, "/stalls/\(f.stallA1)/today", token: f.tokens["merchantA1"])
            #expect(till.text.contains("Trái cây Cô Ba"))
        }
    }

    /// Every `#(t.key)` a template uses exists in both languages.
    @Test func everyTemplateStringIsTranslated() throws {
        let views = try ChoSoApp.resourceDirectory() + "Views/"
        var used: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: views) where file.hasSuffix(".leaf") {
            let text = try String(contentsOfFile: views + file, encoding: .utf8)
            let regex = try NSRegularExpression(pattern: #"\bt\.([A-Za-z_]+)"#)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                used.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(used.count > 40)
        #expect(used.subtracting(UIStrings.all.keys).isEmpty, "missing: \(used.subtracting(UIStrings.all.keys).sorted())")
        for (key, text) in UIStrings.all {
            #expect(!text.vi.isEmpty && !text.en.isEmpty, "\(key)")
        }
    }
}

@Suite struct DemoSeedTests {
    @Test func demoIsCompleteAndIdempotent() async throws {
        try await withTestApp { app in
            let logins = try await DemoSeed.run(on: app)
            let again = try await DemoSeed.run(on: app)
            #expect(Set(logins.map(\.role)) == Set(Role.allCases))
            // The second run says no account is new, so the command does not claim the demo password.
            #expect(logins.allSatisfy(\.created) && !again.contains(where: \.created))
            #expect(try await MarketModel.query(on: app.db).count() == 3)
            #expect(try await StallModel.query(on: app.db).count() == 71)
            #expect(try await TeamModel.query(on: app.db).count() == 57)
            #expect(try await TeamMemberModel.query(on: app.db).count() == 367)
            #expect(try await UserModel.query(on: app.db).count() == 8)
            // The first team's work: households with every version, visits, targets, one conflict
            // and one likely duplicate for the leader; a second run added nothing.
            #expect(try await TeamHamletModel.query(on: app.db).count() == 57)
            #expect(try await HouseholdModel.query(on: app.db).count() == DemoCommunity.households + 1)
            #expect(try await HouseholdVersionModel.query(on: app.db).count() == DemoCommunity.households + 3)
            #expect(try await VisitModel.query(on: app.db).count() >= DemoCommunity.households)
            #expect(try await CommunityTargetModel.query(on: app.db).count() == 5)
            #expect(Set(try await CommunityReviewModel.query(on: app.db).all().map(\.kind)) == ["household_conflict", "duplicate"])
            #expect(try await TeamMemberModel.query(on: app.db).filter(\.$userID != nil).count() == 2)
            // OCOP: five demo products, each with a decision (one renewed) and a photo when libvips is there.
            let products = try await OcopProductModel.query(on: app.db).all()
            #expect(products.count == 5)
            #expect(products.allSatisfy { $0.isDemo })
            let decisions = try await OcopCertificateModel.query(on: app.db).all()
            #expect(decisions.count == 6)
            let rice: OcopCertificateModel? = decisions.first { $0.stars == 5 }
            #expect(rice?.validUntil == rice.flatMap { Day(iso: $0.decisionDate) }.map { OcopCertificate.validUntil(decidedOn: $0).iso })
            let accounts = try await ReceivingAccountModel.query(on: app.db).all()
            #expect(accounts.contains { $0.bin == "971005" })
            #expect(accounts.contains { $0.bin == "971011" })

            // The demo logins work, and the merchant sees stall 12.
            let browser = Browser(app)
            #expect(try await browser.login("quay12.nganro", password: DemoSeed.password).status == .seeOther)
            let home = try await browser.get("/")
            let till = try await browser.get(try #require(home.headers.first(name: .location)))
            #expect(till.text.contains("Trái cây Cô Ba"))
        }
    }
}
