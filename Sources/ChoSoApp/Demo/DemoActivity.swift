import ChoSoCore
import Fluent
import Foundation
import SQLKit

/// A month of market life for the demo, so that the day close and the dashboard have something
/// to show: the 30 days before the seeding day (today stays empty for the live screen), walk-in
/// transfers matched to each stall's own account, cash sales and debts the keepers recorded, and
/// QR boards printed and handed over. Rollups are written with the entries, as in real use.
/// Deterministic for a given day; skipped when demo activity exists.
enum DemoActivity {
    static let days = 30
    static let keyPrefix = "demo:"

    /// What a stall's customers typically spend, in thousands of đồng.
    static func priceRange(trade: String?) -> ClosedRange<Int64> {
        switch trade {
        case "Trái cây": 20...150
        case "Cá tươi": 30...250
        case "Rau củ": 5...50
        case "Nước giải khát", "Cà phê", "Trà sữa": 10...35
        case "Gạo", "Vật tư nông nghiệp": 50...500
        case "Thịt heo": 40...300
        case "Hủ tiếu", "Bánh mì", "Cơm tấm": 15...45
        case "Quần áo", "Điện thoại", "Tiệm vàng": 80...900
        default: 5...200
        }
    }

    static let customers = [
        "NGUYEN VAN AN", "TRAN THI BICH", "LE VAN CUONG", "THACH THI SA RUM", "LAM VAN DUNG", "PHAM THI HONG", "HUYNH VAN LOC",
        "DANH THI NGOC", "VO THI KIM", "SON VAN TOAN", "KIM THI SOC", "DANG VAN PHUC", "TRUONG THI LAN", "LY VAN HAI", "CHAU THI MY",
    ]

    /// Hours of a rural morning market: most trade from 5 to 10, a little in the afternoon.
    static let hourWeights: [(hour: Int, weight: Int)] = [
        (5, 8), (6, 16), (7, 18), (8, 14), (9, 10), (10, 7), (11, 4), (12, 2), (13, 2), (14, 3), (15, 4), (16, 5), (17, 4), (18, 2),
    ]

    static func seed(on db: any Database, today: Day, timeZone: TimeZone) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        guard try await TransferModel.query(on: db).filter(\.$idempotencyKey >= keyPrefix).filter(\.$idempotencyKey < "demo;").first() == nil
        else { return }
        var random = SplitMix64(seed: UInt64(today.year * 10_000 + today.month * 100 + today.day))
        let stalls = try await StallModel.query(on: db).filter(\.$market.$id ~~ [DemoSeed.nganRoID, DemoSeed.streetID]).with(\.$accounts).all()
        let first = today.adding(days: -days)
        var transfers: [TransferRow] = []
        var cash: [[any Encodable & Sendable]] = []
        var prints: [[any Encodable & Sendable]] = []
        var rollups = RollupChanges()
        for stall in stalls.sorted(by: { StallNumberOrder.precedes($0.number, $1.number) }) {
            let stallID = try stall.requireID()
            let number = Int(stall.number.filter(\.isNumber)) ?? 0
            let account = stall.accounts.first(where: \.isActive)
            let known = account.map { [KnownAccount(stallID: stallID.uuidString, bin: $0.bin, accountNumber: $0.accountNumber)] } ?? []
            // Some keepers have a board but stopped using it (13, 26, 39), some stopped a week ago (17, 34).
            let stoppedAfterDay: Int? = number % 13 == 0 ? -1 : number % 17 == 0 ? 18 : nil
            // How far the stall has taken to transfers: from a third of sales to nearly all.
            let adoption = 0.3 + Double(random.next(below: 60)) / 100
            if let account, number % 7 != 0 {
                let printedAt = localDate(first.adding(days: -3), hour: 9, timeZone: timeZone)
                prints.append([
                    DemoSeed.demoID("print/\(stallID)"), stallID, try account.requireID(), printedAt,
                    number % 5 == 0 ? nil : printedAt.addingTimeInterval(3600) as Date?,
                ])
            }
            for dayIndex in 0..<days {
                let day = first.adding(days: dayIndex)
                // Busier on Sundays; adoption grows over the month as the board keeps helping.
                let weekday = Calendar(identifier: .gregorian).component(.weekday, from: localDate(day, hour: 12, timeZone: timeZone))
                let sales = 8 + random.next(below: 14) + (weekday == 1 ? 6 : 0)
                let share = min(0.95, adoption + Double(dayIndex) * 0.006)
                for sale in 0..<sales {
                    let hour = pickHour(&random)
                    let at = localDate(day, hour: hour, timeZone: timeZone).addingTimeInterval(Double(random.next(below: 3600)))
                    let amount = price(trade: stall.trade, &random)
                    let byTransfer = account != nil && stoppedAfterDay.map { dayIndex <= $0 } ?? true && Double(random.next(below: 100)) / 100 < share
                    if byTransfer, let account {
                        let incoming = IncomingTransfer(
                            provider: "sepay", providerTransactionID: "demo-\(stall.number)-\(day.iso)-\(sale)", accountNumber: account.accountNumber,
                            bin: account.bin, amount: amount, direction: .incoming,
                            description: "\(customers[random.next(below: customers.count)]) chuyen tien",
                            reference: "FT\(day.iso.replacingOccurrences(of: "-", with: ""))\(random.digits(6))",
                            counterAccountName: customers[random.next(below: customers.count)], bankTime: at)
                        let decision = TransferMatcher.match(incoming, accounts: known, requests: [])
                        transfers.append(TransferRow(
                            id: DemoSeed.demoID("transfer/\(stallID)/\(day.iso)/\(sale)"), key: "\(keyPrefix)\(stallID):\(day.iso):\(sale)",
                            source: "webhook", marketID: stall.$market.id, connectionID: nil, deliveryID: nil, transfer: incoming,
                            receivedAt: at.addingTimeInterval(2), businessDay: day.iso, decision: decision))
                        rollups.add(.transfer(status: decision.status, amount: amount, resolution: nil), at: RollupKey(stallID: stallID.uuidString, at: at, in: timeZone))
                    } else if random.next(below: 3) > 0 {
                        // Keepers record most of their cash sales, and the odd debt.
                        let kind = random.next(below: 25) == 0 ? "debt" : "cash_sale"
                        let customer: String? = kind == "debt" ? ["Bà Tư", "Chú Bảy", "Cô Hạnh", "Anh Thái"][random.next(below: 4)] : nil
                        cash.append([DemoSeed.demoID("cash/\(stallID)/\(day.iso)/\(sale)"), stallID, kind, amount, customer, nil as UUID?, at, day.iso])
                        rollups.add(.cash(kind: kind, amount: amount), at: RollupKey(stallID: stallID.uuidString, at: at, in: timeZone))
                    }
                }
            }
        }
        try await TransferRow.insert(transfers, on: sql)
        for chunk in cash.chunked(by: 500) {
            var insert = sql.insert(into: CashEntryModel.schema)
                .columns(["id", "stall_id", "kind", "amount", "customer_name", "created_by", "created_at", "business_day"])
            for row in chunk { insert = insert.values(row) }
            try await insert.run()
        }
        if !prints.isEmpty {
            var insert = sql.insert(into: BoardPrintModel.schema).columns(["id", "stall_id", "account_id", "printed_at", "handed_over_at"])
            for row in prints { insert = insert.values(row) }
            try await insert.run()
        }
        try await RollupStore.apply(rollups, on: db)
    }

    static func pickHour(_ random: inout SplitMix64) -> Int {
        var ticket = random.next(below: hourWeights.reduce(0) { $0 + $1.weight })
        for (hour, weight) in hourWeights {
            if ticket < weight { return hour }
            ticket -= weight
        }
        return 7
    }

    /// A market price: whole thousands, rounded to 5.000 above 100.000 đ.
    static func price(trade: String?, _ random: inout SplitMix64) -> Int64 {
        let range = priceRange(trade: trade)
        let thousands = range.lowerBound + Int64(random.next(below: Int(range.upperBound - range.lowerBound + 1)))
        return (thousands > 100 ? thousands / 5 * 5 : thousands) * 1_000
    }

    static func localDate(_ day: Day, hour: Int, timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour))!
    }
}
