import ChoSoCore
import Fluent

/// The administrative unit tree as stored.
struct UnitService {
    var database: any Database

    func tree() async throws -> UnitTree {
        let units = try await AdminUnitModel.query(on: database).all().compactMap(\.unit)
        let edges = try await UnitSuccessionModel.query(on: database).all().compactMap(\.succession)
        return UnitTree(units: units, successions: edges)
    }

    /// Inserts or updates units and succession edges (the demo, or an official list).
    func upsert(units: [AdminUnit], successions: [UnitSuccession], on db: any Database) async throws {
        for unit in units {
            if let existing = try await AdminUnitModel.find(unit.id, on: db) {
                existing.update(from: unit)
                try await existing.save(on: db)
            } else {
                try await AdminUnitModel(unit).create(on: db)
            }
        }
        let existing = Set(try await UnitSuccessionModel.query(on: db).all().map { "\($0.predecessorID)>\($0.successorID)" })
        for edge in successions where !existing.contains("\(edge.predecessorID)>\(edge.successorID)") {
            try await UnitSuccessionModel(edge).create(on: db)
        }
    }
}
