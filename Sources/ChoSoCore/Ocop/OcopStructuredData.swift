import Foundation

/// schema.org JSON-LD for a product page: a `Product` with its `Offer` in VND and, when it has
/// one, its OCOP `Certification` — active with the stars while valid, inactive and without stars
/// once expired.
public enum OcopStructuredData {
    public static func jsonLD(_ listing: OcopListing, baseURL: String, today: Day) -> String {
        let url = "\(baseURL)/ocop/\(listing.slug)"
        let claimable = listing.claimableCertificate(on: today)
        var product: [String: Any] = [
            "@context": "https://schema.org", "@type": "Product", "@id": url, "url": url,
            "name": OcopWording.bareName(listing.name),
            "description": listing.publishableDescription(on: today),
            "brand": ["@type": "Brand", "name": listing.producerName],
        ]
        if let image = listing.imagePath { product["image"] = baseURL + image }
        if let price = listing.priceDong, price > 0 {
            product["offers"] = [
                "@type": "Offer", "price": String(price), "priceCurrency": "VND", "url": url,
                "availability": listing.availability == .inStock ? "https://schema.org/InStock"
                    : listing.availability == .preorder ? "https://schema.org/PreOrder" : "https://schema.org/OutOfStock",
            ]
        }
        if let certificate = listing.certificate {
            var certification: [String: Any] = [
                "@type": "Certification", "name": "OCOP", "certificationIdentification": certificate.decisionNumber,
                "issuedBy": ["@type": "Organization", "name": certificate.issuer],
                "validFrom": certificate.decisionDate.iso, "expires": certificate.validUntil.iso,
                "certificationStatus": claimable == nil ? "https://schema.org/CertificationInactive" : "https://schema.org/CertificationActive",
            ]
            if let claimable {
                certification["certificationRating"] = ["@type": "Rating", "ratingValue": String(claimable.stars), "bestRating": "5", "worstRating": "1"]
            }
            product["hasCertification"] = certification
        }
        let data = (try? JSONSerialization.data(withJSONObject: product, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        // Safe inside a <script> element whatever the text holds: "</script>", "<!--" and "<script"
        // change how HTML parsers read a script's end, so no "<", ">" or "&" is left bare (JSON
        // has them only inside strings, where the escapes mean the same characters).
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}
