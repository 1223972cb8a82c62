import ChoSoCore
import Fluent
import Foundation

/// OCOP products of the province from public reporting, with invented producers' details and
/// placeholder decisions ("DEMO-…"), every row marked demo. Dates are set from today so the demo
/// always shows valid products (one 5★), one expiring within 90 days, one expired and not
/// re-assessed, and one re-recognised (a chain of two decisions).
enum DemoOcop {
    struct Product {
        var slug: String, name: String, producer: String, kind: String, unitID: String, address: String
        var group: String, price: Int64, description: String, label: OcopLabel
        /// (stars, days before today it was decided)
        var decisions: [(Int, Int)]
    }

    static let provinceIssuer = "UBND tỉnh Sóc Trăng (demo)"

    static func products(today: Day) -> [Product] {
        let thirtySixMonths = today.daysUntil(OcopCertificate.validUntil(decidedOn: today))
        return [
            Product(
                slug: "gao-thom-st25", name: "Gạo thơm ST25", producer: "Cơ sở lúa gạo Trần Đề (demo)", kind: "household", unitID: "31673",
                address: "Ấp Cảng", group: "I.2.a", price: 150_000,
                description: "Gạo thơm ST25 trồng trên đất giồng cát ven biển Trần Đề, hạt dài, cơm dẻo và thơm lá dứa. Túi 5 kg hút chân không.",
                label: OcopLabel(netQuantity: "5 kg", ingredients: "100 % gạo ST25", usage: "Vo nhẹ một lần, nấu với tỉ lệ gạo:nước 1:1,1",
                                 storage: "Nơi khô ráo, thoáng mát, tránh ánh nắng", shelfLife: "12 tháng kể từ ngày đóng gói", origin: "Trần Đề, Việt Nam",
                                 responsibleEntity: "Cơ sở lúa gạo Trần Đề (demo), ấp Cảng, Trần Đề"),
                decisions: [(5, 400)]),
            Product(
                slug: "banh-pia-sau-rieng-trung", name: "Bánh pía sầu riêng trứng", producer: "Cơ sở bánh pía Châu Thành (demo)", kind: "company", unitID: "94",
                address: "Huyện Châu Thành", group: "I.3.a", price: 95_000,
                description: "Bánh pía nhân sầu riêng và trứng muối, vỏ nhiều lớp. Hộp 4 cái.",
                label: OcopLabel(netQuantity: "500 g (4 cái)", ingredients: "Bột mì, sầu riêng, đậu xanh, trứng vịt muối, đường, mỡ",
                                 usage: "Dùng ngay sau khi mở hộp", storage: "Nơi thoáng mát; sau khi mở để tủ lạnh", warnings: "Có trứng và bột mì (gluten)",
                                 shelfLife: "60 ngày kể từ ngày sản xuất", origin: "Châu Thành, Việt Nam", responsibleEntity: "Cơ sở bánh pía Châu Thành (demo)"),
                decisions: [(4, 300)]),
            Product(
                slug: "tom-kho-tran-de", name: "Tôm khô Trần Đề", producer: "Tổ hợp tác tôm khô Trung Bình (demo)", kind: "cooperative_group", unitID: "31681",
                address: "Ấp Vĩnh Bình", group: "I.2.d", price: 220_000,
                description: "Tôm đất phơi nắng, không phẩm màu. Sản phẩm OCOP 3 sao.",
                label: OcopLabel(netQuantity: "250 g", ingredients: "Tôm đất, muối", usage: "Ngâm nước ấm 10 phút trước khi nấu",
                                 storage: "Ngăn mát tủ lạnh", shelfLife: "6 tháng", origin: "Trần Đề, Việt Nam", responsibleEntity: "Tổ hợp tác tôm khô Trung Bình (demo)"),
                decisions: [(3, thirtySixMonths + 30)]),
            Product(
                slug: "mam-ca-loc-khmer", name: "Mắm cá lóc Khmer", producer: "Cơ sở chế biến Lịch Hội Thượng (demo)", kind: "household", unitID: "31679",
                address: "Đường 30 Tháng 4", group: "I.4.a", price: 80_000,
                description: "Mắm bò hóc theo cách làm của đồng bào Khmer, ủ 6 tháng.",
                label: OcopLabel(netQuantity: "500 g", ingredients: "Cá lóc, muối, thính gạo", usage: "Dùng nấu canh, kho, làm nước chấm",
                                 storage: "Đậy kín, nơi thoáng mát", shelfLife: "12 tháng", origin: "Lịch Hội Thượng, Việt Nam",
                                 responsibleEntity: "Cơ sở chế biến Lịch Hội Thượng (demo)"),
                decisions: [(3, thirtySixMonths + 100), (4, 120)]),
            Product(
                slug: "kho-ca-keo-dai-an", name: "Khô cá kèo Đại Ân", producer: "Cơ sở khô cá kèo Đại Ân 2 (demo)", kind: "household", unitID: "31672",
                address: "Ấp Ngan Rô", group: "I.2.d", price: 120_000,
                description: "Cá kèo phơi một nắng, ít muối. Sản phẩm OCOP 3 sao của huyện Trần Đề.",
                label: OcopLabel(netQuantity: "500 g", ingredients: "Cá kèo, muối", usage: "Chiên hoặc nướng",
                                 storage: "Ngăn đá tủ lạnh", shelfLife: "3 tháng", origin: "Trần Đề, Việt Nam", responsibleEntity: "Cơ sở khô cá kèo Đại Ân 2 (demo)"),
                decisions: [(3, thirtySixMonths - 60)]),
        ]
    }

    /// Gạo thơm ST25's producer (the first demo product's), whose login is `ocop.st25`.
    static let riceProducerID = DemoSeed.demoID("ocop-producer/0")

    /// The placeholder photo shipped for a demo product (made by `scripts/make-demo-photos.sh`).
    static func photo(_ slug: String) -> Data? {
        Bundle.module.url(forResource: "Demo/ocop/\(slug)", withExtension: "jpg").flatMap { try? Data(contentsOf: $0) }
    }

    /// `photos` resizes the placeholder photos. Without libvips on the machine the products are
    /// listed without photos (and so stay out of the feeds) rather than the demo failing.
    static func seed(on db: any Database, today: Day, photos: OcopPhotoService) async throws {
        for (index, demo) in products(today: today).enumerated() {
            let productID = DemoSeed.demoID("ocop/\(index)")
            guard try await OcopProductModel.find(productID, on: db) == nil else { continue }
            let producer = OcopProducerModel()
            producer.id = DemoSeed.demoID("ocop-producer/\(index)")
            producer.name = demo.producer
            producer.kind = demo.kind
            producer.unitID = demo.unitID
            producer.address = demo.address
            producer.isDemo = true
            // Gạo thơm ST25's producer sells through the commune's OCOP shop (a stall with its account).
            if demo.slug == "gao-thom-st25", try await StallModel.find(DemoSeed.ocopRiceStallID, on: db) != nil {
                producer.stallID = DemoSeed.ocopRiceStallID
            }
            if try await OcopProducerModel.find(producer.id, on: db) == nil { try await producer.create(on: db) }

            let product = OcopProductModel()
            product.id = productID
            product.slug = demo.slug
            product.producerID = try producer.requireID()
            product.name = demo.name
            product.groupCode = demo.group
            product.description = demo.description
            product.price = demo.price
            product.availability = OcopAvailability.inStock.rawValue
            product.set(label: demo.label)
            product.isDemo = true
            try await product.create(on: db)

            var previous: UUID?
            for (number, (stars, daysAgo)) in demo.decisions.enumerated() {
                let decided = today.adding(days: -daysAgo)
                let certificate = OcopCertificateModel()
                certificate.id = DemoSeed.demoID("ocop/\(index)/decision/\(number)")
                certificate.productID = productID
                certificate.stars = stars
                certificate.level = stars == 5 ? "central" : "province"
                certificate.issuer = stars == 5 ? "Bộ Nông nghiệp và Phát triển nông thôn (demo)" : provinceIssuer
                certificate.decisionNumber = "DEMO-\(index + 1)\(number > 0 ? "-\(number + 1)" : "")/QĐ-\(stars == 5 ? "BNN" : "UBND")"
                certificate.decisionDate = decided.iso
                certificate.validUntil = OcopCertificate.validUntil(decidedOn: decided).iso
                certificate.renewsID = previous
                certificate.isDemo = true
                try await certificate.create(on: db)
                previous = certificate.id
            }
            if let bytes = photo(demo.slug) {
                var service = photos
                service.database = db
                _ = try? await service.add(bytes, fileName: "\(demo.slug).jpg", to: productID)
            }
        }
    }
}
