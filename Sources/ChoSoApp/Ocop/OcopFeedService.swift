import ChoSoCore
import Crypto
import Fluent
import Foundation
import Spreadsheet

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

    enum Kind: String, Sendable, CaseIterable {
        case google = "google.xml", csv = "products.csv"
        case shopee = "shopee.xlsx", lazada = "lazada.xlsx", tiktok = "tiktok.xlsx"

        var contentType: String {
            switch self {
            case .google: "application/xml; charset=utf-8"
            case .csv: "text/csv; charset=utf-8"
            case .shopee, .lazada, .tiktok: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }

        /// Sheets are saved, not shown: they download under their own name.
        var isDownload: Bool { ![.google, .csv].contains(self) }
    }

    func file(_ kind: Kind) async throws -> File {
        let entries = try await OcopCatalog(database: database).entries()
        let listings = entries.map(\.listing)
        let body: Data = switch kind {
        case .google: Data(OcopFeed.google(listings, baseURL: baseURL, today: today, title: "Sản phẩm OCOP — ChoSo").utf8)
        case .csv: Data(OcopFeed.csv(listings, baseURL: baseURL, today: today).utf8)
        case .shopee: Self.workbook(OcopMarketplace.sheet(.shopee, listings: listings, baseURL: baseURL, today: today))
        case .lazada: Self.workbook(OcopMarketplace.sheet(.lazada, listings: listings, baseURL: baseURL, today: today))
        case .tiktok: Self.workbook(OcopMarketplace.sheet(.tiktok, listings: listings, baseURL: baseURL, today: today))
        }
        let digest = SHA256.hash(data: body).prefix(12).map { String(format: "%02x", $0) }.joined()
        return File(body: body, contentType: kind.contentType, etag: "\"\(digest)\"", lastModified: lastModified(entries))
    }

    static func workbook(_ sheet: OcopMarketplace.Sheet) -> Data {
        let rows: [[XLSX.Cell]] = [sheet.header.map(XLSX.Cell.text)] + sheet.rows.map { row in
            row.map { value in
                switch value {
                case .text(let text): .text(text)
                case .number(let number): .number(number)
                case .date(let day): .date(year: day.year, month: day.month, day: day.day)
                case .empty: .empty
                }
            }
        }
        return Data(XLSX.workbook(sheetName: sheet.name, rows: rows, boldRows: [0]))
    }

    private func lastModified(_ entries: [OcopEntry]) -> Date {
        let edited = entries.compactMap(\.product.updatedAt).max() ?? Date(timeIntervalSince1970: 0)
        let lapsed = entries.compactMap { $0.current?.certificate?.validUntil.adding(days: 1) }.filter { $0 <= today }.max()
        guard let lapsed else { return edited }
        return max(edited, lapsed.start(in: timeZone))
    }
}
