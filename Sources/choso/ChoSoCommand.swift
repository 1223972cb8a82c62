import ArgumentParser
import ChoSoApp
import ChoSoCore
import Foundation
import QRImage
import VietQR

/// `choso`: one executable for serving and for the operator's tasks (DESIGN.md §6).
@main
struct ChoSo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "choso",
        abstract: "Chợ Số — cashless markets for Vietnamese communes.",
        subcommands: [Serve.self, Migrate.self, Seed.self, User.self, Import.self, Report.self, Fees.self, Ocop.self, QR.self, Banks.self, Say.self, Backup.self, Restore.self, DoctorCommand.self, RotateSecretKey.self])
}

/// Reads the configuration, printing every problem and exiting when it is wrong.
func loadConfig(host: String? = nil, port: Int? = nil) throws -> AppConfig {
    do {
        var config = try AppConfig.load()
        if let host { config.host = host }
        if let port { config.port = port }
        return config
    } catch {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(2)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the web app and the API.")
    @Option(help: "Address to listen on (default HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default PORT or 8080).") var port: Int?

    func run() async throws {
        try await ChoSoCommands.serve(try loadConfig(host: host, port: port))
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date.")
    func run() async throws {
        try await ChoSoCommands.migrate(try loadConfig())
        print("Đã cập nhật cơ sở dữ liệu / database is up to date")
    }
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo data (idempotent).")
    @Flag(help: "Trần Đề units, Ngan Rô market, the Lịch Hội Thượng street, teams and one login per role.") var demo = false

    func run() async throws {
        guard demo else { throw ValidationError("Only the demo data exists for now: run `choso seed --demo`.") }
        let config = try loadConfig()
        let logins = try await exitingOnFailure { try await ChoSoCommands.seedDemo(config) }
        print("Dữ liệu mẫu đã sẵn sàng / demo data is ready. Đăng nhập / logins:")
        for login in logins {
            let role = login.role.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
            let name = login.username.padding(toLength: 15, withPad: " ", startingAt: 0)
            let password = login.created
                ? "mật khẩu/password: \(login.password)" : "đã có, mật khẩu giữ nguyên / already there, password unchanged"
            print("  \(role) \(name) \(password)   (\(login.note))")
        }
    }
}

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage users.", subcommands: [Add.self, Unlock.self])

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget failed sign-ins, so that a user (or everyone at an address) can sign in again at once.",
            discussion: """
            NAME forgets that user's failures from every address. --address lifts the wait of an address \
            shut out by failures under many names (a market behind one carrier address). With neither, \
            lists the addresses waiting now.
            """)
        @Argument(help: "User name.") var username: String?
        @Option(help: "A client address, as listed without arguments.") var address: String?

        func run() async throws {
            let config = try loadConfig()
            try await printOrFail { try await ChoSoCommands.unlock(config, username: username, address: address) }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is read from standard input.",
            discussion: "Example: echo 'a long password' | choso user add bql.nganro --role market_manager --scope MARKET_ID")
        @Argument(help: "User name: 3–32 lower-case letters, digits, dots, hyphens or underscores.") var username: String
        @Option(help: "admin, officer, market_manager, merchant or team_member.") var role: String
        @Option(help: "Unit, market, stall or team id the role applies to; repeat for several.") var scope: [String] = []
        @Option(help: "Name shown in the app.") var name: String?

        func run() async throws {
            guard let parsedRole = Role(rawValue: role) else {
                throw ValidationError("--role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let config = try loadConfig()
            let password = (readLine(strippingNewline: true) ?? "")
            try await exitingOnFailure {
                try await ChoSoCommands.addUser(config, username: username, displayName: name, role: parsedRole, scope: scope, password: password)
            }
            print("Đã thêm người dùng \(username) (\(parsedRole.rawValue)) / user added")
        }
    }
}

struct Fees: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Market fees.", subcommands: [Bill.self])

    struct Bill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a market's fee bills for a month from the tariff in force.",
            discussion: """
            One bill per stall, fee line and month, however often it runs: running it again creates nothing more. \
            A coming month may be billed one month ahead; --through catches up several months.
            Example: choso fees bill --market 8c4f… --period 2026-12   (or --market all: every market with a tariff)
            """)
        @Option(help: "The market's id, or all.") var market: String
        @Option(help: "The month, YYYY-MM.") var period: String
        @Option(help: "The last month to bill, YYYY-MM (default: --period alone).") var through: String?

        func run() async throws {
            try await printOrFail { try await ChoSoCommands.billFees(try loadConfig(), market: market, period: period, through: through) }
        }
    }
}

struct Ocop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "OCOP products.", subcommands: [Reminders.self])

    struct Reminders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List OCOP certificates that have expired or expire within N days (for a daily cron job).",
            discussion: "A certificate is valid 36 months from its decision. Exit status 0 whether or not there is anything to say.")
        @Option(help: "How many days ahead to look (1–3650, default 180).") var days: Int = 180

        func run() async throws {
            try await printOrFail { try await ChoSoCommands.ocopReminders(try loadConfig(), days: days) }
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data files.", subcommands: [StatementFile.self])

    struct StatementFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "statement",
            abstract: "Import a bank statement (CSV or XLSX) for a receiving account and reconcile it with the webhooks received.",
            discussion: """
            All or nothing: a file with any bad row imports nothing and lists every bad row. Rows ChoSo already has \
            (same bank reference, or same amount within 10 minutes) are not doubled; the others are stored and matched.
            Layouts: vcb (Vietcombank export), mb (MB Bank export), generic (time,amount,description,reference,counterAccountName).
            Example: choso import statement saoke.xlsx --account 0011001234567 --dry-run
            """)
        @Argument(help: "The statement file.") var file: String
        @Option(help: "Receiving account id, or its number when one stall has it.") var account: String
        @Option(help: "auto, csv or xlsx.") var format = "auto"
        @Option(help: "auto, vcb, mb or generic.") var layout = "auto"
        @Flag(help: "Read and reconcile, store nothing.") var dryRun = false

        func run() async throws {
            try await printOrFail {
                try await ChoSoCommands.importStatement(try loadConfig(), file: file, account: account, format: format, layout: layout, dryRun: dryRun)
            }
        }
    }
}

struct Say: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print an amount in Vietnamese words followed by \"đồng\", as the payment announcement says it.",
        discussion: "south: lẻ, ngàn (the Mekong Delta default); north: linh, nghìn. Example: choso say 200000 → hai trăm ngàn đồng")
    @Argument(help: "Whole đồng, 0 to 999999999999 (dots or spaces between groups of three are allowed; a comma is a fraction and is refused).") var amount: String
    @Option(help: "south or north.") var variant = "south"
    @Option(help: "tu or bon: how a final 4 after \"mươi\" is read.") var four = "tu"

    func run() throws {
        guard let money = Money(typed: amount), money.dong <= 999_999_999_999 else {
            throw ValidationError("Số tiền phải là số nguyên đồng từ 0 đến 999.999.999.999 / the amount must be whole đồng, 0 to 999,999,999,999")
        }
        guard var reading = ["south": AmountReading.south, "north": AmountReading.north][variant] else {
            throw ValidationError("--variant phải là south hoặc north / --variant must be south or north")
        }
        guard let chosenFour = ["tu": AmountReading.Four.tu, "bon": .bon][four] else {
            throw ValidationError("--four phải là tu hoặc bon / --four must be tu or bon")
        }
        reading.four = chosenFour
        print(reading.words(money.dong))
    }
}

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Report figures, and their check.", subcommands: [Market.self, Indicators.self, Verify.self])

    struct Indicators: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a unit's digital-transformation indicators as JSON (the API's body).",
            discussion: """
            --rebuild first recomputes the aggregates from the households and visits and prints the time; \
            --compare N computes the table N times from the aggregates and N times from every record, checks \
            they agree and prints the median times and their ratio on standard error. Example: \
            choso report indicators 92 --as-of 2026-10-31 --compare 5
            """)
        @Argument(help: "The unit's id (e.g. 92, 31673@2025-07-01).") var unit: String
        @Option(name: .customLong("as-of"), help: "YYYY-MM-DD (default: today, or the period's last day).") var asOf: String?
        @Option(help: "current or before-2025-07-01.") var tree: String?
        @Option(help: "2026-10, 2026-Q3 or 2026 (default: the month of --as-of).") var period: String?
        @Flag(help: "Recompute the aggregates from the records first, and time it.") var rebuild = false
        @Option(help: "Time the table from the aggregates against the records, N runs each.") var compare = 0

        func run() async throws {
            let (json, timings) = try await exitingOnFailure {
                try await ChoSoCommands.indicatorTable(try loadConfig(), unit: unit, asOf: asOf, tree: tree, period: period, rebuild: rebuild, compareRuns: compare)
            }
            print(json)
            if !timings.isEmpty { FileHandle.standardError.write(Data((timings.joined(separator: "\n") + "\n").utf8)) }
        }
    }

    struct Market: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a market's figures for a range of business days as JSON (the dashboard's API body).",
            discussion: """
            --compare N also computes the same report N times from the rollups and N times the naive way \
            (GROUP BY over the raw transfers and cash entries), checks they agree and prints the median \
            times and their ratio on standard error. Example: choso report market MARKET_ID --from 2024-01-01 --to 2024-01-31
            """)
        @Argument(help: "The market's id.") var market: String
        @Option(help: "First business day, YYYY-MM-DD (default: 29 days before --to).") var from: String?
        @Option(help: "Last business day, YYYY-MM-DD (default: today in Asia/Ho_Chi_Minh).") var to: String?
        @Option(help: "Time the rollup report against the naive query, N runs each.") var compare = 0

        func run() async throws {
            let (json, timings) = try await exitingOnFailure {
                try await ChoSoCommands.marketReport(try loadConfig(), market: market, from: from, to: to, compareRuns: compare)
            }
            print(json)
            if !timings.isEmpty { FileHandle.standardError.write(Data((timings.joined(separator: "\n") + "\n").utf8)) }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the per-stall hourly rollups from the transfers and cash entries and list any difference; exit 1 when they differ.")
        @Flag(help: "Rewrite the rollups from the entries when they differ.") var fix = false

        func run() async throws {
            let (lines, consistent) = try await ChoSoCommands.verifyReports(try loadConfig(), fix: fix)
            print(lines.joined(separator: "\n"))
            if !consistent { throw ExitCode(1) }
        }
    }
}

/// Prints a command's lines, or its failure on standard error with exit code 1.
func printOrFail(_ body: () async throws -> [String]) async throws {
    for line in try await exitingOnFailure(body) { print(line) }
}

/// The body's result; a `CommandFailure` is said on standard error and the command exits 1.
func exitingOnFailure<Result>(_ body: () async throws -> Result) async throws -> Result {
    do {
        return try await body()
    } catch let failure as CommandFailure {
        FileHandle.standardError.write(Data((failure.description + "\n").utf8))
        throw ExitCode(1)
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database to FILE while the server keeps running (SQLite: VACUUM INTO; PostgreSQL: pg_dump).")
    @Argument(help: "The backup file to write; it must not exist.") var file: String

    func run() async throws {
        let config = try loadConfig()
        try await printOrFail { try await BackupCommands.backup(config, to: file) }
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup back as the database (stop the server first); a database holding data is replaced only with --force.")
    @Argument(help: "A file made by `choso backup`.") var file: String
    @Flag(help: "Replace a database that holds data.") var force = false

    func run() async throws {
        let config = try loadConfig()
        try await printOrFail { try await BackupCommands.restore(config, from: file, force: force) }
    }
}

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, the database, pending migrations, the secret key, espeak-ng and disk space, and say what to fix.")

    func run() async throws {
        let findings = await Doctor.examine()
        print("choso doctor")
        for finding in findings { print(finding) }
        let problems = findings.filter { $0.level == .problem }.count
        let warnings = findings.filter { $0.level == .warning }.count
        print(problems == 0
            ? "Không có lỗi (\(warnings) lưu ý) / no problems (\(warnings) warnings)"
            : "\(problems) lỗi cần sửa, \(warnings) lưu ý / \(problems) problems to fix, \(warnings) warnings")
        if problems > 0 { throw ExitCode(1) }
    }
}

struct RotateSecretKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-secret-key",
        abstract: "Re-seal every stored connection secret: the old key from CHOSO_SECRET_KEY, the new key from standard input.")

    func run() async throws {
        let config = try loadConfig()
        let newKey = (readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .whitespaces)
        try await printOrFail { try await SecretRotation.rotate(config, newKey: newKey) }
    }
}
