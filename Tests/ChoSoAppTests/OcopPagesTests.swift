import ChoSoCore
import Fluent
import Foundation
import QRImage
import Spreadsheet
import Testing
import Vapor
import VietQR
@testable import ChoSoApp

/// The OCOP register (issue 16): public pages and feeds that claim stars only while a certificate
/// is valid, the officer's reminders and photos, and who may see or change what.
@Suite struct OcopPagesTests {
    /// Trần Đề's units, the users of `Fixture`, and the demo's OCOP products as of today.
    static func setUp(_ app: Application) async throws -> Fixture {
        let fixture = try await Fixture.make(app)
        let today = Day(Date(), in: app.choSoConfig.timeZone)
        try await DemoOcop.seed(on: app.db, today: today, photos: app.ocopPhotos)
        return fixture
    }

    static func jsonLD(in html: String) throws -> [String: Any] {
        let start = try #require(html.range(of: #"<script type="application/ld+json">"#))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let text = html[start.upperBound..<end.lowerBound].replacingOccurrences(of: "<\\/", with: "</")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func publicPagesClaimStarsOnlyWhileTheCertificateIsValid() async throws {
        try await withTestApp { app in
            _ = try await Self.setUp(app)
            let visitor = Browser(app)
            let list = try await visitor.get("/ocop")
            #expect(list.status == .ok)
            #expect(list.text.contains(#"data-slug="gao-thom-st25""#) && list.text.contains("★★★★★"))
            let expiredItem = try #require(list.text.components(separatedBy: "<li").first { $0.contains(#"data-slug="tom-kho-tran-de""#) })
            #expect(expiredItem.contains("expired") && !expiredItem.contains("★") && expiredItem.contains("Đã hết hạn chứng nhận OCOP"))
            // Filters: by stars, by group, by today's commune (records of merged communes included).
            #expect(try await visitor.get("/ocop?stars=5").text.components(separatedBy: "ocop-item").count == 2)
            // The expired 3-star product is no 3-star product any more.
            #expect(!(try await visitor.get("/ocop?stars=3").text.contains("tom-kho-tran-de")))
            let trande = try await visitor.get("/ocop?unit=\(TranDeUnits.newID("31673"))").text
            #expect(trande.contains("gao-thom-st25") && trande.contains("kho-ca-keo-dai-an") && !trande.contains("mam-ca-loc-khmer"))
            #expect(try await visitor.get("/ocop?group=I.4").text.contains("mam-ca-loc-khmer"))
            #expect(try await visitor.get("/ocop?stars=9&group=%00&unit=").status == .ok)

            let valid = try await visitor.get("/ocop/gao-thom-st25")
            #expect(valid.status == .ok && valid.text.contains(#"id="ocop-stars""#))
            let product = try Self.jsonLD(in: valid.text)
            let certification = try #require(product["hasCertification"] as? [String: Any])
            #expect(product["@type"] as? String == "Product" && certification["certificationStatus"] as? String == "https://schema.org/CertificationActive")
            #expect((certification["certificationRating"] as? [String: Any])?["ratingValue"] as? String == "5")

            let expired = try await visitor.get("/ocop/tom-kho-tran-de")
            #expect(expired.status == .ok && expired.text.contains(#"id="ocop-banner""#) && !expired.text.contains(#"id="ocop-stars""#))
            #expect(!expired.text.contains("Sản phẩm OCOP 3 sao"))   // the description's claim is gone
            let lapsed = try #require(try Self.jsonLD(in: expired.text)["hasCertification"] as? [String: Any])
            #expect(lapsed["certificationStatus"] as? String == "https://schema.org/CertificationInactive" && lapsed["certificationRating"] == nil)

            // The packaging QR opens the check page: green while valid, red once expired.
            let check = try await visitor.get("/ocop/gao-thom-st25/kiem-tra")
            #expect(check.text.contains(#"class="success-box""#) && check.text.contains("Sản phẩm OCOP 5★ — còn hiệu lực đến"))
            let red = try await visitor.get("/ocop/tom-kho-tran-de/kiem-tra")
            #expect(red.text.contains(#"class="error-box""#) && red.text.contains("đã hết hạn") && !red.text.contains("3★"))
            let qr = try await visitor.get("/ocop/gao-thom-st25/qr.png")
            #expect(qr.status == .ok && qr.headers.contentType == .png && qr.headers.first(name: .eTag) != nil)

            for path in ["/ocop/khong-co", "/ocop/..%2Fadmin", "/ocop/KHONG", "/ocop/khong-co/kiem-tra", "/ocop/khong-co/qr.png",
                         "/ocop/photos/x-large.jpg", "/ocop/photos/\(UUID().uuidString)-large.jpg", "/ocop/feeds/secret.txt"] {
                let response = try await visitor.get(path)
                #expect([.notFound, .forbidden, .badRequest].contains(response.status), "\(path): \(response.status)")
            }
        }
    }

    @Test func theListComesInPagesLightEnoughForWeak4G() async throws {
        try await withTestApp { app in
            _ = try await Self.setUp(app)
            let producer = try #require(try await OcopProducerModel.query(on: app.db).first())
            for index in 1...55 {
                let product = OcopProductModel.blank(name: "Sản phẩm \(index)", producerID: try producer.requireID(), groupCode: "I")
                product.slug = String(format: "z-san-pham-%02d", index)
                try await product.create(on: app.db)
            }
            let visitor = Browser(app)
            let first = try await visitor.get("/ocop")
            #expect(first.text.components(separatedBy: "class=\"card ocop-item").count - 1 == 50)
            #expect(first.text.contains("Trang 1/2 · 60 sản phẩm") && first.text.contains("href=\"/ocop?page=2\""))
            let second = try await visitor.get("/ocop?page=2")
            #expect(second.text.components(separatedBy: "class=\"card ocop-item").count - 1 == 10 && second.text.contains("z-san-pham-55"))
            #expect(try await visitor.get("/ocop?page=999").text.contains("Trang 2/2"))
            #expect(try await visitor.get("/ocop?page=-3&stars=4").status == .ok)
            let filtered = try await visitor.get("/ocop?group=I.2&page=1")
            #expect(!filtered.text.contains("Trang ") && filtered.text.contains("gao-thom-st25"))
        }
    }

    @Test func thePublicAPIGivesOnlyValidProducts() async throws {
        try await withTestApp { app in
            _ = try await Self.setUp(app)
            let list = try await app.api(.GET, "/api/v1/ocop/products")
            #expect(list.status == .ok)
            let products = try #require(try list.json() as? [[String: Any]])
            let slugs = products.compactMap { $0["slug"] as? String }
            #expect(slugs == ["banh-pia-sau-rieng-trung", "gao-thom-st25", "kho-ca-keo-dai-an", "mam-ca-loc-khmer"])
            let rice = try #require(products.first { $0["slug"] as? String == "gao-thom-st25" })
            #expect(rice["stars"] as? Int == 5 && (rice["missingForSale"] as? [String])?.isEmpty == true && (rice["checkUrl"] as? String)?.hasSuffix("/kiem-tra") == true)
            #expect(try await app.api(.GET, "/api/v1/ocop/products?stars=5").json() as? [[String: Any]] != nil)
            #expect((try await app.api(.GET, "/api/v1/ocop/products?stars=5").json() as? [[String: Any]])?.count == 1)
            #expect(try await app.api(.GET, "/api/v1/ocop/products?stars=7").status == .badRequest)
            #expect(try await app.api(.GET, "/api/v1/ocop/products/gao-thom-st25").status == .ok)
            #expect(try await app.api(.GET, "/api/v1/ocop/products/tom-kho-tran-de").status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/ocop/products/..%2F..").status != .ok)
        }
    }

    @Test func feedsAreTheSameBytesForTheSameDataAndNeverClaimAnExpiredStar() async throws {
        try await withTestApp { app in
            _ = try await Self.setUp(app)
            let first = try await app.testing().sendRequest(.GET, "/ocop/feeds/google.xml")
            let second = try await app.testing().sendRequest(.GET, "/ocop/feeds/google.xml")
            #expect(first.status == .ok && first.body == second.body)
            let etag = try #require(first.headers.first(name: .eTag))
            #expect(first.headers.first(name: .lastModified) != nil)
            #expect(try await app.testing().sendRequest(.GET, "/ocop/feeds/google.xml", headers: ["If-None-Match": etag]).status == .notModified)
            let xml = first.body.string
            #expect(xml.components(separatedBy: "<item>").count == 6)
            let expired = try #require(xml.components(separatedBy: "<item>").first { $0.contains("<g:id>tom-kho-tran-de</g:id>") })
            #expect(!expired.contains("OCOP") && !expired.contains("sao") && expired.contains("het-han"))
            #expect(xml.contains("<g:price>150000 VND</g:price>") && xml.contains("/ocop/photos/"))

            // The marketplaces' sheets: real workbooks, the same bytes twice, no lapsed star.
            for name in ["shopee", "lazada", "tiktok"] {
                let sheet = try await app.testing().sendRequest(.GET, "/ocop/feeds/\(name).xlsx")
                let again = try await app.testing().sendRequest(.GET, "/ocop/feeds/\(name).xlsx")
                #expect(sheet.status == .ok && sheet.body == again.body && sheet.headers.first(name: .contentDisposition)?.contains("attachment") == true)
                let rows = try XLSX.firstSheet(Array(sheet.body.readableBytesView))
                #expect(rows.count == 6, "\(name)")
                let lapsed = try #require(rows.first { $0.first == "tom-kho-tran-de" })
                #expect(!lapsed.joined().contains("OCOP") && !lapsed.joined().contains("sao"), "\(name)")
                #expect(rows.first { $0.first == "gao-thom-st25" }?.contains { $0.contains("OCOP 5 sao") } == true, "\(name)")
            }

            // A product missing a label fact leaves every feed until it is filled in; the ETag moves.
            let rice = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "gao-thom-st25").first())
            rice.ingredients = ""
            try await rice.save(on: app.db)
            let changed = try await app.testing().sendRequest(.GET, "/ocop/feeds/google.xml")
            #expect(!changed.body.string.contains("gao-thom-st25") && changed.headers.first(name: .eTag) != etag)
            let csv = try await app.testing().sendRequest(.GET, "/ocop/feeds/products.csv")
            #expect(csv.status == .ok && csv.body.string.hasPrefix("\u{FEFF}id,title") && !csv.body.string.contains("gao-thom-st25"))
        }
    }

    @Test func theOfficerSeesRemindersAndOnlyTheirCommunesProducts() async throws {
        try await withTestApp { app in
            _ = try await Self.setUp(app)
            let officer = Browser(app)
            try await officer.login("officer")
            let page = try await officer.get("/ocop/register")
            #expect(page.status == .ok)
            let expired = try #require(page.text.range(of: #"id="reminders-expired""#))
            #expect(page.text[expired.lowerBound...].prefix(300).contains("Tôm khô Trần Đề"))
            let soon = try #require(page.text.range(of: #"id="reminders-within90""#))
            #expect(page.text[soon.lowerBound...].prefix(300).contains("Khô cá kèo Đại Ân"))
            // Lịch Hội Thượng's and the province's products are not this officer's.
            #expect(!page.text.contains("mam-ca-loc-khmer") && !page.text.contains("banh-pia"))
            #expect(try await officer.get("/ocop/register/mam-ca-loc-khmer").status == .notFound)

            let elsewhere = Browser(app)
            try await elsewhere.login("officerelsewhere")
            #expect(!(try await elsewhere.get("/ocop/register").text.contains("gao-thom-st25")))
            #expect(try await elsewhere.get("/ocop/register/gao-thom-st25").status == .notFound)
            for name in ["managera", "merchanta1", "teammember"] {
                let other = Browser(app)
                try await other.login(name)
                #expect(try await other.get("/ocop/register").status == .notFound, "\(name)")
                #expect(try await other.get("/ocop/register/gao-thom-st25").status == .notFound, "\(name)")
            }
            #expect(try await Browser(app).get("/ocop/register").status != .ok)

            let admin = Browser(app)
            try await admin.login("admin")
            let all = try await admin.get("/ocop/register")
            #expect(all.text.contains("mam-ca-loc-khmer") && all.text.contains("banh-pia-sau-rieng-trung"))
        }
    }

    @Test func photosAreCheckedByTheirBytesResizedAndStrippedOfMetadata() async throws {
        try await withTestApp { app in
            _ = try await Self.setUp(app)
            let product = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first())
            let before = try await OcopPhotoModel.query(on: app.db).filter(\.$productID == product.requireID()).count()
            let officer = Browser(app)
            try await officer.login("officer")
            try await officer.get("/ocop/register/kho-ca-keo-dai-an")

            // A text file renamed .jpg is refused with the reason, and nothing is stored.
            let text = try await officer.upload("/ocop/register/kho-ca-keo-dai-an/photos",
                                                file: ("photo", "anh.jpg", "image/jpeg", Array("Đây không phải ảnh".utf8)))
            #expect(text.status == .unprocessableEntity && text.text.contains("không phải ảnh JPEG, PNG hay WebP"))
            // A PNG header with nothing behind it is refused the same way, by libvips.
            let broken = try await officer.upload("/ocop/register/kho-ca-keo-dai-an/photos",
                                                  file: ("photo", "vo.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]))
            #expect(broken.status == .unprocessableEntity)
            // 74 bytes claiming 60,000 × 60,000 pixels: refused from the header, before libvips spends seconds on it.
            let bomb = try await officer.upload("/ocop/register/kho-ca-keo-dai-an/photos",
                                                file: ("photo", "bomb.png", "image/png", ImageSizeProbe.png(width: 60_000, height: 60_000)))
            #expect(bomb.status == .unprocessableEntity && bomb.text.contains("quá lớn về kích thước"))
            #expect(try await OcopPhotoModel.query(on: app.db).filter(\.$productID == product.requireID()).count() == before)

            // A phone's photo of a few MB passes the body limits on the way (the route takes 10 MB).
            let padded = Self.padded(Array(try #require(DemoOcop.photo("gao-thom-st25"))), to: 3 << 20)
            let big = try await officer.upload("/ocop/register/kho-ca-keo-dai-an/photos", file: ("photo", "IMG_0002.JPG", "image/jpeg", padded))
            #expect(big.status == .seeOther, "\(big.status) \(big.text.prefix(300))")
            try await OcopPhotoModel.query(on: app.db).filter(\.$productID == product.requireID()).filter(\.$position == before).delete()

            // A JPEG carrying GPS in its metadata: stored as two JPEGs without it.
            let jpeg = Self.withGPS(Array(try #require(DemoOcop.photo("gao-thom-st25"))))
            #expect(String(decoding: jpeg, as: UTF8.self).contains("GPSLatitude"))
            let added = try await officer.upload("/ocop/register/kho-ca-keo-dai-an/photos", file: ("photo", "IMG_0001.JPG", "image/jpeg", jpeg))
            #expect(added.status == .seeOther, "\(added.text.prefix(300))")
            let photos = try await OcopPhotoModel.query(on: app.db).filter(\.$productID == product.requireID()).sort(\.$position).all()
            #expect(photos.count == before + 1)
            let stored = try #require(photos.last)
            for bytes in [stored.large, stored.small] {
                #expect(ImageKind.sniff(bytes) == .jpeg)
                #expect(!String(decoding: bytes, as: UTF8.self).contains("GPSLatitude"))
            }
            #expect(stored.small.count < stored.large.count)
            let served = try await officer.get("/ocop/photos/\(try stored.requireID().uuidString)-small.jpg")
            #expect(served.status == .ok && served.headers.first(name: .cacheControl)?.contains("immutable") == true)

            // Another commune's officer cannot add one.
            let elsewhere = Browser(app)
            try await elsewhere.login("officerelsewhere")
            try await elsewhere.get("/ocop")
            let refused = try await elsewhere.upload("/ocop/register/kho-ca-keo-dai-an/photos", file: ("photo", "a.jpg", "image/jpeg", jpeg))
            #expect(refused.status == .notFound)
            #expect(try await OcopPhotoModel.query(on: app.db).filter(\.$productID == product.requireID()).count() == before + 1)
        }
    }

    @Test func theOfficerFillsInTheFactsAndABadFieldChangesNothing() async throws {
        try await withTestApp { app in
            _ = try await Self.setUp(app)
            let officer = Browser(app)
            try await officer.login("officer")
            let form = try await officer.get("/ocop/register/kho-ca-keo-dai-an")
            #expect(form.text.contains(#"name="ingredients""#) && form.text.contains("Cá kèo, muối"))
            let feedBefore = try await app.testing().sendRequest(.GET, "/ocop/feeds/google.xml").headers.first(name: .eTag)
            var fields = [("name", "Khô cá kèo Đại Ân"), ("groupCode", "I.2.d"), ("price", "1,5"), ("availability", "in_stock"),
                          ("description", "Cá kèo phơi một nắng."), ("netQuantity", "500 g"), ("ingredients", "Cá kèo, muối"),
                          ("usage", "Chiên"), ("storage", "Ngăn đá"), ("warnings", ""), ("shelfLife", "3 tháng"), ("origin", "Việt Nam"),
                          ("responsibleEntity", "Cơ sở khô cá kèo")]
            let refused = try await officer.post("/ocop/register/kho-ca-keo-dai-an", fields)
            #expect(refused.status == .unprocessableEntity && refused.text.contains(#"id="error-price""#) && refused.text.contains("Cá kèo phơi một nắng."))
            #expect(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first()?.price == 120_000)

            fields[2] = ("price", "135.000 đ")
            let saved = try await officer.post("/ocop/register/kho-ca-keo-dai-an", fields)
            #expect(saved.status == .seeOther)
            let product = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first())
            #expect(product.price == 135_000 && product.description == "Cá kèo phơi một nắng." && product.storage == "Ngăn đá")
            let feed = try await app.testing().sendRequest(.GET, "/ocop/feeds/google.xml")
            #expect(feed.headers.first(name: .eTag) != feedBefore && feed.body.string.contains("<g:price>135000 VND</g:price>"))

            // Another commune's officer and a board member cannot change it.
            for name in ["officerelsewhere", "managera"] {
                let other = Browser(app)
                try await other.login(name)
                try await other.get("/")
                #expect(try await other.post("/ocop/register/kho-ca-keo-dai-an", [("name", "Đổi tên")]).status == .notFound, "\(name)")
            }
            #expect(try await OcopProductModel.find(product.id, on: app.db)?.name == "Khô cá kèo Đại Ân")
        }
    }

    @Test func aBuyerPaysTheProducerByTheProductPagesVietQR() async throws {
        try await withTestApp { app in
            let fixture = try await Self.setUp(app)
            let visitor = Browser(app)
            // No shop yet: no QR to buy with.
            #expect(!(try await visitor.get("/ocop/kho-ca-keo-dai-an").text.contains(#"id="ocop-buy""#)))
            #expect(try await visitor.get("/ocop/kho-ca-keo-dai-an/pay.png").status == .notFound)

            // The producer sells through a stall (market A's stall 1 here) with its receiving account.
            let product = try #require(try await OcopProductModel.query(on: app.db).filter(\.$slug == "kho-ca-keo-dai-an").first())
            let producer = try #require(try await OcopProducerModel.find(product.producerID, on: app.db))
            producer.stallID = UUID(uuidString: fixture.stallA1)
            try await producer.save(on: app.db)
            let page = try await visitor.get("/ocop/kho-ca-keo-dai-an")
            #expect(page.text.contains(#"id="ocop-buy""#) && page.text.contains("120.000 đ") && page.text.contains("1234567890123"))
            let png = try await visitor.get("/ocop/kho-ca-keo-dai-an/pay.png")
            #expect(png.status == .ok && png.headers.contentType == .png)
            let entry = try #require(try await OcopCatalog(database: app.db).entry(slug: "kho-ca-keo-dai-an"))
            let purchase = try #require(try await OcopPages(database: app.db, today: Day(Date(), in: app.choSoConfig.timeZone), language: .vi,
                                                            baseURL: "http://x").purchase(entry))
            let qr = try VietQRParser.parse(purchase.payload, mode: .strict).get()
            #expect(qr.amount == 120_000 && qr.account == "1234567890123" && qr.purpose == "Mua Kho ca keo Dai An" && purchase.view.note == qr.purpose)

            // The buyer's transfer arrives through the shop's connection and is the stall's money.
            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: IntakeTests.genericSecret)
            try await IntakeTests.transfer(app, connection.path, id: "ocop-1", amount: 120_000, description: purchase.view.note)
            let transfer = try #require(try await TransferModel.query(on: app.db).first())
            #expect(transfer.stallID?.uuidString == fixture.stallA1 && transfer.amount == 120_000)

            // Out of stock: the page stops offering to take money.
            product.availability = OcopAvailability.outOfStock.rawValue
            try await product.save(on: app.db)
            #expect(!(try await visitor.get("/ocop/kho-ca-keo-dai-an").text.contains(#"id="ocop-buy""#)))
        }
    }

    /// The JPEG grown to `size` bytes with comment segments, as a camera's metadata grows it.
    static func padded(_ jpeg: [UInt8], to size: Int) -> [UInt8] {
        var segments: [UInt8] = []
        while jpeg.count + segments.count < size {
            segments += [0xFF, 0xFE, 0xFF, 0xFF] + [UInt8](repeating: 0x20, count: 0xFFFD)
        }
        return Array(jpeg[0..<2]) + segments + Array(jpeg[2...])
    }

    /// The JPEG with an XMP segment right after its start marker, holding a GPS position.
    static func withGPS(_ jpeg: [UInt8]) -> [UInt8] {
        let xmp = Array("http://ns.adobe.com/xap/1.0/\0".utf8) + Array("""
            <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
            <rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="9,30.5N" exif:GPSLongitude="106,12.3E"/>\
            </rdf:RDF></x:xmpmeta>
            """.utf8)
        let length = xmp.count + 2
        return Array(jpeg[0..<2]) + [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + xmp + Array(jpeg[2...])
    }
}

/// A PNG header declaring a size, with no image behind it.
enum ImageSizeProbe {
    static func png(width: Int, height: Int) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            + [24, 16, 8, 0].map { UInt8(width >> $0 & 0xFF) } + [24, 16, 8, 0].map { UInt8(height >> $0 & 0xFF) } + [8, 2, 0, 0, 0]
    }
}
