import ChoSoCore
import Fluent
import Vapor

/// What the `choso` executable does, as functions over the app factory; the executable only
/// parses arguments and prints.
public enum ChoSoCommands {
    /// Serves HTTP until interrupted. A SQLite database is migrated first, so that `choso serve`
    /// works on a fresh checkout; PostgreSQL is migrated by `choso migrate` in a deploy step.
    public static func serve(_ config: AppConfig) async throws {
        let arguments = ["choso", "serve", "--hostname", config.host, "--port", String(config.port)]
        let app = try await ChoSoApp.make(config, arguments: arguments)
        do {
            if config.database.isSQLite { try await ChoSoApp.migrate(app) }
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    public static func migrate(_ config: AppConfig) async throws {
        try await withApplication(config) { app in try await ChoSoApp.migrate(app) }
    }

    public static func seedDemo(_ config: AppConfig) async throws -> [DemoSeed.Login] {
        guard config.environment != .production else {
            throw CommandFailure(lines: [
                "Không nạp dữ liệu mẫu khi CHOSO_ENV=production: các tài khoản mẫu có mật khẩu ai cũng biết.",
                "The demo data is not loaded when CHOSO_ENV=production: its accounts have a published password.",
            ])
        }
        return try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            return try await DemoSeed.run(on: app)
        }
    }

    /// Adds a user; the message of a rejected input is in Vietnamese and English.
    public static func addUser(
        _ config: AppConfig, username: String, displayName: String?, role: Role, scope: [String], password: String
    ) async throws {
        try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let service = AccountService(database: app.db, hasher: app.password.async, config: config)
            do {
                try await service.createUser(.init(
                    username: username, displayName: displayName ?? "", password: password, role: role, scope: scope))
            } catch let error as AppError {
                throw CommandFailure(lines: [error.message.vi] + error.fieldErrors.map { "- \($0.message.vi) / \($0.message.en)" })
            }
        }
    }

    /// `choso user unlock [NAME] [--address ADDRESS]`: forgets a name's failed sign-ins from
    /// everywhere and/or every failure at an address (lifting its wait over all names); with
    /// neither, lists the addresses waiting now. The lines to print.
    public static func unlock(_ config: AppConfig, username: String?, address: String?) async throws -> [String] {
        try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let accounts = AccountService(database: app.db, hasher: app.password.async, config: config)
            var lines: [String] = []
            if let username {
                let forgotten = try await accounts.unlock(username: username)
                lines.append("Đã mở khoá \(username): xoá \(forgotten) lần đăng nhập sai / unlocked, \(forgotten) failed sign-ins forgotten")
            }
            if let address {
                let forgotten = try await accounts.unlock(address: address)
                lines.append("Đã mở khoá địa chỉ \(address): xoá \(forgotten) lần đăng nhập sai / address unlocked, \(forgotten) failed sign-ins forgotten")
            }
            guard lines.isEmpty else { return lines }
            let now = Date()
            let locked = try await accounts.attempts.lockedAddresses(now: now)
            guard !locked.isEmpty else { return ["Không có địa chỉ nào đang bị khoá / no address is locked"] }
            return ["Địa chỉ đang bị khoá vì sai nhiều lần (mở bằng --address) / addresses locked by failures under many names (lift with --address):"]
                + locked.map { "  \($0.address)  \($0.failures) lần sai / failures, còn / for \(Int($0.until.timeIntervalSince(now) / 60) + 1) phút / min" }
        }
    }

    /// `choso import statement`: the report as lines to print, or a failure listing every bad row.
    public static func importStatement(
        _ config: AppConfig, file: String, account: String, format: String, layout: String?, dryRun: Bool
    ) async throws -> [String] {
        guard let chosenFormat = StatementImportService.Format(rawValue: format) else {
            throw CommandFailure(lines: ["--format phải là auto, csv hoặc xlsx / --format must be auto, csv or xlsx"])
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure(lines: ["Không đọc được tệp \(file) / cannot read \(file)"])
        }
        return try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let service = StatementImportService(database: app.db, user: nil, config: config, intake: app.intake)
            let started = ContinuousClock.now
            do {
                let report = try await service.importStatement(accountID: account, bytes: Array(data), format: chosenFormat, layout: layout, dryRun: dryRun)
                return report.lines(seconds: (ContinuousClock.now - started).components.seconds)
            } catch let failure as StatementImportService.ImportFailure {
                throw CommandFailure(lines: ["\(failure.message.vi) / \(failure.message.en)"] + failure.rowErrors.map { "  \($0.message.vi) / \($0.message.en)" })
            }
        }
    }

    /// `choso report verify [--fix]`: compares the rollups with the entries; the lines to print
    /// and whether they agreed (after the fix, when asked).
    public static func verifyReports(_ config: AppConfig, fix: Bool) async throws -> (lines: [String], consistent: Bool) {
        try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let differences = try await RollupStore.differences(on: app.db, timeZone: config.timeZone)
            var lines = differences.map { difference in
                let stored = difference.stored.map { "\(RollupStore.values($0))" } ?? "—"
                let expected = difference.expected.map { "\(RollupStore.values($0))" } ?? "—"
                return "  quầy/stall \(difference.key.stallID) \(difference.key.day) \(difference.key.isWholeDay ? "cả ngày/whole day" : "\(difference.key.hour)h"): bảng/table \(stored) ≠ từ dữ liệu gốc/from entries \(expected)"
            }
            lines.insert(differences.isEmpty
                ? "Số liệu tổng hợp khớp dữ liệu gốc / the rollups agree with the entries"
                : "\(differences.count) dòng tổng hợp lệch / rollup rows differ (columns: \(RollupStore.counters.joined(separator: ", ")))", at: 0)
            // The fees' ledger is append-only: what it finds is corrected by a person, with a reversal.
            let feeProblems = try await FeeLedgerWriter.audit(on: app.db)
            lines.append(feeProblems.isEmpty
                ? "Sổ phí chợ khớp phiếu thu và các khoản đã thu / the fees' ledger agrees with its bills and payments"
                : "\(feeProblems.count) chỗ lệch trong sổ phí chợ / problems in the fees' ledger:")
            lines += feeProblems.map { "  " + $0 }
            let indicatorDifferences = try await IndicatorStore.verify(timeZone: config.timeZone, on: app.db)
            lines.append(indicatorDifferences.isEmpty
                ? "Số liệu chỉ tiêu khớp sổ hộ và các lần thăm / the indicators' aggregates agree with the households and visits"
                : "Số liệu chỉ tiêu lệch sổ hộ / the indicators' aggregates differ (unit, measure, bucket: table ≠ from records):")
            lines += indicatorDifferences.map { "  " + $0 }
            guard fix, !differences.isEmpty || !indicatorDifferences.isEmpty else {
                return (lines, differences.isEmpty && feeProblems.isEmpty && indicatorDifferences.isEmpty)
            }
            var fixed = true
            if !differences.isEmpty {
                try await RollupStore.rebuild(on: app.db, timeZone: config.timeZone)
                fixed = try await RollupStore.differences(on: app.db, timeZone: config.timeZone).isEmpty
            }
            if !indicatorDifferences.isEmpty {
                try await IndicatorStore.rebuild(timeZone: config.timeZone, on: app.db)
                fixed = try await IndicatorStore.verify(timeZone: config.timeZone, on: app.db).isEmpty && fixed
            }
            lines.append(fixed ? "Đã sửa: tính lại từ dữ liệu gốc / fixed: rebuilt from the entries" : "Vẫn lệch sau khi sửa / still different after the fix")
            return (lines, fixed && feeProblems.isEmpty)
        }
    }

    /// `choso report indicators UNIT [--as-of] [--tree] [--period] [--rebuild] [--compare N]`: a
    /// unit's indicators as JSON (the API's body); `--rebuild` first recomputes the aggregates from
    /// the records and times it; `--compare N` times the table from the aggregates beside the same
    /// table from every record read again (they must agree).
    public static func indicatorTable(
        _ config: AppConfig, unit: String, asOf: String?, tree: String?, period: String?, rebuild: Bool, compareRuns: Int
    ) async throws -> (json: String, timings: [String]) {
        try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let today = Day(Date(), in: config.timeZone)
            guard let chosenTree = IndicatorTree(rawValue: tree ?? "current") else { throw CommandFailure(lines: [Request.badTree.message.vi]) }
            let chosenPeriod = try period.map { text in
                guard let parsed = IndicatorPeriod(text) else { throw CommandFailure(lines: [Request.badPeriod.message.vi]) }
                return parsed
            }
            guard let day = asOf.map({ Day(iso: $0) }) ?? chosenPeriod?.asOf(today: today) ?? today else {
                throw CommandFailure(lines: ["\(AppError.badDate.message.vi) / \(AppError.badDate.message.en)"])
            }
            let query = IndicatorService.Query(unitID: unit, asOf: day, tree: chosenTree, period: chosenPeriod ?? .month(year: day.year, month: day.month))
            let service = IndicatorService(database: app.db, user: .commandLine, timeZone: config.timeZone)
            var timings: [String] = []
            func milliseconds(_ body: () async throws -> Void) async throws -> Double {
                let started = ContinuousClock.now
                try await body()
                let elapsed = ContinuousClock.now - started
                return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            }
            if rebuild {
                let took = try await milliseconds { try await IndicatorStore.rebuild(timeZone: config.timeZone, on: app.db) }
                timings.append(String(format: "indicators: aggregates rebuilt from the records in %.0f ms", took))
            }
            let table: IndicatorService.Table
            do { table = try await service.table(query) } catch let error as AppError { throw CommandFailure(lines: ["\(error.message.vi) / \(error.message.en)"]) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(IndicatorTableDTO(table, language: .vi)), as: UTF8.self)
            guard compareRuns > 0 else { return (json, timings) }
            func median(_ source: IndicatorService.CountSource) async throws -> (Double, IndicatorService.Table) {
                var times: [Double] = [], last: IndicatorService.Table?
                for _ in 0..<compareRuns {
                    times.append(try await milliseconds { last = try await service.table(query, from: source) })
                }
                return (times.sorted()[times.count / 2], last!)
            }
            let (fromAggregates, aggregated) = try await median(.aggregates)
            let (fromRecords, recomputed) = try await median(.records)
            guard aggregated == recomputed else {
                throw CommandFailure(lines: ["Bảng từ số tổng hợp khác bảng tính thẳng / the table from the aggregates differs from the records: run choso report verify"])
            }
            return (json, timings + [
                "indicators for \(table.unit.unit.name) and \(table.children.count) units below, as of \(day.iso), \(compareRuns) runs each",
                String(format: "  from the aggregates: median %.1f ms", fromAggregates),
                String(format: "  from every household and visit: median %.1f ms", fromRecords),
                String(format: "  ratio: %.0f×  (the two tables agree)", fromRecords / max(fromAggregates, 0.001)),
            ])
        }
    }

    /// `choso report market ID [--from] [--to] [--compare N]`: the dashboard's JSON, and with
    /// `--compare` the median time of the rollup report beside the naive one (which must agree).
    public static func marketReport(
        _ config: AppConfig, market: String, from: String?, to: String?, compareRuns: Int
    ) async throws -> (json: String, timings: [String]) {
        func day(_ text: String?) throws -> Day? {
            guard let text else { return nil }
            guard let day = Day(iso: text) else { throw CommandFailure(lines: ["\(AppError.badDate.message.vi) / \(AppError.badDate.message.en)"]) }
            return day
        }
        let (first, last) = (try day(from), try day(to))
        return try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let reports = ReportService(database: app.db, user: .commandLine, config: config)
            let figures: ReportService.MarketFigures
            do {
                figures = try await reports.market(market, from: first, to: last)
            } catch let error as AppError {
                throw CommandFailure(lines: ["\(error.message.vi) / \(error.message.en)"])
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(MarketSummaryDTO(figures)), as: UTF8.self)
            guard compareRuns > 0 else { return (json, []) }
            func median(_ body: () async throws -> ReportService.MarketFigures) async throws -> (Double, MarketReport) {
                var times: [Double] = []
                var report: MarketReport?
                for _ in 0..<compareRuns {
                    let started = ContinuousClock.now
                    report = try await body().report
                    let elapsed = ContinuousClock.now - started
                    times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                }
                return (times.sorted()[times.count / 2], report!)
            }
            let (rollup, fromRollups) = try await median { try await reports.market(market, from: first, to: last) }
            let (naive, fromEntries) = try await median { try await reports.marketFromEntries(market, from: first, to: last) }
            guard fromRollups == fromEntries else {
                throw CommandFailure(lines: ["Số liệu tổng hợp khác cách tính thẳng / the rollup report differs from the naive one: run choso report verify"])
            }
            let days = fromRollups.from.daysThrough(fromRollups.to)
            return (json, [
                "market report, \(days) day(s), \(fromRollups.stallCount) stalls, \(fromRollups.totals.transferCount) transfers in range, \(compareRuns) runs each",
                String(format: "  from rollups: median %.2f ms", rollup),
                String(format: "  naive GROUP BY over transfers: median %.2f ms", naive),
                String(format: "  ratio: %.0f×  (the two reports agree)", naive / max(rollup, 0.001)),
            ])
        }
    }

    /// `choso fees bill --market ID --period YYYY-MM [--through YYYY-MM]`: the period's bills (and,
    /// with `--through`, every period up to that one, to catch up skipped months). Running it again
    /// creates nothing more.
    public static func billFees(_ config: AppConfig, market: String, period: String, through: String?) async throws -> [String] {
        guard let first = FeePeriod(period), let last = through.map({ FeePeriod($0) }) ?? first else {
            throw CommandFailure(lines: ["Kỳ phí theo dạng YYYY-MM / a period is YYYY-MM"])
        }
        guard first <= last, FeePeriod.range(first, last).count <= 24 else {
            throw CommandFailure(lines: ["--through từ --period trở đi, tối đa 24 tháng / --through from --period on, 24 months at most"])
        }
        return try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let fees = FeeService(database: app.db, user: .commandLine, timeZone: config.timeZone)
            // `all`: every market with a tariff (a monthly job); a market whose tariff does not
            // cover the month is said and skipped, not a failure.
            let everyMarket = market == "all"
            let markets = everyMarket
                ? Array(Set(try await FeeTariffModel.query(on: app.db).all().map(\.marketID.uuidString))).sorted()
                : [market]
            var lines: [String] = []
            var created = 0, existing = 0
            for period in FeePeriod.range(first, last) {
                for id in markets {
                    let label = everyMarket ? "\(id) \(period.iso)" : period.iso
                    do {
                        let run = try await fees.bill(market: id, period: period)
                        created += run.created
                        existing += run.existing
                        lines.append("\(label): \(run.created) phiếu mới / new bills, \(run.existing) đã có / already there")
                        if !everyMarket {
                            for skip in run.skipped { lines.append("  quầy/stall \(skip.stall), \(skip.line): \(skip.reason.label.vi) / \(skip.reason.label.en)") }
                        } else if !run.skipped.isEmpty {
                            lines.append("  \(run.skipped.count) khoản bỏ qua / left out")
                        }
                    } catch let error as AppError where everyMarket && error.code == "no_tariff" {
                        lines.append("\(label): \(error.message.vi) / \(error.message.en)")
                    } catch let error as AppError {
                        throw CommandFailure(lines: lines + ["\(label): \(error.message.vi) / \(error.message.en)"])
                    }
                }
            }
            if everyMarket { lines.append("\(markets.count) chợ / markets: \(created) phiếu mới / new bills, \(existing) đã có / already there") }
            return lines
        }
    }

    /// `choso ocop reminders [--days N]`: certificates lapsed or lapsing within N days, soonest first.
    public static func ocopReminders(_ config: AppConfig, days: Int) async throws -> [String] {
        guard (1...3650).contains(days) else { throw CommandFailure(lines: ["--days từ 1 đến 3650 / --days is 1 to 3650"]) }
        return try await withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let today = Day(Date(), in: config.timeZone)
            let reminders = try await OcopCatalog(database: app.db).reminders(today: today, within: days)
            guard !reminders.isEmpty else { return ["Không có chứng nhận OCOP nào hết hạn trong \(days) ngày / no OCOP certificate lapses within \(days) days"] }
            return reminders.map { reminder in
                let product = reminder.entry.product, left = today.daysUntil(reminder.validUntil)
                let when = left < 0 ? "đã hết hạn \(-left) ngày / expired \(-left) days ago" : "còn \(left) ngày / \(left) days left"
                return "\(reminder.bucket.rawValue)\t\(reminder.validUntil.iso)\t\(when)\t\(product.name) — \(reminder.entry.producer.name)\t\(config.publicURL)/ocop/\(product.slug)"
            }
        }
    }

    static func withApplication<T: Sendable>(_ config: AppConfig, _ body: (Application) async throws -> T) async throws -> T {
        let app = try await ChoSoApp.make(config)
        do {
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

public struct CommandFailure: Error, CustomStringConvertible {
    public var lines: [String]
    public var description: String { lines.joined(separator: "\n") }
}
