import ChoSoCore
import Vapor

/// The register through the API, for whoever keeps it: `GET /api/v1/ocop/register` (an
/// officer's communes' products, an administrator's all, a producer's own — expired ones too)
/// and `PATCH /api/v1/ocop/products/{slug}` (the fields given change, the rest stay; a producer's
/// name and group are kept, as on the form).
struct OcopRegisterAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("ocop", "register", use: list)
        routes.patch("ocop", "products", ":slug", use: update)
    }

    @Sendable func list(req: Request) async throws -> [OcopRegisterItemDTO] {
        let register = try req.ocopRegister
        let reach = try await register.reach()
        return reach.entries.map { OcopRegisterItemDTO($0, today: register.today, place: req.ocopPages.place($0.producer, tree: reach.tree)) }
    }

    /// Every field optional: what is absent (or null) keeps its value.
    struct Patch: Content {
        var name: String?, description: String?, groupCode: String?, availability: String?
        var price: Int64?
        var netQuantity: String?, ingredients: String?, usage: String?, storage: String?, warnings: String?
        var shelfLife: String?, origin: String?, responsibleEntity: String?

        func applied(to product: OcopProductModel) -> OcopProductInput {
            OcopProductInput(
                name: name ?? product.name, description: description ?? product.description, groupCode: groupCode ?? product.groupCode,
                price: (price ?? product.price).map(String.init) ?? "", availability: availability ?? product.availability,
                label: OcopLabel(netQuantity: netQuantity ?? product.netQuantity, ingredients: ingredients ?? product.ingredients,
                                 usage: usage ?? product.usage, storage: storage ?? product.storage, warnings: warnings ?? product.warnings,
                                 shelfLife: shelfLife ?? product.shelfLife, origin: origin ?? product.origin,
                                 responsibleEntity: responsibleEntity ?? product.responsibleEntity))
        }
    }

    @Sendable func update(req: Request) async throws -> OcopRegisterItemDTO {
        let slug = req.parameters.get("slug") ?? ""
        let register = try req.ocopRegister
        let entry = try await register.entry(slug: slug, for: .update)
        let patch = try req.content.decode(Patch.self)
        _ = try await register.update(slug: slug, patch.applied(to: entry.product))
        guard let saved = try await OcopCatalog(database: req.db).entry(slug: slug) else { throw AppError.notFound }
        let tree = try await UnitService(database: req.db).tree()
        return OcopRegisterItemDTO(saved, today: register.today, place: req.ocopPages.place(saved.producer, tree: tree))
    }
}

/// A product as its keepers see it: expired or not, with what it lacks for sale.
struct OcopRegisterItemDTO: Content {
    var slug: String
    var name: String
    var producerId: String
    var producer: String
    var place: String
    var groupCode: String
    var description: String
    @ExplicitNull var price: Int64?
    var availability: String
    @ExplicitNull var stars: Int?
    @ExplicitNull var validUntil: String?
    /// "valid", "expired" or "none" (no decision yet).
    var validity: String
    /// "expired", "within30", "within90", "within180", or null.
    @ExplicitNull var reminder: String?
    var missingForSale: [String]
    var netQuantity: String, ingredients: String, usage: String, storage: String, warnings: String
    var shelfLife: String, origin: String, responsibleEntity: String

    init(_ entry: OcopEntry, today: Day, place: String) {
        let listing = entry.listing
        let validity = listing.certificate?.validity(on: today)
        slug = listing.slug
        name = listing.name
        producerId = entry.producer.id?.uuidString ?? ""
        producer = listing.producerName
        self.place = place
        groupCode = listing.groupCode
        description = listing.description
        price = listing.priceDong
        availability = listing.availability.rawValue
        stars = listing.certificate?.stars
        validUntil = listing.certificate?.validUntil.iso
        self.validity = validity.map { $0.claimsStars ? "valid" : "expired" } ?? "none"
        reminder = validity?.reminder?.rawValue
        missingForSale = listing.missingForSale.map(\.rawValue)
        let label = listing.label
        netQuantity = label.netQuantity
        ingredients = label.ingredients
        usage = label.usage
        storage = label.storage
        warnings = label.warnings
        shelfLife = label.shelfLife
        origin = label.origin
        responsibleEntity = label.responsibleEntity
    }
}
