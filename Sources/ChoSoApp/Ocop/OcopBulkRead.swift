import Fluent
import Foundation
import SQLKit

/// Reading the whole register at once, column by column. Fluent's row decoding reflects over each
/// model's properties for every row: for a province's 5,000 products that was most of the public
/// list's 900 ms (perf: `Fields.properties`, `swift_conformsToProtocol`). The models are filled
/// here field by field instead, and marked as existing rows.
enum OcopBulkRead {
    static func products(on sql: any SQLDatabase) async throws -> [OcopProductModel] {
        try await sql.select().column("*").from(OcopProductModel.schema).orderBy("slug").all().map { row in
            let product = OcopProductModel()
            product.id = try row.decode(column: "id", as: UUID.self)
            product.$id.exists = true
            product.slug = try row.decode(column: "slug", as: String.self)
            product.producerID = try row.decode(column: "producer_id", as: UUID.self)
            product.name = try row.decode(column: "name", as: String.self)
            product.groupCode = try row.decode(column: "group_code", as: String.self)
            product.description = try row.decode(column: "description", as: String.self)
            product.price = try row.decode(column: "price", as: Int64?.self)
            product.availability = try row.decode(column: "availability", as: String.self)
            product.netQuantity = try row.decode(column: "net_quantity", as: String.self)
            product.ingredients = try row.decode(column: "ingredients", as: String.self)
            product.usage = try row.decode(column: "usage", as: String.self)
            product.storage = try row.decode(column: "storage", as: String.self)
            product.warnings = try row.decode(column: "warnings", as: String.self)
            product.shelfLife = try row.decode(column: "shelf_life", as: String.self)
            product.origin = try row.decode(column: "origin", as: String.self)
            product.responsibleEntity = try row.decode(column: "responsible_entity", as: String.self)
            product.imagePath = try row.decode(column: "image_path", as: String?.self)
            product.isDemo = try row.decode(column: "is_demo", as: Bool.self)
            product.updatedAt = try row.decode(column: "updated_at", as: Date?.self)
            return product
        }
    }

    static func producers(on sql: any SQLDatabase) async throws -> [OcopProducerModel] {
        try await sql.select().column("*").from(OcopProducerModel.schema).all().map { row in
            let producer = OcopProducerModel()
            producer.id = try row.decode(column: "id", as: UUID.self)
            producer.$id.exists = true
            producer.name = try row.decode(column: "name", as: String.self)
            producer.kind = try row.decode(column: "kind", as: String.self)
            producer.registrationNumber = try row.decode(column: "registration_number", as: String?.self)
            producer.unitID = try row.decode(column: "unit_id", as: String.self)
            producer.address = try row.decode(column: "address", as: String.self)
            producer.phone = try row.decode(column: "phone", as: String?.self)
            producer.stallID = try row.decode(column: "stall_id", as: UUID?.self)
            producer.isDemo = try row.decode(column: "is_demo", as: Bool.self)
            return producer
        }
    }

    static func certificates(on sql: any SQLDatabase) async throws -> [OcopCertificateModel] {
        try await sql.select().column("*").from(OcopCertificateModel.schema).all().map { row in
            let certificate = OcopCertificateModel()
            certificate.id = try row.decode(column: "id", as: UUID.self)
            certificate.$id.exists = true
            certificate.productID = try row.decode(column: "product_id", as: UUID.self)
            certificate.stars = try row.decode(column: "stars", as: Int.self)
            certificate.level = try row.decode(column: "level", as: String.self)
            certificate.issuer = try row.decode(column: "issuer", as: String.self)
            certificate.decisionNumber = try row.decode(column: "decision_number", as: String.self)
            certificate.decisionDate = try row.decode(column: "decision_date", as: String.self)
            certificate.validUntil = try row.decode(column: "valid_until", as: String.self)
            certificate.renewsID = try row.decode(column: "renews_id", as: UUID?.self)
            certificate.isDemo = try row.decode(column: "is_demo", as: Bool.self)
            return certificate
        }
    }
}
