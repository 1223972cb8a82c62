import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// Market fees, billing (issue 15): one bill per stall, fee line and period however often and
/// however concurrently it runs; amounts from the tariff version in force; each bill charged once
/// in the ledger; only the market's board and administrators issue bills.
@Suite struct FeeBillingTests {
    static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    static var thisMonth: FeePeriod { FeePeriod(containing: Day(Date(), in: timeZone)) }

    static func tariff(from: Day, rent: Int64) -> TariffVersion {
        TariffVersion(
            decision: FeeDecision(number: "12/QĐ-UBND", date: from, issuer: "UBND xã Trần Đề (minh hoạ)"), effectiveFrom: from, effectiveTo: nil,
            lines: [
                FeeLine(code: "rent", name: "Tiền thuê quầy", kind: .rentPerSquareMetre([.frontRow: rent, .innerRow: rent / 2])),
                FeeLine(code: "cleaning", name: "Phí vệ sinh", kind: .cleaningMonthly(30_000)),
                FeeLine(code: "electricity", name: "Tiền điện", kind: .electricityPerKWh(3_500)),
                FeeLine(code: "ticket", name: "Vé chợ", kind: .dailyTicket(5_000)),
            ])
    }

    /// Market A's two stalls measured and classed, a tariff from a year ago.
    static func prepare(_ app: Application, _ f: Fixture) async throws -> FeeService {
        for (id, area, position) in [(f.stallA1, 450, PositionClass.frontRow), (f.stallA2, 300, .innerRow)] {
            let stall = try #require(try await StallModel.find(UUID(uuidString: id), on: app.db))
            stall.areaCentiSquareMetres = area
            stall.positionClass = position.rawValue
            try await stall.save(on: app.db)
        }
        let fees = FeeService(database: app.db, user: .commandLine, timeZone: timeZone)
        _ = try await fees.addTariff(market: f.marketA, tariff(from: thisMonth.previous.previous.firstDay, rent: 100_000))
        return fees
    }

    @Test func billingTwiceOrAtOnceMakesEachBillOnce() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let fees = try await Self.prepare(app, f)
            let first = try await fees.bill(market: f.marketA, period: Self.thisMonth)
            // Rent and cleaning for both stalls; electricity waits for readings (said, not silent).
            #expect(first.created == 4 && first.existing == 0)
            #expect(first.skipped.map(\.reason) == [.noReading, .noReading])
            let again = try await fees.bill(market: f.marketA, period: Self.thisMonth)
            #expect(again.created == 0 && again.existing == 4)
            async let one = fees.bill(market: f.marketA, period: Self.thisMonth.previous)
            async let two = fees.bill(market: f.marketA, period: Self.thisMonth.previous)
            let both = try await [one, two]
            #expect(both.map(\.created).reduce(0, +) == 4)
            #expect(try await FeeBillModel.query(on: app.db).count() == 8)
            // Each bill charged once in the ledger, for its amount.
            let charges = try await FeeLedgerEntryModel.query(on: app.db).filter(\.$kind == "charge").all()
            #expect(charges.count == 8)
            let figures = FeeLedger.figures(charges.map(\.entry))
            let bills = try await FeeBillModel.query(on: app.db).all()
            for bill in bills {
                #expect(figures.bills[bill.id!.uuidString]?.amountDue == bill.amountDue)
                #expect(figures.bills[bill.id!.uuidString]?.status == .unpaid)
                #expect(FeeCode.normalized(bill.code) == bill.code)
            }
            #expect(Set(bills.map(\.code)).count == 8)
            let rent = bills.first { $0.stallID.uuidString == f.stallA1 && $0.lineCode == "rent" }
            #expect(rent?.amountDue == 450_000 && rent?.basis == "4,50 m² × 100.000 đ")
        }
    }

    @Test func aNewDecisionBillsTheMonthsAfterItAndIssuedBillsKeepTheirAmounts() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let fees = try await Self.prepare(app, f)
            _ = try await fees.bill(market: f.marketA, period: Self.thisMonth)
            _ = try await fees.addTariff(market: f.marketA, Self.tariff(from: Self.thisMonth.next.firstDay, rent: 120_000))
            _ = try await fees.bill(market: f.marketA, period: Self.thisMonth.next)
            let rents = try await FeeBillModel.query(on: app.db).filter(\.$lineCode == "rent").filter(\.$stallID == UUID(uuidString: f.stallA1)!).all()
            #expect(Dictionary(uniqueKeysWithValues: rents.map { ($0.period, $0.amountDue) }) == [Self.thisMonth.iso: 450_000, Self.thisMonth.next.iso: 540_000])
            // The older version now ends the day before; a version starting no later than the last is refused.
            let versions = try await FeeTariffModel.query(on: app.db).sort(\.$effectiveFrom).all()
            #expect(versions.first?.effectiveTo == Self.thisMonth.lastDay.iso)
            await #expect(throws: AppError.self) { try await fees.addTariff(market: f.marketA, Self.tariff(from: Self.thisMonth.firstDay, rent: 1)) }
        }
    }

    @Test func onlyTheBoardAndAdministratorsIssueBillsAndNotTooFarAhead() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let admin = try await Self.prepare(app, f)
            await #expect(throws: AppError.self) { try await admin.bill(market: f.marketA, period: Self.thisMonth.next.next) }
            await #expect(throws: AppError.self) { try await admin.bill(market: f.marketB, period: Self.thisMonth) }  // no tariff
            let people = try await UserModel.query(on: app.db).with(\.$scopes).all()
            for (name, status) in [("managerb", HTTPStatus.notFound), ("merchanta1", .notFound), ("officer", .forbidden), ("managera", nil)] {
                let model = try #require(people.first { $0.username == name })
                let user = CurrentUser(id: try model.requireID(), username: name, displayName: name, role: Role(rawValue: model.role)!,
                                       scope: Set(model.scopes.map(\.scopeID)), proof: .bearerToken)
                let fees = FeeService(database: app.db, user: user, timeZone: Self.timeZone)
                do {
                    let run = try await fees.bill(market: f.marketA, period: Self.thisMonth)
                    #expect(status == nil && run.created + run.existing == 4, "\(name)")
                } catch let error as AppError {
                    #expect(error.status == status, "\(name)")
                }
            }
            #expect(try await FeeBillModel.query(on: app.db).count() == 4)
        }
    }

    @Test func theAPIIssuesAndListsBillsForThoseWhoMay() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            _ = try await Self.prepare(app, f)
            let path = "/api/v1/markets/\(f.marketA)/fees"
            let month = Self.thisMonth.iso
            #expect(try await app.api(.POST, "\(path)/bills", token: f.tokens["officer"], json: #"{"period":"\#(month)"}"#).status == .forbidden)
            for name in ["managerB", "merchantA1", "officerElsewhere"] {
                #expect(try await app.api(.POST, "\(path)/bills", token: f.tokens[name], json: #"{"period":"\#(month)"}"#).status == .notFound, "\(name)")
                #expect(try await app.api(.GET, "\(path)?period=\(month)", token: f.tokens[name]).status == .notFound, "\(name)")
            }
            #expect(try await app.api(.POST, "\(path)/bills", token: f.tokens["managerA"], json: #"{"period":"2026-13"}"#).fieldCodes() == ["period": "bad_period"])
            let run = try #require(try await app.api(.POST, "\(path)/bills", token: f.tokens["managerA"], json: #"{"period":"\#(month)"}"#).json() as? [String: Any])
            #expect(run["created"] as? Int == 4 && (run["skipped"] as? [Any])?.count == 2)
            let again = try #require(try await app.api(.POST, "\(path)/bills", token: f.tokens["managerA"], json: #"{"period":"\#(month)"}"#).json() as? [String: Any])
            #expect(again["created"] as? Int == 0 && again["existing"] as? Int == 4)
            let listed = try #require(try await app.api(.GET, "\(path)?period=\(month)", token: f.tokens["officer"]).json() as? [String: Any])
            #expect(listed["billed"] as? Int == 450_000 + 150_000 + 2 * 30_000)
            #expect(listed["remaining"] as? Int == listed["billed"] as? Int)
            #expect((listed["bills"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "unpaid" && ($0["code"] as? String)?.hasPrefix("PC") == true } == true)
            #expect(try await app.api(.GET, "\(path)?period=12-2026", token: f.tokens["managerA"]).status == .badRequest)
        }
    }
}

