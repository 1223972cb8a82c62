import ChoSoCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite struct OcopTests {
    static func day(_ iso: String) -> Day { Day(iso: iso)! }

    static func listing(slug: String = "gao-thom-st25", decided: String? = "2023-06-15", stars: Int = 5,
                        description: String = "Gạo thơm ST25 trồng trên đất giồng cát Trần Đề. Sản phẩm OCOP 5 sao của tỉnh.") -> OcopListing {
        OcopListing(
            slug: slug, name: "Gạo thơm ST25", description: description, producerName: "HTX Nông nghiệp Trần Đề",
            groupCode: "I.2.a", priceDong: 150_000, availability: .inStock,
            label: OcopLabel(netQuantity: "5 kg", ingredients: "100 % gạo ST25", usage: "Vo nhẹ, nấu với tỉ lệ nước 1:1", storage: "Nơi khô ráo, thoáng mát",
                             shelfLife: "12 tháng", origin: "Trần Đề, Việt Nam", responsibleEntity: "HTX Nông nghiệp Trần Đề, ấp Cảng, xã Trần Đề"),
            certificate: decided.map { OcopCertificate(stars: stars, decisionNumber: "123/QĐ-UBND", decisionDate: day($0), issuer: "UBND tỉnh Sóc Trăng") },
            imagePath: "/ocop/photos/abc-large.jpg", isDemo: true)
    }

    @Test func validityIsThirtySixMonthsToTheSameDayWithTheLastDayOfFebruaryKept() {
        #expect(OcopCertificate.validUntil(decidedOn: Self.day("2023-06-15")) == Self.day("2026-06-15"))
        #expect(OcopCertificate.validUntil(decidedOn: Self.day("2024-02-29")) == Self.day("2027-02-28"))
        #expect(OcopCertificate.validUntil(decidedOn: Self.day("2022-12-31")) == Self.day("2025-12-31"))
        #expect(OcopCertificate.validUntil(decidedOn: Self.day("2023-01-31")) == Self.day("2026-01-31"))
    }

    @Test func theLastValidDayStillClaimsStarsAndTheNextDoesNot() {
        let certificate = OcopCertificate(stars: 4, decisionNumber: "1/QĐ", decisionDate: Self.day("2022-08-21"), issuer: "UBND tỉnh")
        #expect(certificate.validity(on: Self.day("2025-08-21")) == .valid(until: Self.day("2025-08-21"), daysLeft: 0))
        #expect(certificate.validity(on: Self.day("2025-08-22")) == .expired(since: Self.day("2025-08-22")))
        #expect(!certificate.validity(on: Self.day("2025-08-22")).claimsStars)
        #expect(certificate.checkLine(on: Self.day("2025-01-01")).vi == "Sản phẩm OCOP 4★ — còn hiệu lực đến 21/08/2025 — QĐ số 1/QĐ ngày 21/08/2022 của UBND tỉnh")
        #expect(certificate.checkLine(on: Self.day("2025-09-01")).vi.hasPrefix("Chứng nhận OCOP đã hết hạn ngày 21/08/2025"))
    }

    @Test func remindersFallIntoTheOfficersBuckets() {
        let certificate = OcopCertificate(stars: 3, decisionNumber: "1", decisionDate: Self.day("2023-12-01"), issuer: "x")
        let until = certificate.validUntil
        #expect(certificate.validity(on: until.adding(days: -10)).reminder == .within30)
        #expect(certificate.validity(on: until.adding(days: -31)).reminder == .within90)
        #expect(certificate.validity(on: until.adding(days: -150)).reminder == .within180)
        #expect(certificate.validity(on: until.adding(days: -181)).reminder == nil)
        #expect(certificate.validity(on: until.adding(days: 1)).reminder == .expired)
    }

    @Test func expiredClaimsLeaveTheDescriptionSentenceBySentence() {
        #expect(OcopWording.withoutClaims("Gạo thơm. Đạt OCOP 5 sao năm 2023! Nấu dẻo.") == "Gạo thơm. Nấu dẻo.")
        #expect(OcopWording.withoutClaims("Bánh pía ngon\nSản phẩm 4★\nGiao tận nơi") == "Bánh pía ngon Giao tận nơi")
        #expect(OcopWording.withoutClaims("Sản phẩm đạt 4 SAO cấp tỉnh. Túi 500 g.") == "Túi 500 g.")
        #expect(OcopWording.withoutClaims("Chương trình Mỗi xã một sản phẩm. Vị ngọt.") == "Vị ngọt.")
        // "sao" alone (a star fruit, "vì sao") is not a claim.
        #expect(OcopWording.withoutClaims("Khô cá sao biển, vì sao ngon?") == "Khô cá sao biển, vì sao ngon?")
    }

    @Test func aProductLackingLabelFactsIsNamedAndKeptOutOfTheFeeds() {
        var incomplete = Self.listing(slug: "b")
        incomplete.label.ingredients = "  "
        incomplete.imagePath = nil
        incomplete.priceDong = 0
        #expect(incomplete.missingForSale == [.price, .photo, .ingredients])
        let feed = OcopFeed.google([incomplete, Self.listing()], baseURL: "https://x.vn", today: Self.day("2025-01-01"), title: "OCOP")
        #expect(feed.components(separatedBy: "<item>").count == 2)
        #expect(!feed.contains("<g:id>b</g:id>"))
    }

    @Test func theGoogleFeedHasTheRequiredFieldsAndDropsAnExpiredClaim() throws {
        let valid = Self.listing(), expired = Self.listing(slug: "banh-pia", decided: "2021-01-10", stars: 4)
        let today = Self.day("2025-06-01")
        let feed = OcopFeed.google([expired, valid], baseURL: "https://cho.so", today: today, title: "Sản phẩm OCOP & đặc sản")
        #expect(feed == OcopFeed.google([valid, expired], baseURL: "https://cho.so", today: today, title: "Sản phẩm OCOP & đặc sản"))
        let items = try #require(FeedItems.parse(feed))
        #expect(items.count == 2)
        for item in items {
            for field in ["g:id", "title", "description", "link", "g:image_link", "g:price", "g:availability", "g:brand", "g:condition", "g:identifier_exists"] {
                #expect(!(item[field] ?? "").isEmpty, "\(field) missing")
            }
        }
        let expiredItem = try #require(feed.components(separatedBy: "<item>").first { $0.contains("<g:id>banh-pia</g:id>") })
        #expect(!expiredItem.contains("OCOP") && !expiredItem.contains("sao") && expiredItem.contains("het-han"))
        #expect(feed.contains("<title>Gạo thơm ST25 — OCOP 5 sao</title>") && feed.contains("<g:price>150000 VND</g:price>"))
        #expect(feed.contains("Sản phẩm OCOP &amp; đặc sản"))
    }

    @Test func csvGuardsAgainstFormulasAndQuotesFields() {
        var listing = Self.listing()
        listing.producerName = "=HYPERLINK(\"x\")"
        let csv = OcopFeed.csv([listing], baseURL: "https://x", today: Self.day("2025-01-01"))
        #expect(csv.hasPrefix("\u{FEFF}id,title"))
        #expect(csv.contains(",\"'=HYPERLINK(\"\"x\"\")\","))
    }

    @Test func jsonLDIsAProductWithItsCertificationActiveThenInactive() throws {
        func parse(_ today: String) throws -> [String: Any] {
            let text = OcopStructuredData.jsonLD(Self.listing(), baseURL: "https://cho.so", today: Self.day(today))
            return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }
        let active = try parse("2025-01-01")
        #expect(active["@type"] as? String == "Product")
        #expect((active["offers"] as? [String: Any])?["priceCurrency"] as? String == "VND")
        let certification = try #require(active["hasCertification"] as? [String: Any])
        #expect(certification["expires"] as? String == "2026-06-15")
        #expect(certification["certificationStatus"] as? String == "https://schema.org/CertificationActive")
        #expect((certification["certificationRating"] as? [String: Any])?["ratingValue"] as? String == "5")

        let lapsed = try parse("2026-06-16")
        let inactive = try #require(lapsed["hasCertification"] as? [String: Any])
        #expect(inactive["certificationStatus"] as? String == "https://schema.org/CertificationInactive")
        #expect(inactive["certificationRating"] == nil)
        #expect(!(lapsed["description"] as? String ?? "").contains("OCOP"))
    }

    @Test func jsonLDCannotCloseItsScriptElement() {
        let text = OcopStructuredData.jsonLD(Self.listing(description: "Ngon </script><script>alert(1)</script>"), baseURL: "https://x", today: Self.day("2025-01-01"))
        #expect(!text.contains("</script"))
        // "<!--" then "<script" inside a script keep an HTML parser from seeing its end (the
        // probe's description broke the page's other scripts): no bare "<" at all, and the text
        // still reads back the same.
        let comment = "Ngon <!-- <script> & ngọt"
        let tricky = OcopStructuredData.jsonLD(Self.listing(description: comment), baseURL: "https://x", today: Self.day("2025-01-01"))
        #expect(!tricky.contains("<") && !tricky.contains(">") && !tricky.contains("&"))
        let parsed = try? JSONSerialization.jsonObject(with: Data(tricky.utf8)) as? [String: Any]
        #expect(parsed?["description"] as? String == comment)
    }

    @Test func xmlEscapingDropsControlCharacters() throws {
        var listing = Self.listing()
        listing.name = "Tôm\u{0001} <khô>"
        let feed = OcopFeed.google([listing], baseURL: "https://x", today: Self.day("2025-01-01"), title: "t")
        #expect(feed.contains("Tôm &lt;khô&gt;"))
        #expect(FeedItems.parse(feed)?.first?["title"]?.hasPrefix("Tôm <khô>") == true)
    }
}

/// The items of an RSS feed as element name → text, read by a real XML parser (nil if it is not XML).
final class FeedItems: NSObject, XMLParserDelegate {
    var items: [[String: String]] = []
    var text = ""

    static func parse(_ xml: String) -> [[String: String]]? {
        let reader = FeedItems(), parser = XMLParser(data: Data(xml.utf8))
        parser.shouldProcessNamespaces = false
        parser.delegate = reader
        return parser.parse() ? reader.items : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "item" { items.append([:]) }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name != "item", !items.isEmpty { items[items.count - 1][name] = text }
    }
}

@Suite struct OcopSlugTests {
    @Test func namesBecomeShortAddressesAndClashesGetANumber() {
        #expect(OcopSlug.make("Gạo thơm ST25", taken: { _ in false }) == "gao-thom-st25")
        #expect(OcopSlug.make("Bánh pía sầu riêng (trứng)!", taken: { _ in false }) == "banh-pia-sau-rieng-trung")
        #expect(OcopSlug.make("Đường thốt nốt", taken: { ["duong-thot-not", "duong-thot-not-2"].contains($0) }) == "duong-thot-not-3")
        #expect(OcopSlug.make("★★★", taken: { _ in false }) == "san-pham")
        // A product named like a page of the register gets an address of its own.
        #expect(OcopSlug.make("Import", taken: { _ in false }) == "import-san-pham")
        #expect(OcopSlug.make("Register", taken: { _ in false }) == "register-san-pham")
        #expect(OcopSlug.make("Add", taken: { _ in false }) == "add-san-pham" && OcopSlug.make("Groups", taken: { _ in false }) == "groups-san-pham")
        #expect(OcopSlug.isWellFormed("gao-thom-st25") && !OcopSlug.isWellFormed("../etc") && !OcopSlug.isWellFormed("Gao"))
    }
}

@Suite struct ImageSnifferTests {
    @Test func theTypeComesFromTheBytesNotTheName() {
        #expect(ImageKind.sniff([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]) == .jpeg)
        #expect(ImageKind.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == .png)
        #expect(ImageKind.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(ImageKind.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8)) == nil)
        #expect(ImageKind.sniff(Array("Gạo thơm ST25 — not a photo".utf8)) == nil)
        #expect(ImageKind.sniff([]) == nil)
        #expect(ImageKind.sniff([0xFF, 0xD8]) == nil)
    }
}

@Suite struct OcopAnnexTests {
    static let header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Phân nhóm", "Số sao"]

    @Test func aProvincialAnnexIsReadBelowItsTitleRows() throws {
        let table = [
            ["PHỤ LỤC", "", "", "", "", ""], ["Danh sách sản phẩm OCOP (kèm theo Quyết định số …)"], Self.header,
            ["1", "Gạo thơm ST25", "Cơ sở lúa gạo Trần Đề", "ấp Cảng", "I.2.a", "5"],
            ["2", "Mắm cá lóc", "Cơ sở Lịch Hội Thượng", "", "Nước mắm, tương và gia vị dạng lỏng", "3 sao"],
            ["", "", "", "", "", ""], ["", "", "", "NGƯỜI LẬP BIỂU"],
        ]
        guard case .success(let rows) = OcopAnnex.read(table, groups: OcopGroup.shipped) else { Issue.record("not read"); return }
        #expect(rows.map(\.line) == [4, 5])
        #expect(rows[0].groupCode == "I.2.a" && rows[0].stars == 5)
        #expect(rows[1].groupCode == "I.4.a" && rows[1].stars == 3)
    }

    @Test func everyBadRowIsNamedAndNothingIsRead() {
        let table = [
            Self.header,
            ["1", "Gạo thơm ST25", "Cơ sở A", "", "I.2.a", "5"],
            ["2", "Bánh pía", "Cơ sở B", "", "I.3.a", "6"],
            ["3", "", "Cơ sở C", "", "I", "4"],
            ["4", "Gạo thơm  ST25", "Cơ sở A", "", "I.2.a", "5"],
            ["5", "Trà", "Cơ sở D", "", "Z.9", "4"],
        ]
        guard case .failure(.rows(let errors)) = OcopAnnex.read(table, groups: OcopGroup.shipped) else { Issue.record("accepted"); return }
        #expect(errors.map(\.line) == [3, 4, 5, 6])
        #expect(errors[0].message.vi == "Dòng 3: số sao phải là 3, 4 hoặc 5 (đọc được: \"6\")")
        #expect(errors[1].message.vi.contains("thiếu tên sản phẩm"))
        #expect(errors[2].message.vi.contains("trùng với dòng 2"))
        #expect(errors[3].message.vi.contains("không có phân nhóm \"Z.9\""))
    }

    @Test func aSheetWithoutTheColumnsIsNotAnAnnex() {
        guard case .failure(.noHeader) = OcopAnnex.read([["time", "amount"], ["1", "2"]], groups: OcopGroup.shipped) else { Issue.record("read"); return }
        guard case .failure(.noHeader) = OcopAnnex.read([Self.header], groups: OcopGroup.shipped) else { Issue.record("empty read"); return }
    }
}

@Suite struct OcopProductInputTests {
    static func input(price: String = "150.000", group: String = "I.2.a", availability: String = "in_stock", name: String = " Gạo  thơm ST25 ") -> OcopProductInput {
        OcopProductInput(name: name, description: "Dòng 1\n  Dòng   2  ", groupCode: group, price: price, availability: availability,
                         label: OcopLabel(netQuantity: "5 kg"))
    }

    @Test func aGoodFormIsCleanedAndThePriceReadAsPeopleTypeIt() throws {
        guard case .valid(let clean) = Self.input().validate(groups: ["I.2.a"]) else { Issue.record("refused"); return }
        #expect(clean.name == "Gạo thơm ST25" && clean.priceDong == 150_000 && clean.description == "Dòng 1\nDòng 2")
        guard case .valid(let unpriced) = Self.input(price: " ").validate(groups: ["I.2.a"]) else { Issue.record("refused"); return }
        #expect(unpriced.priceDong == nil)
    }

    @Test func everyBadFieldIsNamed() {
        let errors = Self.input(price: "1,5", group: "Z", availability: "sold", name: "").validate(groups: ["I.2.a"]).errors
        #expect(Set(errors.map(\.field)) == ["name", "groupCode", "price", "availability"])
    }
}

@Suite struct ImageSizeTests {
    static func png(width: Int, height: Int) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            + [24, 16, 8, 0].map { UInt8(width >> $0 & 0xFF) } + [24, 16, 8, 0].map { UInt8(height >> $0 & 0xFF) } + [8, 2, 0, 0, 0]
    }

    @Test func theHeadersSizeIsReadBeforeAnythingDecodesIt() {
        #expect(ImageSize.read(Self.png(width: 60_000, height: 60_000), kind: .png) == ImageSize(width: 60_000, height: 60_000))
        // A JPEG: start, an APP0 segment, then the frame (height 3000, width 4000).
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x0B, 0xB8, 0x0F, 0xA0, 0x03]
        #expect(ImageSize.read(jpeg, kind: .jpeg) == ImageSize(width: 4_000, height: 3_000))
        // An extended WebP: canvas 1200 × 900, stored minus one.
        var webp = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8X".utf8) + [10, 0, 0, 0, 0, 0, 0, 0]
        webp += [0xAF, 0x04, 0x00, 0x83, 0x03, 0x00]
        #expect(ImageSize.read(webp, kind: .webp) == ImageSize(width: 1_200, height: 900))
        #expect(ImageSize(width: 60_000, height: 60_000).pixels > ImageSize.maxPixels)
    }

    @Test func aHeaderThatSaysNothingGivesNoSize() {
        #expect(ImageSize.read([0x89, 0x50, 0x4E, 0x47], kind: .png) == nil)
        #expect(ImageSize.read([0xFF, 0xD8, 0xFF, 0xE0, 0x00], kind: .jpeg) == nil)
        #expect(ImageSize.read([0xFF, 0xD8, 0x00, 0x00, 0x00, 0x00], kind: .jpeg) == nil)
        #expect(ImageSize.read(Array("RIFF\0\0\0\0WEBPVP8X".utf8), kind: .webp) == nil)
        // A segment length that runs off the end is no size and no crash.
        #expect(ImageSize.read([0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 0x00], kind: .jpeg) == nil)
    }
}
