import Foundation

/// What the label law asks a product sold online to show (Nghị định 43/2017 and 111/2021 on
/// labels, Nghị định 85/2021 on e-commerce): the buyer must read it before paying.
public struct OcopLabel: Sendable, Hashable, Codable {
    /// "5 kg", "500 g", "750 ml".
    public var netQuantity: String
    public var ingredients: String
    public var usage: String
    public var storage: String
    /// Warnings where the product needs them; "" when it has none.
    public var warnings: String
    /// "12 tháng kể từ ngày sản xuất".
    public var shelfLife: String
    /// "Việt Nam" or the place of origin.
    public var origin: String
    /// The name and address of who answers for the product.
    public var responsibleEntity: String

    public init(netQuantity: String = "", ingredients: String = "", usage: String = "", storage: String = "",
                warnings: String = "", shelfLife: String = "", origin: String = "", responsibleEntity: String = "") {
        self.netQuantity = netQuantity
        self.ingredients = ingredients
        self.usage = usage
        self.storage = storage
        self.warnings = warnings
        self.shelfLife = shelfLife
        self.origin = origin
        self.responsibleEntity = responsibleEntity
    }

    /// Every fact passed through `transform`.
    public func mapped(_ transform: (String) -> String) -> OcopLabel {
        OcopLabel(netQuantity: transform(netQuantity), ingredients: transform(ingredients), usage: transform(usage), storage: transform(storage),
                  warnings: transform(warnings), shelfLife: transform(shelfLife), origin: transform(origin),
                  responsibleEntity: transform(responsibleEntity))
    }
}

public enum OcopAvailability: String, Sendable, Hashable, Codable, CaseIterable {
    case inStock = "in_stock", outOfStock = "out_of_stock", preorder

    public var label: LocalizedText {
        switch self {
        case .inStock: LocalizedText(vi: "Còn hàng", en: "In stock")
        case .outOfStock: LocalizedText(vi: "Hết hàng", en: "Out of stock")
        case .preorder: LocalizedText(vi: "Đặt trước", en: "Pre-order")
        }
    }
}

/// A product as pages and feeds show it: the register's facts, with its current certificate.
public struct OcopListing: Sendable, Hashable {
    /// Stable and short: the feeds' item id and the page's address.
    public var slug: String
    public var name: String
    public var description: String
    public var producerName: String
    /// The classification code from the annex of QĐ 148/QĐ-TTg, e.g. "I.2.a".
    public var groupCode: String
    public var priceDong: Int64?
    public var availability: OcopAvailability
    public var label: OcopLabel
    public var certificate: OcopCertificate?
    /// Path of the large photo, e.g. "/ocop/photos/….jpg"; nil without a photo.
    public var imagePath: String?
    public var isDemo: Bool

    public init(slug: String, name: String, description: String, producerName: String, groupCode: String, priceDong: Int64?,
                availability: OcopAvailability, label: OcopLabel, certificate: OcopCertificate?, imagePath: String?, isDemo: Bool) {
        self.slug = slug
        self.name = name
        self.description = description
        self.producerName = producerName
        self.groupCode = groupCode
        self.priceDong = priceDong
        self.availability = availability
        self.label = label
        self.certificate = certificate
        self.imagePath = imagePath
        self.isDemo = isDemo
    }

    /// The certificate that may be claimed on `today`: nil once it has expired.
    public func claimableCertificate(on today: Day) -> OcopCertificate? {
        guard let certificate, certificate.validity(on: today).claimsStars else { return nil }
        return certificate
    }

    /// The description as it may be published on `today`: with no valid certificate, every
    /// sentence that claims OCOP or stars is left out.
    public func publishableDescription(on today: Day) -> String {
        OcopWording.withoutClaims(description, allowing: claimableCertificate(on: today)?.stars)
    }

    /// The label facts as they may be published on `today`: with no valid certificate, none of
    /// them claims OCOP or stars either (an origin typed as "Sản phẩm OCOP 4 sao, Trần Đề").
    public func publishableLabel(on today: Day) -> OcopLabel {
        let stars = claimableCertificate(on: today)?.stars
        return label.mapped { OcopWording.withoutClaims($0, allowing: stars) }
    }

    /// What must be filled in before the product enters any feed, in the order of the form.
    public var missingForSale: [OcopMissing] {
        var missing: [OcopMissing] = []
        func need(_ value: String, _ field: OcopMissing) { if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { missing.append(field) } }
        need(description, .description)
        if (priceDong ?? 0) <= 0 { missing.append(.price) }
        if imagePath == nil { missing.append(.photo) }
        need(label.netQuantity, .netQuantity)
        need(label.ingredients, .ingredients)
        need(label.usage, .usage)
        need(label.storage, .storage)
        need(label.shelfLife, .shelfLife)
        need(label.origin, .origin)
        need(label.responsibleEntity, .responsibleEntity)
        return missing
    }
}

/// A fact a product lacks before it may be listed for sale.
public enum OcopMissing: String, Sendable, Hashable, CaseIterable, Codable {
    case description, price, photo, netQuantity, ingredients, usage, storage, shelfLife, origin, responsibleEntity

    public var label: LocalizedText {
        switch self {
        case .description: LocalizedText(vi: "Mô tả sản phẩm", en: "Description")
        case .price: LocalizedText(vi: "Giá bán (đồng)", en: "Price (đồng)")
        case .photo: LocalizedText(vi: "Ảnh sản phẩm", en: "Photo")
        case .netQuantity: LocalizedText(vi: "Định lượng (khối lượng, thể tích)", en: "Net quantity")
        case .ingredients: LocalizedText(vi: "Thành phần", en: "Ingredients")
        case .usage: LocalizedText(vi: "Hướng dẫn sử dụng", en: "Directions for use")
        case .storage: LocalizedText(vi: "Hướng dẫn bảo quản", en: "Storage")
        case .shelfLife: LocalizedText(vi: "Hạn sử dụng", en: "Shelf life")
        case .origin: LocalizedText(vi: "Xuất xứ", en: "Origin")
        case .responsibleEntity: LocalizedText(vi: "Tổ chức, cá nhân chịu trách nhiệm", en: "Responsible entity")
        }
    }
}

/// Taking OCOP claims out of free text once a certificate has lapsed.
public enum OcopWording {
    /// Drops each sentence (or line) that claims what the register does not say. With no star
    /// count allowed (no valid certificate), a sentence mentioning OCOP, stars ("★", "sao") or the
    /// programme's name; with one (the certificate in force), a sentence naming another number
    /// of stars ("đạt OCOP 5 sao" on a 3-star product). What is left is what the product is.
    public static func withoutClaims(_ text: String, allowing stars: Int? = nil) -> String {
        var kept: [String] = []
        var sentence = ""
        var dropped = false
        func flush() {
            let trimmed = sentence.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty {
                if claims(trimmed, allowing: stars) { dropped = true } else { kept.append(trimmed) }
            }
            sentence = ""
        }
        for character in text {
            if character.isNewline { flush(); continue }
            sentence.append(character)
            if character == "." || character == "!" || character == "?" { flush() }
        }
        flush()
        // Nothing to take out: the text as written, its lines kept.
        return dropped ? kept.joined(separator: " ") : text
    }

    /// A product's name without any claim in it ("Tôm khô OCOP 4 sao" → "Tôm khô"): ChoSo writes
    /// the stars itself, from the decision in force.
    public static func bareName(_ name: String) -> String {
        let words = name.split(separator: " ").map(String.init)
        var kept: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            let folded = TextNormalization.asciiFolded(word).lowercased().filter { $0.isLetter || $0.isNumber }
            let next = index + 1 < words.count ? TextNormalization.asciiFolded(words[index + 1]).lowercased().filter(\.isLetter) : ""
            if folded == "ocop" || word.contains("★") || word.contains("☆") || folded == "sao" && kept.isEmpty == false && Int(kept.last ?? "") != nil {
                index += 1
                continue
            }
            if Int(folded) != nil, next == "sao" {
                index += 2
                continue
            }
            kept.append(word)
            index += 1
        }
        let bare = kept.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " -–—,:;()"))
        return bare.isEmpty ? name : bare
    }

    public static func claims(_ sentence: String, allowing stars: Int? = nil) -> Bool {
        let folded = TextNormalization.asciiFolded(sentence).lowercased()
        let mentioned = starCounts(sentence)
        if let stars { return mentioned.contains { $0 != stars } }
        if sentence.contains("★") || sentence.contains("☆") || folded.contains("ocop") || folded.contains("moi xa mot san pham") { return true }
        return !mentioned.isEmpty
    }

    /// The star counts a sentence names: "5 sao", "5★", "★★★★".
    static func starCounts(_ sentence: String) -> Set<Int> {
        var counts: Set<Int> = []
        let folded = TextNormalization.asciiFolded(sentence).lowercased()
        let words = folded.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        for (word, next) in zip(words, words.dropFirst()) where next == "sao" {
            if let number = Int(word) { counts.insert(number) }
        }
        var run = 0, digits = ""
        for character in sentence + " " {
            if character == "★" || character == "☆" {
                run += 1
            } else {
                if run > 0 { counts.insert(run == 1 ? (Int(digits) ?? 1) : run) }
                run = 0
                digits = character.isNumber ? digits + String(character) : ""
            }
        }
        return counts
    }
}

/// Page addresses made from names: "Gạo thơm ST25" → "gao-thom-st25".
public enum OcopSlug {
    public static func make(_ name: String, taken: (String) -> Bool) -> String {
        var slug = ""
        for character in TextNormalization.asciiFolded(name).lowercased() {
            if character.isASCII, character.isLetter || character.isNumber { slug.append(character) }
            else if !slug.isEmpty, slug.last != "-" { slug.append("-") }
        }
        while slug.last == "-" { slug.removeLast() }
        var base = slug.isEmpty ? "san-pham" : String(slug.prefix(60))
        // Addresses the pages themselves use under /ocop/ and /ocop/register/.
        if reserved.contains(base) { base += "-san-pham" }
        var candidate = base, suffix = 2
        while taken(candidate) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return candidate
    }

    static let reserved: Set<String> = ["register", "feeds", "photos", "import", "add", "producers", "groups"]

    /// What an address may look like; anything else is not a product page.
    public static func isWellFormed(_ slug: String) -> Bool {
        !slug.isEmpty && slug.count <= 80 && slug.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
