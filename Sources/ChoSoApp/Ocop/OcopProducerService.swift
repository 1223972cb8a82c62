import ChoSoCore
import Fluent
import Foundation

/// A producer's record as the commune officer keeps it: name, kind, registration number,
/// contact, and the shop where buyers' transfers arrive — a stall of an OCOP shop market whose
/// receiving account its board registered (the same checks and two-person rule as any stall's).
struct OcopProducerService {
    var database: any Database
    var user: CurrentUser

    /// A stall that can be a producer's shop, with the producer already using it, if any.
    struct Shop: Sendable { var stall: StallModel, marketName: String, usedBy: UUID? }

    func producer(_ id: String, for action: Action) async throws -> (OcopProducerModel, UnitTree) {
        guard let uuid = UUID(uuidString: id), let producer = try await OcopProducerModel.find(uuid, on: database) else { throw AppError.notFound }
        let tree = try await UnitService(database: database).tree()
        var decision = AccessPolicy.decide(user.principal, action, OcopRegisterService.resource(producer, tree: tree))
        // The record itself is the officers': a producer reads it, and edits only their products.
        if decision == .allow, action != .read, user.role == .producer { decision = .forbidden }
        guard decision.isAllowed else { throw AppError.denied(decision) }
        return (producer, tree)
    }

    /// The OCOP shops' stalls this user sees (their board registered the accounts).
    func shops() async throws -> [Shop] {
        let markets = try await MarketModel.query(on: database).filter(\.$kind == MarketKind.ocopShop.rawValue).all()
        guard !markets.isEmpty else { return [] }
        let tree = try await UnitService(database: database).tree()
        let used = Dictionary(try await OcopProducerModel.query(on: database).filter(\.$stallID != nil).all()
            .compactMap { producer in producer.stallID.map { ($0, producer.id) } }, uniquingKeysWith: { a, _ in a })
        var shops: [Shop] = []
        for market in markets {
            let marketID = try market.requireID()
            for stall in try await StallModel.query(on: database).filter(\.$market.$id == marketID).filter(\.$isActive == true).all() {
                let resource = Resource.stall(id: try stall.requireID().uuidString, marketID: marketID.uuidString, units: tree.lineage(of: market.unitID))
                if AccessPolicy.permits(user.principal, .read, resource) {
                    shops.append(Shop(stall: stall, marketName: market.name, usedBy: used[try stall.requireID()] ?? nil))
                }
            }
        }
        return shops.sorted { ($0.marketName, $0.stall.number) < ($1.marketName, $1.stall.number) }
    }

    static let shopTaken = FieldError(field: "shop", code: "shop_taken", message: .init(
        vi: "Quầy này đang là cửa hàng của chủ thể khác", en: "This stall is already another producer's shop"))

    /// Saves the form; `shopID` empty unlinks the shop. A shop serves one producer, so that its
    /// transfers are one producer's orders.
    func update(_ id: String, _ input: OcopProducerInput, shopID: String) async throws -> OcopProducerModel {
        let (producer, _) = try await producer(id, for: .update)
        var errors = input.validate().errors
        // Producers are found by name (annexes, typed-in decisions): two of one name would be one.
        let key = OcopAnnex.matchKey(input.name)
        if try await OcopProducerModel.query(on: database).all().contains(where: { $0.id != producer.id && OcopAnnex.matchKey($0.name) == key }) {
            errors.append(FieldError(field: "name", code: "name_taken", message: .init(
                vi: "Đã có chủ thể khác mang tên này trong sổ", en: "Another producer of the register has this name")))
        }
        var shop: UUID?
        if !shopID.isEmpty {
            let offered = try await shops()
            if let chosen = offered.first(where: { $0.stall.id?.uuidString == shopID }) {
                if let other = chosen.usedBy, other != producer.id {
                    errors.append(Self.shopTaken)
                }
                shop = chosen.stall.id
            } else {
                errors.append(FieldError(field: "shop", code: "unknown_shop", message: .init(
                    vi: "Chọn một quầy của gian hàng OCOP trong danh sách", en: "Choose a stall of an OCOP shop from the list")))
            }
        }
        guard errors.isEmpty, case .valid(let clean) = input.validate() else { throw AppError.invalid(ValidationFailure(errors: errors)) }
        let chosenShop = shop
        do {
            try await database.transaction { db in
                producer.name = clean.name
                producer.kind = clean.kind.rawValue
                producer.registrationNumber = clean.registrationNumber
                producer.address = clean.address
                producer.phone = clean.phone
                producer.stallID = chosenShop
                try await producer.save(on: db)
                try await AuditEntryModel.record(on: db, actor: user.id, action: "ocop.producer.update", subjectType: "ocop_producer",
                                                 subjectID: producer.id, detail: "\(clean.name) shop=\(chosenShop?.uuidString ?? "-")")
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another officer linked the same stall a moment ago.
            throw AppError.invalid(ValidationFailure(errors: [Self.shopTaken]))
        }
        return producer
    }
}
