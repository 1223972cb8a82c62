import ChoSoCore
import Fluent
import Foundation

/// One version of an administrative unit; days are stored as `YYYY-MM-DD` text.
final class AdminUnitModel: Model, @unchecked Sendable {
    static let schema = "admin_units"

    @ID(custom: .id, generatedBy: .user) var id: String?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "type") var type: String
    @OptionalField(key: "parent_id") var parentID: String?
    @OptionalField(key: "valid_from") var validFrom: String?
    @OptionalField(key: "valid_to") var validTo: String?

    init() {}

    init(_ unit: AdminUnit) {
        self.id = unit.id
        update(from: unit)
    }

    func update(from unit: AdminUnit) {
        code = unit.code
        name = unit.name
        type = unit.type.rawValue
        parentID = unit.parentID
        validFrom = unit.validFrom?.iso
        validTo = unit.validTo?.iso
    }

    var unit: AdminUnit? {
        guard let id, let type = UnitType(rawValue: type) else { return nil }
        return AdminUnit(
            id: id, code: code, name: name, type: type, parentID: parentID,
            validFrom: validFrom.flatMap(Day.init(iso:)), validTo: validTo.flatMap(Day.init(iso:)))
    }
}

final class UnitSuccessionModel: Model, @unchecked Sendable {
    static let schema = "unit_successions"

    @ID(key: .id) var id: UUID?
    @Field(key: "predecessor_id") var predecessorID: String
    @Field(key: "successor_id") var successorID: String
    @Field(key: "effective") var effective: String

    init() {}

    init(_ edge: UnitSuccession) {
        predecessorID = edge.predecessorID
        successorID = edge.successorID
        effective = edge.effective.iso
    }

    var succession: UnitSuccession? {
        Day(iso: effective).map { UnitSuccession(predecessorID: predecessorID, successorID: successorID, effective: $0) }
    }
}
