import ChoSoCore
import Crypto
import Fluent
import Foundation

/// The listing feeds as files: the same bytes for the same data, an ETag from those bytes, and a
/// Last-Modified that also moves on the day a certificate lapses (the day the feed drops a claim).
struct OcopFeedService {
    var database: any Database
    var today: Day
    var timeZone: TimeZone
    var baseURL: String

    struct File: Sendable {
        var body: Data, contentType: String, etag: String, lastModified: Date
    }

    enum Kind: String, Sendable { case google = "google.xml", csv = "products.csv" }

    func file(_ kind: Kind) async throws -> File {
        let entries = try await OcopCatalog(database: database).entries()
        let listings = entries.map(\.listing)
        let text = switch kind {
        case .google: OcopFeed.google(listings, baseURL: baseURL, today: today, title: "Sản phẩm OCOP — ChoSo")
        case .csv: OcopFeed.csv(listings, baseURL: baseURL, today: today)
        }
        let body = Data(text.utf8)
        let digest = SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined()
        return File(body: body, contentType: kind == .google ? "application/xml; charset=utf-8" : "text/csv; charset=utf-8",
                    etag: "\"\(digest)\"", lastModified: lastModified(entries))
    }

    private func lastModified(_ entries: [OcopEntry]) -> Date {
        let edited = entries.compactMap(\.product.updatedAt).max() ?? Date(timeIntervalSince1970: 0)
        let lapsed = entries.compactMap { $0.current?.certificate?.validUntil.adding(days: 1) }.filter { $0 <= today }.max()
        guard let lapsed, let midnight = Self.midnight(lapsed, timeZone) else { return edited }
        return max(edited, midnight)
    }

    static func midnight(_ day: Day, _ timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
    }
}
