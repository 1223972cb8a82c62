import ChoSoCore
import Testing

@Suite struct OcopMarketplaceTests {
    let today = OcopTests.day("2025-01-10")

    func sheet(_ marketplace: OcopMarketplace, _ listings: [OcopListing]) -> OcopMarketplace.Sheet {
        OcopMarketplace.sheet(marketplace, listings: listings, baseURL: "https://cho.so", today: today)
    }

    func column(_ sheet: OcopMarketplace.Sheet, _ header: String, row: Int = 0) -> OcopMarketplace.Value? {
        sheet.header.firstIndex(of: header).map { sheet.rows[row][$0] }
    }

    @Test func eachSheetHasItsMarketplacesColumnsAndTheLabelFactsInTheDescription() throws {
        let valid = OcopTests.listing()
        let shopee = sheet(.shopee, [valid])
        #expect(shopee.header.starts(with: ["SKU sản phẩm", "Tên sản phẩm", "Mô tả sản phẩm", "Giá", "Kho hàng", "Ảnh bìa"]))
        #expect(column(shopee, "Giá") == .number(150_000) && column(shopee, "Kho hàng") == .empty)
        #expect(column(shopee, "Tên sản phẩm") == .text("Gạo thơm ST25 — OCOP 5 sao"))
        guard case .text(let description) = column(shopee, "Mô tả sản phẩm") else { Issue.record("no description"); return }
        #expect(description.contains("Khối lượng tịnh: 5 kg") && description.contains("Chịu trách nhiệm: HTX Nông nghiệp Trần Đề"))
        #expect(sheet(.lazada, [valid]).header.contains("SellerSKU"))
        let tiktok = sheet(.tiktok, [valid])
        #expect(column(tiktok, "Certification") == .text("OCOP 5 sao"))
        #expect(column(tiktok, "Certification expiry date") == .date(OcopTests.day("2026-06-15")))
    }

    @Test func anExpiredCertificateLeavesNoStarAndNoOcopWordingInAnySheet() {
        var expired = OcopTests.listing(decided: "2021-06-15")
        // A claim typed into a label fact goes too (the probe put one in the origin).
        expired.label.origin = "Sản phẩm OCOP 4 sao. Trần Đề, Việt Nam"
        #expect(expired.publishableLabel(on: today).origin == "Trần Đề, Việt Nam")
        #expect(OcopTests.listing().publishableLabel(on: today) == OcopTests.listing().label)
        for marketplace in OcopMarketplace.allCases {
            let sheet = sheet(marketplace, [expired])
            #expect(sheet.rows.count == 1)
            for value in sheet.rows[0] {
                if case .text(let text) = value { #expect(!text.contains("OCOP") && !text.contains("sao"), "\(marketplace): \(text)") }
                #expect(value != .date(OcopTests.day("2024-06-15")))
            }
        }
    }

    @Test func anIncompleteProductStaysOutAndOutOfStockIsZero() {
        var incomplete = OcopTests.listing(slug: "thieu")
        incomplete.label.ingredients = ""
        var soldOut = OcopTests.listing(slug: "het-hang")
        soldOut.availability = .outOfStock
        let sheet = sheet(.lazada, [incomplete, soldOut])
        #expect(sheet.rows.count == 1 && column(sheet, "SellerSKU") == .text("het-hang") && column(sheet, "Quantity") == .number(0))
    }
}

@Suite struct OcopClaimTests {
    let today = OcopTests.day("2025-01-10")

    @Test func aValidProductMayNotClaimMoreStarsThanItsDecisionGave() {
        // 3 stars in force; the producer wrote 5 (the second probe).
        var listing = OcopTests.listing(stars: 3, description: "Gạo thơm. Đạt OCOP 5 sao cấp quốc gia. Sản phẩm OCOP 3 sao của tỉnh.")
        listing.label.origin = "Trần Đề ★★★★★"
        #expect(listing.publishableDescription(on: today) == "Gạo thơm. Sản phẩm OCOP 3 sao của tỉnh.")
        #expect(listing.publishableLabel(on: today).origin == "")
        // What claims nothing, or the right stars, stays as written, lines and all.
        let honest = OcopTests.listing(stars: 5, description: "Dòng 1\nSản phẩm OCOP 5★ của tỉnh.")
        #expect(honest.publishableDescription(on: today) == "Dòng 1\nSản phẩm OCOP 5★ của tỉnh.")
    }

    @Test func aNameLosesItsClaimsAndTheFormRefusesThem() {
        #expect(OcopWording.bareName("Tôm khô Trần Đề OCOP 4 sao") == "Tôm khô Trần Đề")
        #expect(OcopWording.bareName("Bánh pía — 4★") == "Bánh pía")
        #expect(OcopWording.bareName("Gạo thơm ST25") == "Gạo thơm ST25")
        #expect(OcopWording.bareName("★★★") == "★★★")   // nothing else to call it
        let input = OcopProductInput(name: "Tôm khô OCOP 4 sao", description: "", groupCode: "I", price: "", availability: "in_stock", label: OcopLabel())
        #expect(input.validate(groups: ["I"]).errors.map(\.code) == ["claim_in_name"])
        var expired = OcopTests.listing(decided: "2021-06-15")
        expired.name = "Tôm khô Trần Đề OCOP 4 sao"
        let item = OcopFeed.items([expired], baseURL: "https://x", today: today)
        #expect(item.first?.title == "Tôm khô Trần Đề")
    }
}
