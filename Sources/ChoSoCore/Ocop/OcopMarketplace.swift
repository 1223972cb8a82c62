import Foundation

/// Sheets laid out for the marketplaces' bulk upload, made from the same items as the other
/// feeds (so an expired certificate has already lost its stars and its OCOP wording). The
/// marketplaces' own templates differ by category and change; these hold the basic columns of
/// each, in their names, for the seller to paste into the template they download
/// (docs/ocop.md lists them).
public enum OcopMarketplace: String, Sendable, CaseIterable {
    case shopee, lazada, tiktok

    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Int64)
        case date(Day)
        case empty
    }

    public struct Sheet: Sendable, Equatable {
        public var name: String
        public var header: [String]
        public var rows: [[Value]]
    }

    /// Each column's header and what it holds.
    private struct Column {
        var header: String
        var value: (Row) -> Value
    }

    /// What a row draws on: the feed's item, the listing's label and the certificate the product
    /// may still claim.
    private struct Row {
        var item: OcopFeed.Item
        /// The label as it may be published (no claim once the certificate has lapsed).
        var label: OcopLabel
        var availability: OcopAvailability
        var priceDong: Int64?
        var claimable: OcopCertificate?
        var details: String
    }

    public static func sheet(_ marketplace: OcopMarketplace, listings: [OcopListing], baseURL: String, today: Day) -> Sheet {
        let bySlug = Dictionary(listings.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = OcopFeed.items(listings, baseURL: baseURL, today: today).compactMap { item -> Row? in
            guard let listing = bySlug[item.id] else { return nil }
            let label = listing.publishableLabel(on: today)
            return Row(item: item, label: label, availability: listing.availability, priceDong: listing.priceDong,
                       claimable: listing.claimableCertificate(on: today), details: details(item.description, label))
        }
        let columns = marketplace.columns
        return Sheet(name: marketplace.sheetName, header: columns.map(\.header), rows: rows.map { row in columns.map { $0.value(row) } })
    }

    private var sheetName: String {
        switch self {
        case .shopee: "Shopee"
        case .lazada: "Lazada"
        case .tiktok: "TikTok Shop"
        }
    }

    /// A stock count is the seller's to give: out of stock is 0, otherwise left for them to fill
    /// (a made-up number would oversell).
    private static func stock(_ row: Row) -> Value {
        row.availability == .outOfStock ? .number(0) : .empty
    }

    private static func price(_ row: Row) -> Value {
        row.priceDong.map(Value.number) ?? .empty
    }

    private var columns: [Column] {
        switch self {
        case .shopee:
            [Column(header: "SKU sản phẩm") { .text($0.item.id) },
             Column(header: "Tên sản phẩm") { .text($0.item.title) },
             Column(header: "Mô tả sản phẩm") { .text($0.details) },
             Column(header: "Giá") { Self.price($0) },
             Column(header: "Kho hàng") { Self.stock($0) },
             Column(header: "Ảnh bìa") { .text($0.item.imageLink) },
             Column(header: "Thương hiệu") { .text($0.item.brand) },
             Column(header: "Xuất xứ") { .text($0.label.origin) },
             Column(header: "Hạn sử dụng") { .text($0.label.shelfLife) }]
        case .lazada:
            [Column(header: "SellerSKU") { .text($0.item.id) },
             Column(header: "Product Name") { .text($0.item.title) },
             Column(header: "Description") { .text($0.details) },
             Column(header: "Price") { Self.price($0) },
             Column(header: "Quantity") { Self.stock($0) },
             Column(header: "Main Image") { .text($0.item.imageLink) },
             Column(header: "Brand") { .text($0.item.brand) },
             Column(header: "Country of Origin") { .text($0.label.origin) }]
        case .tiktok:
            [Column(header: "Seller SKU") { .text($0.item.id) },
             Column(header: "Product name") { .text($0.item.title) },
             Column(header: "Product description") { .text($0.details) },
             Column(header: "Price") { Self.price($0) },
             Column(header: "Quantity") { Self.stock($0) },
             Column(header: "Main product image") { .text($0.item.imageLink) },
             Column(header: "Brand") { .text($0.item.brand) },
             // TikTok Shop asks Vietnamese sellers for certificates with an expiry date: only a
             // certificate still in force is offered.
             Column(header: "Certification") { $0.claimable.map { .text("OCOP \($0.stars) sao") } ?? .empty },
             Column(header: "Certification number") { $0.claimable.map { .text("\($0.decisionNumber) (\($0.issuer))") } ?? .empty },
             Column(header: "Certification expiry date") { $0.claimable.map { .date($0.validUntil) } ?? .empty }]
        }
    }

    /// The description followed by the label facts the law asks an online listing to show.
    static func details(_ description: String, _ label: OcopLabel) -> String {
        let facts = [("Khối lượng tịnh", label.netQuantity), ("Thành phần", label.ingredients), ("Hướng dẫn sử dụng", label.usage),
                     ("Bảo quản", label.storage), ("Cảnh báo", label.warnings), ("Hạn sử dụng", label.shelfLife),
                     ("Xuất xứ", label.origin), ("Chịu trách nhiệm", label.responsibleEntity)]
            .filter { !$0.1.isEmpty }.map { "\($0.0): \($0.1)" }
        return ([description].filter { !$0.isEmpty } + facts).joined(separator: "\n")
    }
}
