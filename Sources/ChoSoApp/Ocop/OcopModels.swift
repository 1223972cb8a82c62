import ChoSoCore
import Fluent
import Foundation

/// Who makes OCOP products: a company, cooperative, cooperative group or business household,
/// attached to the commune valid on the day it was registered.
final class OcopProducerModel: Model, @unchecked Sendable {
    static let schema = "ocop_producers"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// company, cooperative, cooperative_group, household
    @Field(key: "kind") var kind: String
    @OptionalField(key: "registration_number") var registrationNumber: String?
    @Field(key: "unit_id") var unitID: String
    @Field(key: "address") var address: String
    @OptionalField(key: "phone") var phone: String?
    /// The producer's shop in the intake, when it takes payments: a stall of the commune's OCOP
    /// market, so its receiving account, payment codes and live screen are a stall's.
    @OptionalField(key: "stall_id") var stallID: UUID?
    @Field(key: "is_demo") var isDemo: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class OcopProductModel: Model, @unchecked Sendable {
    static let schema = "ocop_products"

    @ID(key: .id) var id: UUID?
    /// The page address, unique: "gao-thom-st25".
    @Field(key: "slug") var slug: String
    @Field(key: "producer_id") var producerID: UUID
    @Field(key: "name") var name: String
    @Field(key: "group_code") var groupCode: String
    @Field(key: "description") var description: String
    @OptionalField(key: "price") var price: Int64?
    @Field(key: "availability") var availability: String
    @Field(key: "net_quantity") var netQuantity: String
    @Field(key: "ingredients") var ingredients: String
    @Field(key: "usage") var usage: String
    @Field(key: "storage") var storage: String
    @Field(key: "warnings") var warnings: String
    @Field(key: "shelf_life") var shelfLife: String
    @Field(key: "origin") var origin: String
    @Field(key: "responsible_entity") var responsibleEntity: String
    /// Path of the large photo once one is uploaded.
    @OptionalField(key: "image_path") var imagePath: String?
    /// Demo rows are marked so that nobody takes them for the official register.
    @Field(key: "is_demo") var isDemo: Bool
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var label: OcopLabel {
        OcopLabel(netQuantity: netQuantity, ingredients: ingredients, usage: usage, storage: storage, warnings: warnings,
                  shelfLife: shelfLife, origin: origin, responsibleEntity: responsibleEntity)
    }

    func set(label: OcopLabel) {
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

/// One recognition decision for a product. A re-recognition is a new row pointing to the one it
/// renews; the product's current certificate is its latest decision.
final class OcopCertificateModel: Model, @unchecked Sendable {
    static let schema = "ocop_certificates"

    @ID(key: .id) var id: UUID?
    @Field(key: "product_id") var productID: UUID
    @Field(key: "stars") var stars: Int
    /// province, central (national), district (before 7/2025)
    @Field(key: "level") var level: String
    @Field(key: "issuer") var issuer: String
    @Field(key: "decision_number") var decisionNumber: String
    /// `YYYY-MM-DD`
    @Field(key: "decision_date") var decisionDate: String
    /// `YYYY-MM-DD`, from `OcopCertificate.validUntil`; kept for queries, never typed.
    @Field(key: "valid_until") var validUntil: String
    @OptionalField(key: "renews_id") var renewsID: UUID?
    @Field(key: "is_demo") var isDemo: Bool

    init() {}

    var certificate: OcopCertificate? {
        Day(iso: decisionDate).map { OcopCertificate(stars: stars, decisionNumber: decisionNumber, decisionDate: $0, issuer: issuer) }
    }
}

/// The evidence behind a product: food-safety certificate, quality declaration, trademark.
final class OcopEvidenceModel: Model, @unchecked Sendable {
    static let schema = "ocop_evidence"

    @ID(key: .id) var id: UUID?
    @Field(key: "product_id") var productID: UUID
    /// food_safety, quality_declaration, trademark
    @Field(key: "kind") var kind: String
    @Field(key: "number") var number: String
    @Field(key: "issuer") var issuer: String
    @Field(key: "issued_on") var issuedOn: String

    init() {}
}

/// A product photo, resized to a large and a small JPEG with its metadata (GPS) stripped. The
/// bytes never change for an id, so they are served with a year's cache.
final class OcopPhotoModel: Model, @unchecked Sendable {
    static let schema = "ocop_photos"

    @ID(key: .id) var id: UUID?
    @Field(key: "product_id") var productID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "large") var large: Data
    @Field(key: "small") var small: Data
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// The classification table (see `OcopGroup.shipped`), editable in the database.
final class OcopGroupModel: Model, @unchecked Sendable {
    static let schema = "ocop_groups"

    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String

    init() {}
}
