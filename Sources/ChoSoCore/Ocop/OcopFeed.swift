import Foundation

/// The listing feeds, made from the register alone and the same bytes for the same data: items in
/// slug order, no build time in the body. Only products with nothing missing for sale go in;
/// a lapsed certificate takes the stars and the OCOP wording out by itself.
public enum OcopFeed {
    public struct Item: Sendable, Hashable {
        public var id: String, title: String, description: String, link: String, imageLink: String
        public var price: String, availability: String, brand: String
        /// "OCOP 4 sao" while valid, "" otherwise.
        public var starLabel: String
        /// "con-hieu-luc", "het-han" or "chua-chung-nhan".
        public var validityLabel: String
    }

    /// The items every feed shares, in slug order.
    public static func items(_ listings: [OcopListing], baseURL: String, today: Day) -> [Item] {
        listings.filter { $0.missingForSale.isEmpty }.sorted { $0.slug < $1.slug }.map { listing in
            let certificate = listing.claimableCertificate(on: today)
            let validity = listing.certificate.map { $0.validity(on: today).claimsStars ? "con-hieu-luc" : "het-han" } ?? "chua-chung-nhan"
            return Item(
                id: listing.slug,
                title: certificate.map { "\(OcopWording.bareName(listing.name)) — OCOP \($0.stars) sao" } ?? OcopWording.bareName(listing.name),
                description: listing.publishableDescription(on: today),
                link: "\(baseURL)/ocop/\(listing.slug)", imageLink: "\(baseURL)\(listing.imagePath ?? "")",
                price: "\(listing.priceDong ?? 0) VND",
                availability: listing.availability.rawValue.replacingOccurrences(of: "_", with: " "),
                brand: listing.producerName,
                starLabel: certificate.map { "OCOP \($0.stars) sao" } ?? "", validityLabel: validity)
        }
    }

    /// Google Merchant Center: RSS 2.0 with the `g:` namespace.
    public static func google(_ listings: [OcopListing], baseURL: String, today: Day, title: String) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
            <channel>
            <title>\(escaped(title))</title>
            <link>\(escaped(baseURL))/ocop</link>
            <description>\(escaped(title))</description>

            """
        for item in items(listings, baseURL: baseURL, today: today) {
            xml += "<item>\n"
            for (tag, value) in [
                ("g:id", item.id), ("title", item.title), ("description", item.description), ("link", item.link),
                ("g:image_link", item.imageLink), ("g:price", item.price), ("g:availability", item.availability),
                ("g:brand", item.brand), ("g:condition", "new"), ("g:identifier_exists", "no"),
                ("g:custom_label_0", item.starLabel), ("g:custom_label_1", item.validityLabel),
            ] where !value.isEmpty {
                xml += "<\(tag)>\(escaped(value))</\(tag)>\n"
            }
            xml += "</item>\n"
        }
        return xml + "</channel>\n</rss>\n"
    }

    /// The same items as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents).
    public static func csv(_ listings: [OcopListing], baseURL: String, today: Day) -> String {
        let header = ["id", "title", "description", "link", "image_link", "price", "availability", "brand", "ocop_stars", "ocop_validity"]
        let rows = items(listings, baseURL: baseURL, today: today).map {
            [$0.id, $0.title, $0.description, $0.link, $0.imageLink, $0.price, $0.availability, $0.brand, $0.starLabel, $0.validityLabel]
        }
        return "\u{FEFF}" + ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func csvField(_ value: String) -> String {
        // A leading =, +, - or @ would be a formula in a spreadsheet program.
        let safe = value.first.map { "=+-@".contains($0) } == true ? "'" + value : value
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // XML 1.0 has no place for most control characters: they are dropped.
            case _ where scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r": continue
            case "\u{FFFE}", "\u{FFFF}": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
