import ChoSoCore
import Vapor

/// `GET /api/v1/ocop/products` and `/api/v1/ocop/products/{slug}`: the public, read-only API of
/// products whose certificate is valid today — what a marketplace or a provincial portal may
/// list as OCOP. No sign-in; an expired or unknown product is 404.
struct OcopAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("ocop", "products", use: list)
        routes.rateLimited(.productChecks).get("ocop", "products", ":slug", use: product)
    }

    struct Query: Content { var stars: String?, group: String?, unit: String? }

    @Sendable func list(req: Request) async throws -> [OcopProductDTO] {
        let query = (try? req.query.decode(Query.self)) ?? Query()
        var stars: Int?
        if let text = query.stars, !text.isEmpty {
            guard let value = Int(text), (3...5).contains(value) else {
                throw AppError(status: .badRequest, code: "bad_stars", message: .init(vi: "Số sao là 3, 4 hoặc 5", en: "Stars are 3, 4 or 5"))
            }
            stars = value
        }
        return try await req.ocopPublicAPI.valid(stars: stars, group: query.group.flatMap { $0.isEmpty ? nil : $0 },
                                                 unit: query.unit.flatMap { $0.isEmpty ? nil : $0 })
    }

    @Sendable func product(req: Request) async throws -> OcopProductDTO {
        guard let product = try await req.ocopPublicAPI.valid(slug: req.parameters.get("slug") ?? "") else { throw AppError.notFound }
        return product
    }
}

/// A product as the public API gives it: only while its certificate is valid.
struct OcopProductDTO: Content {
    var slug: String
    var name: String
    var producer: String
    /// The commune as registered, with today's name when it has since been merged.
    var place: String
    var groupCode: String
    var price: Int64?
    var availability: String
    var stars: Int
    var decisionNumber: String
    var decisionDate: String
    var validUntil: String
    var issuer: String
    var url: String
    var checkUrl: String
    var imageUrl: String?
    /// Label facts still missing for online sale (empty: the product is in the feeds).
    var missingForSale: [String]
}

/// Builds the public API's answers from the register.
struct OcopPublicAPI {
    var pages: OcopPages

    func valid(stars: Int?, group: String?, unit: String?) async throws -> [OcopProductDTO] {
        let tree = try await UnitService(database: pages.database).tree()
        return try await OcopCatalog(database: pages.database).entries(.init(stars: stars, group: group, unitID: unit, today: pages.today))
            .compactMap { dto($0, tree: tree) }
    }

    func valid(slug: String) async throws -> OcopProductDTO? {
        guard let entry = try await OcopCatalog(database: pages.database).entry(slug: slug) else { return nil }
        return dto(entry, tree: try await UnitService(database: pages.database).tree())
    }

    func dto(_ entry: OcopEntry, tree: UnitTree) -> OcopProductDTO? {
        let listing = entry.listing
        guard let certificate = listing.claimableCertificate(on: pages.today) else { return nil }
        let url = "\(pages.baseURL)/ocop/\(listing.slug)"
        return OcopProductDTO(
            slug: listing.slug, name: listing.name, producer: listing.producerName, place: pages.place(entry.producer, tree: tree),
            groupCode: listing.groupCode, price: listing.priceDong, availability: listing.availability.rawValue, stars: certificate.stars,
            decisionNumber: certificate.decisionNumber, decisionDate: certificate.decisionDate.iso, validUntil: certificate.validUntil.iso,
            issuer: certificate.issuer, url: url, checkUrl: url + "/kiem-tra", imageUrl: listing.imagePath.map { pages.baseURL + $0 },
            missingForSale: listing.missingForSale.map(\.rawValue))
    }
}

extension Request {
    var ocopPublicAPI: OcopPublicAPI { OcopPublicAPI(pages: ocopPages) }
}
