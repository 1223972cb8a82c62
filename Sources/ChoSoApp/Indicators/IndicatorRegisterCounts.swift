import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// The measures read straight from the registers, which stay small beside the households:
/// markets and stalls (their unit is the market's), the stalls' daily totals (already a live
/// rollup), market fees, OCOP products (the producer's unit) and teams. Per unit as recorded.
enum IndicatorRegisterCounts {
    static func counts(asOf: Day, flowsFrom: Day, timeZone: TimeZone, on db: any Database) async throws -> [String: MeasureCounts] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        var counts: [String: MeasureCounts] = [:]
        func add(_ unit: String, _ measure: IndicatorMeasure, _ value: Int64) {
            guard value != 0 else { return }
            counts[unit, default: MeasureCounts()].values[measure.rawValue, default: 0] += value
        }
        // The end of the day asked for, as the clock stores it.
        let endOfDay = asOf.adding(days: 1).start(in: timeZone)
        let flowStart = flowsFrom.start(in: timeZone)

        // Markets in the cashless model (an OCOP shop is a shop, not a market) and their stalls.
        let markets = try await sql.raw("""
            SELECT id, unit_id FROM markets WHERE kind <> 'ocop_shop' AND is_active = \(bind: true)
            AND (created_at IS NULL OR created_at < \(bind: endOfDay))
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "unit_id", as: String.self)) }
        let unitOfMarket = Dictionary(markets, uniquingKeysWith: { a, _ in a })
        for (_, unit) in markets { add(unit, .marketsCashless, 1) }
        let stalls = try await sql.raw("""
            SELECT s.id, s.market_id, EXISTS (SELECT 1 FROM board_prints b WHERE b.stall_id = s.id AND b.printed_at < \(bind: endOfDay)) AS has_board
            FROM stalls s WHERE s.is_active = \(bind: true) AND (s.created_at IS NULL OR s.created_at < \(bind: endOfDay))
            """).all()
        var unitOfStall: [UUID: String] = [:]
        for row in stalls {
            guard let unit = unitOfMarket[try row.decode(column: "market_id", as: UUID.self)] else { continue }
            unitOfStall[try row.decode(column: "id", as: UUID.self)] = unit
            add(unit, .stalls, 1)
            if try row.decode(column: "has_board", as: Bool.self) { add(unit, .stallsWithQR, 1) }
        }
        for row in try await sql.raw("""
            SELECT DISTINCT stall_id FROM \(ident: RollupStore.dailyTable)
            WHERE transfer_count > 0 AND business_day BETWEEN \(bind: asOf.adding(days: -29).iso) AND \(bind: asOf.iso)
            """).all() {
            if let unit = unitOfStall[try row.decode(column: "stall_id", as: UUID.self)] { add(unit, .stallsActive30Days, 1) }
        }
        for row in try await sql.raw("""
            SELECT stall_id, CAST(SUM(transfer_count) AS BIGINT) AS transfers, CAST(SUM(transfer_amount) AS BIGINT) AS transferred, CAST(SUM(cash_amount) AS BIGINT) AS cash
            FROM \(ident: RollupStore.dailyTable) WHERE business_day BETWEEN \(bind: flowsFrom.iso) AND \(bind: asOf.iso) GROUP BY stall_id
            """).all() {
            guard let unit = unitOfStall[try row.decode(column: "stall_id", as: UUID.self)] else { continue }
            let transferred = try row.decode(column: "transferred", as: Int64.self)
            add(unit, .transfers, try row.decode(column: "transfers", as: Int64.self))
            add(unit, .transfersDong, transferred)
            add(unit, .marketSalesDong, transferred + (try row.decode(column: "cash", as: Int64.self)))
        }

        // Fees: billed for the months of the period so far; collected without cash in it.
        for row in try await sql.raw("""
            SELECT market_id, CAST(SUM(amount_due) AS BIGINT) AS billed FROM fee_bills
            WHERE period BETWEEN \(bind: IndicatorGrain.month.bucket(flowsFrom)) AND \(bind: IndicatorGrain.month.bucket(asOf)) GROUP BY market_id
            """).all() {
            if let unit = unitOfMarket[try row.decode(column: "market_id", as: UUID.self)] { add(unit, .feesBilledDong, try row.decode(column: "billed", as: Int64.self)) }
        }
        for row in try await sql.raw("""
            SELECT market_id, CAST(SUM(amount) AS BIGINT) AS paid FROM fee_payments
            WHERE method <> 'cash' AND paid_at >= \(bind: flowStart) AND paid_at < \(bind: endOfDay) GROUP BY market_id
            """).all() {
            if let unit = unitOfMarket[try row.decode(column: "market_id", as: UUID.self)] { add(unit, .feesCollectedCashlessDong, try row.decode(column: "paid", as: Int64.self)) }
        }

        // OCOP products valid on the day, by stars, at the producer's unit; those complete for
        // online sale (as they stand now: the register keeps no history of label facts).
        for entry in try await OcopCatalog(database: db).entries() {
            let decisions = entry.decisions.compactMap { row -> (date: Day, validUntil: Day, stars: Int)? in
                guard let date = Day(iso: row.decisionDate), let until = Day(iso: row.validUntil) else { return nil }
                return (date, until, row.stars)
            }
            guard let stars = IndicatorRegisters.ocopStars(decisions: decisions, on: asOf) else { continue }
            add(entry.producer.unitID, .ocopValid, 1)
            if let measure = IndicatorRegisters.ocopMeasure(stars: stars) { add(entry.producer.unitID, measure, 1) }
            if entry.listing.missingForSale.isEmpty { add(entry.producer.unitID, .ocopValidListed, 1) }
        }

        // Teams at their commune, and the members serving on the day.
        for row in try await sql.raw("""
            SELECT t.unit_id, m.active_from, m.active_to FROM teams t JOIN team_members m ON m.team_id = t.id
            """).all() {
            let unit = try row.decode(column: "unit_id", as: String.self)
            if IndicatorRegisters.serves(activeFrom: try row.decode(column: "active_from", as: String?.self),
                                         activeTo: try row.decode(column: "active_to", as: String?.self), on: asOf) {
                add(unit, .teamMembers, 1)
            }
        }
        for row in try await sql.raw("SELECT unit_id, CAST(COUNT(*) AS BIGINT) AS teams FROM teams GROUP BY unit_id").all() {
            add(try row.decode(column: "unit_id", as: String.self), .teams, try row.decode(column: "teams", as: Int64.self))
        }
        return counts
    }
}
