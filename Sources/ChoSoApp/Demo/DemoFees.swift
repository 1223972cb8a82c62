import ChoSoCore
import Fluent
import Foundation

/// Ngan Rô's market fees in the demo (issue 15): a tariff from a demo decision, the stalls' areas
/// and positions, a fee account, and the last three months billed — most paid by QR through the
/// intake, some in cash, some late, one partly, one over-paid and carried forward, one cash entry
/// recorded twice and reversed, and one transfer without a code waiting in the inbox.
enum DemoFees {
    static let accountNumber = "7808205012345"
    static let accountBIN = "970405"

    static func seed(on db: any Database, today: Day, timeZone: TimeZone) async throws {
        let market = DemoSeed.nganRoID
        guard try await FeeTariffModel.query(on: db).filter(\.$marketID == market).count() == 0 else { return }
        let stalls = try await StallModel.query(on: db).filter(\.$market.$id == market).all()
        for stall in stalls {
            let number = Int(stall.number) ?? 0
            // Rows 1–20 face the road, 21–40 are inside the hall, 41–50 are outdoors.
            stall.positionClass = (number <= 20 ? PositionClass.frontRow : number <= 40 ? .innerRow : .outdoor).rawValue
            stall.areaCentiSquareMetres = number == 12 ? 400 : number <= 20 ? 400 + (number % 3) * 50 : number <= 40 ? 300 + (number % 2) * 50 : 200
            try await stall.save(on: db)
        }
        // The last three months with a day gone: seeded on the 1st, the month just begun is not
        // billed yet (nobody could have paid it), so the demo's stall 12 owes nothing on any day.
        let firstMonth = FeePeriod(containing: today.adding(days: -1)).previous.previous
        let decided = firstMonth.firstDay.adding(days: -20)
        let tariff = TariffVersion(
            decision: FeeDecision(number: "25/QĐ-UBND", date: decided, issuer: "UBND xã Trần Đề"),
            effectiveFrom: firstMonth.firstDay, effectiveTo: nil, lines: [
                FeeLine(code: TariffInput.Code.rent, name: "Tiền thuê quầy", kind: .rentPerSquareMetre([.frontRow: 100_000, .innerRow: 70_000, .outdoor: 40_000])),
                FeeLine(code: TariffInput.Code.electricity, name: "Tiền điện", kind: .electricityPerKWh(3_500)),
                FeeLine(code: TariffInput.Code.cleaning, name: "Phí vệ sinh", kind: .cleaningMonthly(50_000)),
                FeeLine(code: TariffInput.Code.ticket, name: "Vé chợ", kind: .dailyTicket(5_000)),
            ])
        let setUp = DemoActivity.localDate(decided, hour: 8, timeZone: timeZone)
        try await FeeTariffModel(marketID: market, version: tariff, by: nil, at: setUp).create(on: db)
        let account = MarketAccountModel()
        account.id = DemoSeed.demoID("market-account/ngan-ro")
        account.marketID = market
        account.bin = accountBIN
        account.accountNumber = accountNumber
        account.holderName = "BAN QUAN LY CHO NGAN RO"
        account.activeMarket = market
        account.createdAt = setUp
        try await account.create(on: db)

        let byNumber = Dictionary(stalls.map { (Int($0.number) ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        var random = SplitMix64(seed: 15)
        var meter: [Int: Int64] = [:]
        for offset in 0..<3 {
            let period = offset == 0 ? firstMonth : offset == 1 ? firstMonth.next : firstMonth.next.next
            // Stalls 1–10 have their own electricity sub-meter.
            for number in 1...10 {
                guard let stallID = byNumber[number]?.id else { continue }
                let previous = meter[number] ?? Int64(1_000 + number * 37)
                let current = previous + 40 + Int64(random.next(below: 60))
                meter[number] = current
                let reading = MeterReadingModel()
                reading.stallID = stallID
                reading.period = period.iso
                reading.previousIndex = previous
                reading.currentIndex = current
                reading.recordedAt = DemoActivity.localDate(period.firstDay, hour: 7, timeZone: timeZone)
                try await reading.create(on: db)
            }
            let plan = try await FeeService.plan(market: market, period: period, on: db)
            _ = try await FeeService.insert(plan, market: market, period: period, actor: nil,
                                            at: DemoActivity.localDate(period.firstDay, hour: 7, timeZone: timeZone), on: db)
            try await pay(period: period, isLatest: offset == 2, stalls: byNumber, today: today, timeZone: timeZone, random: &random, on: db)
        }
    }

    /// Each stall's way of paying a month's fees.
    private static func pay(
        period: FeePeriod, isLatest: Bool, stalls: [Int: StallModel], today: Day, timeZone: TimeZone, random: inout SplitMix64, on db: any Database
    ) async throws {
        let latestDay = period == FeePeriod(containing: today) ? today.day - 1 : period.lastDay.day
        guard latestDay >= 1 else { return }
        for (number, stall) in stalls.sorted(by: { $0.key < $1.key }) {
            guard let stallID = stall.id else { continue }
            let bills = try await FeeBillModel.query(on: db).filter(\.$stallID == stallID).filter(\.$period == period.iso).all()
            let open = try await FeeLedgerWriter.state(ofStall: stallID, on: db).openBills
            // What this month's bills still ask for (credit carried forward has paid part of it).
            let due = open.filter { $0.period == period }.reduce(0) { $0 + $1.remaining }
            guard due > 0, let code = bills.first(where: { $0.lineCode == TariffInput.Code.rent })?.code ?? bills.first?.code else { continue }
            let day = Day(year: period.year, month: period.month, day: min(latestDay, 3 + number % 8))
            let at = DemoActivity.localDate(day, hour: 7 + number % 4, timeZone: timeZone).addingTimeInterval(Double(random.next(below: 3_000)))
            switch number {
            case 9, 27:
                continue  // Has not paid for months: > 60 days in arrears.
            case 36 where isLatest:
                continue  // This month still unpaid.
            case let late where late % 10 == 7:
                // Pays two months at once, late, in the latest month; this month still unpaid.
                guard isLatest else { continue }
                let owed = open.filter { $0.period < period }.reduce(0) { $0 + $1.remaining }
                try await transfer(stall: number, amount: owed, description: "\(code) phi cho thang truoc", at: at, on: db, timeZone: timeZone)
            case 15 where isLatest:
                try await transfer(stall: number, amount: due / 2, description: "\(code) nop truoc mot nua", at: at, on: db, timeZone: timeZone)
            case 18 where period == FeePeriod(containing: today).previous:
                // Pays 100.000 đ more than due: kept as credit, used by next month's bills.
                try await transfer(stall: number, amount: due + 100_000, description: "\(code) tra du", at: at, on: db, timeZone: timeZone)
            case 24 where isLatest:
                // Forgot the code: the board finds it in the inbox and gives it to stall 24.
                try await transfer(stall: number, amount: due, description: "Quay 24 nop phi cho", at: at, on: db, timeZone: timeZone)
            case let cash where cash % 10 == 3 || cash == 21:
                try await cashPayment(stall: stallID, amount: due, at: at, on: db)
                if number == 21 && isLatest {
                    // Recorded twice by mistake, and reversed with the reason.
                    let twice = try await cashPayment(stall: stallID, amount: due, at: at.addingTimeInterval(60), on: db)
                    try await reverse(twice, reason: "Ghi trùng hai lần", at: at.addingTimeInterval(600), on: db)
                }
            default:
                try await transfer(stall: number, amount: due, description: "\(code) phi cho thang \(period.month)", at: at, on: db, timeZone: timeZone)
            }
        }
    }

    /// A transfer to the fee account, stored through the intake's own path (matched by its code).
    private static func transfer(stall: Int, amount: Int64, description: String, at: Date, on db: any Database, timeZone: TimeZone) async throws {
        guard amount > 0 else { return }
        let incoming = IncomingTransfer(
            provider: "sepay", providerTransactionID: "demo-fee-\(stall)-\(Int(at.timeIntervalSince1970))", accountNumber: accountNumber, bin: accountBIN,
            amount: amount, direction: .incoming, description: description, reference: "FT\(Int(at.timeIntervalSince1970))",
            counterAccountName: nil, bankTime: at)
        let delivery = PendingDelivery(
            source: "webhook", keyPrefix: DemoActivity.keyPrefix + "fee:", connectionID: nil, marketID: DemoSeed.nganRoID, rawBody: nil,
            transfers: [incoming], receivedAt: at.addingTimeInterval(2))
        _ = try await IntakeWriter.store([delivery], on: db, timeZone: timeZone, events: InProcessPaymentEvents(hub: PaymentEventHub()))
    }

    @discardableResult
    private static func cashPayment(stall: UUID, amount: Int64, at: Date, on db: any Database) async throws -> FeePaymentModel {
        try await FeeLedgerWriter.pay(.init(
            marketID: DemoSeed.nganRoID, stallID: stall, amount: amount, method: .cash, payer: nil, note: nil,
            actor: DemoSeed.demoID("user/bql.nganro"), paidAt: at), on: db)
    }

    private static func reverse(_ payment: FeePaymentModel, reason: String, at: Date, on db: any Database) async throws {
        _ = try await FeeLedgerWriter.reverse(payment: try payment.requireID(), reason: reason, actor: DemoSeed.demoID("user/bql.nganro"), at: at, on: db)
    }
}
