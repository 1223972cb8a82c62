import ChoSoCore
import Fluent
import Foundation
import Vapor

/// Market fees (issue 15). Billing issues a market's bills for a period from the tariff in force:
/// exactly one bill per stall, fee line and period, whoever runs it and however often — the
/// unique index decides, so two processes at the same moment create each bill once. Each bill's
/// charge is written to the ledger in the same transaction.
struct FeeService {
    var database: any Database
    var user: CurrentUser
    var timeZone: TimeZone

    struct Run: Sendable {
        var created: Int
        var existing: Int
        /// Stalls left out of a line, and why (no area, no reading…): shown, never silent.
        var skipped: [(stall: String, line: String, reason: FeeBilling.Skip)]
    }

    /// A market the caller manages (its board, an administrator); others are 404 or 403.
    func managedMarket(_ id: String) async throws -> MarketModel {
        guard let uuid = UUID(uuidString: id), let market = try await MarketModel.find(uuid, on: database) else { throw AppError.notFound }
        let tree = try await UnitService(database: database).tree()
        let decision = AccessPolicy.decide(user.principal, .update, .market(id: uuid.uuidString, units: tree.lineage(of: market.unitID)))
        guard decision.isAllowed else { throw AppError.denied(decision) }
        return market
    }

    /// A coming month may be billed ahead, one month at most.
    func bill(market marketID: String, period: FeePeriod) async throws -> Run {
        let market = try await managedMarket(marketID)
        let id = try market.requireID()
        let today = Day(Date(), in: timeZone)
        guard period <= FeePeriod(containing: today).next else {
            throw AppError(status: .unprocessableEntity, code: "period_too_far", message: .init(
                vi: "Chỉ lập phí trước được một tháng (đến \(FeePeriod(containing: today).next.vietnamese))",
                en: "Bills can be issued one month ahead at most (up to \(FeePeriod(containing: today).next.vietnamese))"))
        }
        let plan = try await Self.plan(market: id, period: period, on: database)
        // A bill made meanwhile by another request or process makes this transaction fail on
        // the unique index: read what exists again and make only the rest.
        var attempt = 0
        while true {
            do {
                let created = try await create(plan, market: id, period: period)
                return Run(created: created, existing: plan.drafts.count - created, skipped: plan.skipped)
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 5 {
                attempt += 1
            }
        }
    }

    struct Plan: Sendable {
        var tariffID: UUID
        var drafts: [(draft: FeeBilling.Draft, line: FeeLine, stall: UUID)]
        var skipped: [(stall: String, line: String, reason: FeeBilling.Skip)]
    }

    /// The period's bills as the tariff in force makes them, for every active stall.
    static func plan(market id: UUID, period: FeePeriod, on database: any Database) async throws -> Plan {
        let tariffs = try await FeeTariffModel.query(on: database).filter(\.$marketID == id).all().compactMap { row in row.version.map { (row, $0) } }
        guard let inForce = TariffVersion.inForce(for: period, among: tariffs.map(\.1)),
              let tariffID = tariffs.first(where: { $0.1 == inForce })?.0.id else {
            throw AppError(status: .unprocessableEntity, code: "no_tariff", message: .init(
                vi: "Chợ chưa có biểu phí có hiệu lực cho tháng \(period.vietnamese)", en: "The market has no tariff in force for \(period.vietnamese)"))
        }
        let stalls = try await StallModel.query(on: database).filter(\.$market.$id == id).filter(\.$isActive == true).all()
        let readings = Dictionary(
            try await MeterReadingModel.query(on: database).filter(\.$stallID ~~ stalls.compactMap(\.id)).filter(\.$period == period.iso).all()
                .map { ($0.stallID, FeeBilling.MeterReading(previous: $0.previousIndex, current: $0.currentIndex)) },
            uniquingKeysWith: { first, _ in first })
        var drafts: [(draft: FeeBilling.Draft, line: FeeLine, stall: UUID)] = []
        var skipped: [(stall: String, line: String, reason: FeeBilling.Skip)] = []
        for stall in stalls {
            guard let stallID = stall.id else { continue }
            let facts = FeeBilling.Stall(
                id: stallID.uuidString, areaCentiSquareMetres: stall.areaCentiSquareMetres,
                positionClass: stall.positionClass.flatMap(PositionClass.init(rawValue:)))
            for line in inForce.lines where line.kind.isBilledMonthly {
                switch FeeBilling.draft(facts, line: line, period: period, reading: readings[stallID]) {
                case .success(let draft): drafts.append((draft, line, stallID))
                case .failure(let reason): skipped.append((stall.number, line.name, reason))
                }
            }
        }
        return Plan(tariffID: tariffID, drafts: drafts, skipped: skipped)
    }

    /// Makes the plan's bills that do not exist yet, in one transaction; returns how many.
    private func create(_ plan: Plan, market: UUID, period: FeePeriod) async throws -> Int {
        let database = database, user = user
        return try await SyncGate.shared.around(database) {
            try await database.transaction { db in
                try await Self.insert(plan, market: market, period: period, actor: user.id, at: Date(), on: db)
            }
        }
    }

    /// Inside the caller's transaction: the bills with their charges, then any credit the stalls
    /// carry spent on them.
    static func insert(_ plan: Plan, market: UUID, period: FeePeriod, actor: UUID?, at now: Date, on db: any Database) async throws -> Int {
        let existing = Set(try await FeeBillModel.query(on: db).filter(\.$marketID == market).filter(\.$period == period.iso).all()
            .map { "\($0.stallID)/\($0.lineCode)" })
        var bills: [FeeBillModel] = []
        var charges: [FeeLedgerEntryModel] = []
        for (draft, line, stallID) in plan.drafts where !existing.contains("\(stallID)/\(draft.lineCode)") {
            let bill = FeeBillModel()
            bill.id = UUID()
            bill.marketID = market
            bill.stallID = stallID
            bill.lineCode = draft.lineCode
            bill.lineName = line.name
            bill.period = period.iso
            bill.tariffID = plan.tariffID
            bill.amountDue = draft.amountDue
            bill.basis = draft.basis
            bill.code = FeeCode.generate()
            bill.createdBy = actor
            bill.createdAt = now
            bills.append(bill)
            charges.append(FeeLedgerEntryModel(marketID: market, stallID: stallID, kind: .charge, billID: bill.id, amount: draft.amountDue, actor: actor, at: now))
        }
        // A statement per few hundred rows, not one per bill: a month of a market in a few round trips.
        for chunk in bills.chunked(by: 200) { try await Array(chunk).create(on: db) }
        for chunk in charges.chunked(by: 200) { try await Array(chunk).create(on: db) }
        let created = bills.count
        guard created > 0 else { return 0 }
        // Over-payments carried forward pay the new bills first.
        let creditEntries = try await FeeLedgerEntryModel.query(on: db).filter(\.$marketID == market)
            .filter(\.$kind ~~ [FeeLedger.Kind.credit.rawValue, FeeLedger.Kind.reversal.rawValue]).all().map(\.entry)
        for (stall, credit) in FeeLedger.figures(creditEntries).credit where credit > 0 {
            guard let stallID = UUID(uuidString: stall) else { continue }
            try await FeeLedgerWriter.spendCredit(stallID: stallID, marketID: market, actor: actor, at: now, on: db)
        }
        try await AuditEntryModel.record(on: db, actor: actor, action: "fees.bill", subjectType: "market", subjectID: market, detail: "\(period.iso): \(created)")
        return created
    }
}

extension Request {
    var fees: FeeService {
        get throws { FeeService(database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone) }
    }

    var feePayments: FeePaymentService {
        get throws { FeePaymentService(database: db, user: try requireUser(), timeZone: application.choSoConfig.timeZone) }
    }

    var marketAccounts: MarketAccountService {
        get throws { MarketAccountService(database: db, user: try requireUser()) }
    }
}

extension FeeService {
    /// A new version of the market's tariff, from a decision. The version in force until then ends
    /// the day before (its bills keep their amounts); an earlier or equal start is refused.
    func addTariff(market marketID: String, _ version: TariffVersion) async throws -> FeeTariffModel {
        let market = try await managedMarket(marketID)
        let id = try market.requireID()
        let database = database, user = user
        return try await SyncGate.shared.around(database) {
            try await database.transaction { db in
                let rows = try await FeeTariffModel.query(on: db).filter(\.$marketID == id).all()
                if let latest = rows.compactMap({ $0.version?.effectiveFrom }).max(), version.effectiveFrom <= latest {
                    throw AppError.invalid(ValidationFailure(FieldError(field: "effectiveFrom", code: "not_after_last_version", message: .init(
                        vi: "Biểu phí mới phải có hiệu lực sau ngày \(latest.vietnamese) của biểu phí trước", en: "A new tariff takes effect after \(latest.vietnamese), the last one's start"))))
                }
                for row in rows where row.effectiveTo == nil {
                    row.effectiveTo = version.effectiveFrom.adding(days: -1).iso
                    try await row.save(on: db)
                }
                let row = FeeTariffModel(marketID: id, version: version, by: user.id, at: Date())
                try await row.create(on: db)
                try await AuditEntryModel.record(on: db, actor: user.id, action: "fees.tariff", subjectType: "market", subjectID: id,
                                                 detail: "\(version.decision.number) từ \(version.effectiveFrom.iso)")
                return row
            }
        }
    }
}

extension FeeService {
    struct BillLine: Sendable {
        var bill: FeeBillModel
        var stallNumber: String
        var figures: FeeLedger.BillFigures
    }

    /// A market's bills for a period with what each has been paid, worked out from the ledger.
    /// Its board and administrators, and the commune's officers, read them.
    func bills(market marketID: String, period: FeePeriod) async throws -> [BillLine] {
        guard let uuid = UUID(uuidString: marketID), let market = try await MarketModel.find(uuid, on: database) else { throw AppError.notFound }
        let tree = try await UnitService(database: database).tree()
        let decision = AccessPolicy.decide(user.principal, .read, .market(id: uuid.uuidString, units: tree.lineage(of: market.unitID)))
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let bills = try await FeeBillModel.query(on: database).filter(\.$marketID == uuid).filter(\.$period == period.iso).all()
        let figures = FeeLedger.figures(try await FeeLedgerEntryModel.query(on: database).filter(\.$marketID == uuid).all().map(\.entry))
        let numbers = Dictionary(
            try await StallModel.query(on: database).filter(\.$market.$id == uuid).all().compactMap { s in s.id.map { ($0, s.number) } },
            uniquingKeysWith: { first, _ in first })
        // Within a stall, the lines in the tariff's order (rent, electricity, cleaning…).
        var lineOrder: [UUID: [String]] = [:]
        for tariff in try await FeeTariffModel.query(on: database).filter(\.$marketID == uuid).all() {
            if let id = tariff.id { lineOrder[id] = tariff.version?.lines.map(\.code) ?? [] }
        }
        let rank = { (bill: FeeBillModel) in lineOrder[bill.tariffID]?.firstIndex(of: bill.lineCode) ?? Int.max }
        return bills.map { bill in
            BillLine(bill: bill, stallNumber: numbers[bill.stallID] ?? "", figures: figures.bills[bill.id?.uuidString ?? ""] ?? FeeLedger.BillFigures())
        }.sorted { a, b in
            a.stallNumber == b.stallNumber ? (rank(a.bill), a.bill.lineCode) < (rank(b.bill), b.bill.lineCode) : StallNumberOrder.precedes(a.stallNumber, b.stallNumber)
        }
    }
}
