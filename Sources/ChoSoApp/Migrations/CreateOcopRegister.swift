import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// The OCOP register (issue 16): producers, products with their label facts, the chain of
/// recognition decisions, evidence and the classification table. The first table
/// (`ocop_products`, name/producer/stars/decision in one row) is moved over and dropped.
struct CreateOcopRegister: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let legacy = try await sql.raw("SELECT id, name, producer, unit_id, stars, decision_number, decision_date, is_demo FROM ocop_products")
            .all(decoding: LegacyRow.self)
        try await database.schema("ocop_products").delete()

        try await database.schema("ocop_groups")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .create()
        try await database.schema("ocop_producers")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("registration_number", .string)
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("address", .string, .required)
            .field("phone", .string)
            .field("stall_id", .uuid, .references("stalls", "id"))
            .field("is_demo", .bool, .required)
            .field("created_at", .datetime)
            .create()
        var products = database.schema("ocop_products")
            .id()
            .field("slug", .string, .required)
            .field("producer_id", .uuid, .required, .references("ocop_producers", "id"))
            .field("name", .string, .required)
            .field("group_code", .string, .required)
            .field("description", .string, .required)
            .field("price", .int64)
            .field("availability", .string, .required)
        for text in ["net_quantity", "ingredients", "usage", "storage", "warnings", "shelf_life", "origin", "responsible_entity"] {
            products = products.field(.definition(name: .key(.string(text)), dataType: .string, constraints: [.required]))
        }
        try await products
            .field("image_path", .string)
            .field("is_demo", .bool, .required)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .create()
        try await database.schema("ocop_certificates")
            .id()
            .field("product_id", .uuid, .required, .references("ocop_products", "id"))
            .field("stars", .int, .required)
            .field("level", .string, .required)
            .field("issuer", .string, .required)
            .field("decision_number", .string, .required)
            .field("decision_date", .string, .required)
            .field("valid_until", .string, .required)
            .field("renews_id", .uuid, .references("ocop_certificates", "id"))
            .field("is_demo", .bool, .required)
            .unique(on: "product_id", "decision_number")
            .create()
        try await database.schema("ocop_evidence")
            .id()
            .field("product_id", .uuid, .required, .references("ocop_products", "id"))
            .field("kind", .string, .required)
            .field("number", .string, .required)
            .field("issuer", .string, .required)
            .field("issued_on", .string, .required)
            .create()
        try await database.schema("ocop_photos")
            .id()
            .field("product_id", .uuid, .required, .references("ocop_products", "id"))
            .field("position", .int, .required)
            .field("large", .data, .required)
            .field("small", .data, .required)
            .field("created_at", .datetime)
            .create()
        try await sql.create(index: "ocop_photos_product").on("ocop_photos").column("product_id").run()
        try await sql.create(index: "ocop_certificates_valid_until").on("ocop_certificates").column("valid_until").run()
        try await sql.create(index: "ocop_products_producer").on("ocop_products").column("producer_id").run()

        for group in OcopGroup.shipped {
            let model = OcopGroupModel()
            model.id = group.code
            model.name = group.name
            try await model.create(on: database)
        }
        try await Self.move(legacy, on: database)
    }

    struct LegacyRow: Decodable {
        var id: UUID, name: String, producer: String, unit_id: String, stars: Int, decision_number: String, decision_date: String, is_demo: Bool
    }

    /// Each old row becomes a producer (one per name), a product and its certificate.
    static func move(_ rows: [LegacyRow], on database: any Database) async throws {
        var producers: [String: UUID] = [:]
        for row in rows {
            let producerID: UUID
            if let known = producers[row.producer] {
                producerID = known
            } else {
                let producer = OcopProducerModel()
                producer.name = row.producer
                producer.kind = "household"
                producer.unitID = row.unit_id
                producer.address = ""
                producer.isDemo = row.is_demo
                try await producer.create(on: database)
                producerID = try producer.requireID()
                producers[row.producer] = producerID
            }
            let product = OcopProductModel.blank(name: row.name, producerID: producerID, groupCode: "I")
            product.id = row.id
            product.slug = OcopSlug.make(row.name, taken: { _ in false }) + "-" + row.id.uuidString.prefix(4).lowercased()
            product.isDemo = row.is_demo
            try await product.create(on: database)
            guard let decided = Day(iso: row.decision_date) else { continue }
            let certificate = OcopCertificateModel()
            certificate.productID = row.id
            certificate.stars = row.stars
            certificate.level = "province"
            certificate.issuer = ""
            certificate.decisionNumber = row.decision_number
            certificate.decisionDate = decided.iso
            certificate.validUntil = OcopCertificate.validUntil(decidedOn: decided).iso
            certificate.isDemo = row.is_demo
            try await certificate.create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["ocop_photos", "ocop_evidence", "ocop_certificates", "ocop_products", "ocop_producers", "ocop_groups"] {
            try await database.schema(table).delete()
        }
        try await CreateOcopProducts().prepare(on: database)
    }
}
