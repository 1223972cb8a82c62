import ChoSoCore
import Fluent
import Foundation

/// The commune officer's side of the register: the products of their communes, reminders of
/// lapsing certificates, completeness for sale, photos. Every change checks `AccessPolicy`.
struct OcopRegisterService {
    var database: any Database
    var user: CurrentUser
    var today: Day
    var photos: OcopPhotoService

    struct Reach: Sendable {
        var tree: UnitTree
        var entries: [OcopEntry]
    }

    /// What this user keeps: every product for an administrator, their communes' for an officer,
    /// their own for a producer.
    func reach() async throws -> Reach {
        guard [.officer, .admin, .producer].contains(user.role) else { throw AppError.notFound }
        let tree = try await UnitService(database: database).tree()
        let entries = try await OcopCatalog(database: database).entries().filter { entry in
            AccessPolicy.permits(user.principal, .read, Self.resource(entry.producer, tree: tree))
        }
        return Reach(tree: tree, entries: entries)
    }

    static func resource(_ producer: OcopProducerModel, tree: UnitTree) -> Resource {
        .ocopProduct(producerID: producer.id?.uuidString ?? "", units: tree.lineage(of: producer.unitID))
    }

    /// A product to be registered in a commune: nobody's yet.
    static func newProduct(in unitID: String, tree: UnitTree) -> Resource {
        .ocopProduct(producerID: "", units: tree.lineage(of: unitID))
    }

    func entry(slug: String, for action: Action) async throws -> OcopEntry {
        guard let entry = try await OcopCatalog(database: database).entry(slug: slug) else { throw AppError.notFound }
        let tree = try await UnitService(database: database).tree()
        let decision = AccessPolicy.decide(user.principal, action, Self.resource(entry.producer, tree: tree))
        guard decision.isAllowed else { throw AppError.denied(decision) }
        return entry
    }

    func reminders(in reach: Reach, within days: Int = 180) -> [OcopCatalog.Reminder] {
        OcopCatalog.reminders(of: reach.entries, today: today, within: days)
    }

    /// Communes in force today where this user may register producers.
    func communes(in reach: Reach) -> [AdminUnit] {
        reach.tree.units.values
            .filter { [.commune, .ward, .township].contains($0.type) && $0.isValid(on: today) }
            .filter { AccessPolicy.permits(user.principal, .create, Self.newProduct(in: $0.id, tree: reach.tree)) }
            .sorted { $0.name < $1.name }
    }

    /// Whether this user may change what the decision recognised (the name and the group): the
    /// officers; a producer keeps the sale facts only.
    var editsRecognition: Bool { user.role != .producer }

    /// Saves the form over the product's facts (audited through its `updated_at`, which also
    /// moves the feeds' Last-Modified).
    func update(slug: String, _ input: OcopProductInput) async throws -> OcopEntry {
        let entry = try await entry(slug: slug, for: .update)
        var input = input
        if !editsRecognition {
            input.name = entry.product.name
            input.groupCode = entry.product.groupCode
        }
        let groups = Set(try await OcopCatalog(database: database).groups().map(\.code))
        let clean = try input.validate(groups: groups).valueOrInvalid()
        let product = entry.product
        product.name = clean.name
        product.description = clean.description
        product.groupCode = clean.groupCode
        product.price = clean.priceDong
        product.availability = clean.availability.rawValue
        product.set(label: clean.label)
        try await product.save(on: database)
        return entry
    }

    func addPhoto(slug: String, bytes: Data, fileName: String) async throws -> OcopPhotoModel {
        let entry = try await entry(slug: slug, for: .update)
        return try await photos.add(bytes, fileName: fileName, to: try entry.product.requireID())
    }

    /// Adds a paper to the product; the same kind and number again changes nothing (a double tap
    /// or a resend on a weak link).
    func addEvidence(slug: String, _ input: OcopEvidenceInput) async throws -> OcopEntry {
        let entry = try await entry(slug: slug, for: .update)
        let clean = try input.validate(today: today).valueOrInvalid()
        let productID = try entry.product.requireID()
        try await SyncGate.shared.around(database) {
            try await database.transaction { db in
                let known = try await OcopEvidenceModel.query(on: db).filter(\.$productID == productID)
                    .filter(\.$kind == clean.kind.rawValue).filter(\.$number == clean.number).first()
                guard known == nil else { return }
                let evidence = OcopEvidenceModel()
                evidence.productID = productID
                evidence.kind = clean.kind.rawValue
                evidence.number = clean.number
                evidence.issuer = clean.issuer
                evidence.issuedOn = clean.issuedOn.iso
                try await evidence.create(on: db)
            }
        }
        return entry
    }

    func evidence(of entry: OcopEntry) async throws -> [OcopEvidenceModel] {
        try await OcopEvidenceModel.query(on: database).filter(\.$productID == entry.product.requireID()).sort(\.$issuedOn).all()
    }

    func photos(of entry: OcopEntry) async throws -> [UUID] {
        try await OcopPhotoModel.query(on: database).filter(\.$productID == entry.product.requireID())
            .field(\.$id).field(\.$position).sort(\.$position).all().compactMap(\.id)
    }
}
