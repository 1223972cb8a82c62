import Fluent
import Foundation

/// A product rated under the OCOP programme ("Mỗi xã một sản phẩm"): stars, the decision that
/// rated it and the date it lapses (36 months after the decision).
final class OcopProductModel: Model, @unchecked Sendable {
    static let schema = "ocop_products"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "producer") var producer: String
    @Field(key: "unit_id") var unitID: String
    @Field(key: "stars") var stars: Int
    @Field(key: "decision_number") var decisionNumber: String
    /// `YYYY-MM-DD`
    @Field(key: "decision_date") var decisionDate: String
    /// `YYYY-MM-DD`, 36 months after the decision.
    @Field(key: "valid_until") var validUntil: String
    /// Demo rows are marked so that nobody takes them for the official register.
    @Field(key: "is_demo") var isDemo: Bool

    init() {}
}
