import ChoSoCore
import Foundation
import SQLKit
import Testing
@testable import ChoSoApp

/// The `choso` executable as scripts use it: exit codes, one JSON object per payload, and no
/// crash or hang on garbage.
@Suite struct CLITests {
    /// `choso` sits beside the test bundle in the build folder.
    static var choso: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("choso").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/choso").path
    }

    struct Run { var status: Int32; var output: String }

    /// Runs `choso` with a watchdog: a hang fails the test instead of stalling the suite.
    static func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: choso)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = stdin
        try process.run()
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let writer = Thread {
            if let input { stdin.fileHandleForWriting.write(input) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func errorCodes(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["error"] as? [String: Any])?["code"] as? String
        }
    }

    @Test func aValidPayloadPrintsTheContractAndExitsZero() throws {
        let result = try Self.run(["qr", "decode", "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        for key in ["valid", "scheme", "initiation", "bin", "bank", "account", "service", "amount", "purpose", "crc", "warnings", "fields"] {
            #expect(object.keys.contains(key), "\(key)")
        }
        #expect(object["amount"] is NSNull)
        #expect(object["bank"] as? String == "ACB")
        #expect((object["fields"] as? [[String: Any]])?.first?["id"] as? String == "00")
    }

    @Test func garbageIsAnsweredWithAnErrorCode() throws {
        #expect(Self.errorCodes(try Self.run(["qr", "decode", ""]).output) == ["empty"])
        let nested = "0002010102113899" + String(repeating: "0199", count: 30)
        let deep = try Self.run(["qr", "decode", nested])
        #expect(deep.status == 1)
        #expect(Self.errorCodes(deep.output) == ["malformed_tlv"])
    }

    @Test func tenMegabytesOfRandomBytesOnStandardInput() throws {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 10 * 1024 * 1024)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let result = try Self.run(["qr", "decode", "-"], input: Data(bytes))
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        // One answer per line of input, each an error with a code (a final line break ends the last
        // line rather than starting an empty one: one run in 256 ends with 0x0A).
        let inputLines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count - (bytes.last == 0x0A ? 1 : 0)
        #expect(lines.count == inputLines)
        #expect(Self.errorCodes(result.output).count == lines.count)
    }

    @Test func manyPayloadsOnePerLine() throws {
        let input = """
        00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F
        not a payload
        00020101021138540010A00000072701240006970422011003523509170208QRIBFTTA53037045802VN630479db
        """
        let strict = try Self.run(["qr", "decode", "-"], input: Data(input.utf8))
        #expect(strict.status == 1)
        #expect(Self.errorCodes(strict.output) == ["not_emv", "crc_not_uppercase"])
        #expect(strict.output.split(separator: "\n").count == 3)
    }

    @Test func encodeWritesAnImageZbarReads() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("choso-\(UUID()).png").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let payload = try Self.run(["qr", "encode", "--bin", "971005", "--account", "0912345678", "--amount", "200000", "--purpose", "Cô Ba"])
        #expect(payload.status == 0)
        #expect(try Self.run(["qr", "encode", "--bin", "971005", "--account", "0912345678", "--amount", "200000", "--purpose", "Cô Ba",
                              "--format", "png", "--output", file]).status == 0)
        let zbar = Process()
        zbar.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        zbar.arguments = ["--raw", "-q", file]
        let pipe = Pipe()
        zbar.standardOutput = pipe
        zbar.standardError = FileHandle.nullDevice
        try zbar.run()
        let read = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        zbar.waitUntilExit()
        #expect(read.trimmingCharacters(in: .newlines) == payload.output.trimmingCharacters(in: .newlines))

        let bad = try Self.run(["qr", "encode", "--bin", "97", "--account", "1"])
        #expect(bad.status == 1)
    }

    @Test func banksAsJSON() throws {
        let result = try Self.run(["banks", "--json"])
        #expect(result.status == 0)
        let banks = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        #expect(banks.contains { $0["bin"] as? String == "971011" && $0["verified"] as? Bool == false })
    }

    @Test func sayReadsTheFullAmountWithItsUnit() throws {
        #expect(try Self.run(["say", "200000"]).output == "hai trăm ngàn đồng\n")
        #expect(try Self.run(["say", "200"]).output == "hai trăm đồng\n")
        #expect(try Self.run(["say", "1005000", "--variant", "north"]).output == "một triệu không trăm linh năm nghìn đồng\n")
        #expect(try Self.run(["say", "0"]).output == "không đồng\n")
        #expect(try Self.run(["say", "hai trăm"]).status != 0)
        #expect(try Self.run(["say", "200000", "--variant", "west"]).status != 0)
    }

    /// The demo's accounts have a published password: `choso seed --demo` refuses a production
    /// server and adds no account; a development database takes it, and a second run does not
    /// print the demo password for accounts that were already there.
    @Test func demoSeedRefusesProductionAndClaimsNoPasswordTwice() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choso-seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("choso.sqlite").path
        let development = ["DATABASE_URL": "sqlite://\(path)", "CHOSO_ENV": "development", "CHOSO_BCRYPT_COST": "4"]
        let production = development.merging(["CHOSO_ENV": "production", "CHOSO_SECRET_KEY": String(repeating: "k7", count: 20)]) { $1 }
        #expect(try Self.run(["migrate"], environment: production).status == 0)
        let refused = try Self.run(["seed", "--demo"], environment: production)
        #expect(refused.status == 1 && !refused.output.contains(DemoSeed.password), "\(refused.output)")
        let app = try await ChoSoApp.make(AppConfig(environment: .testing, database: .sqliteFile(path: path), bcryptCost: 4))
        #expect(try await UserModel.query(on: app.db).count() == 0)
        try await app.asyncShutdown()

        let first = try Self.run(["seed", "--demo"], environment: development)
        #expect(first.status == 0 && first.output.contains(DemoSeed.password), "\(first.output)")
        let second = try Self.run(["seed", "--demo"], environment: development)
        #expect(second.status == 0 && !second.output.contains(DemoSeed.password), "\(second.output)")
    }

    /// `choso fees bill` refuses a malformed month and a market without a tariff, and bills a market
    /// that has one — once, however often it runs.
    @Test func feesBillSaysWhyAndBillsOnce() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choso-fees-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("choso.sqlite").path
        let environment = ["DATABASE_URL": "sqlite://\(path)", "CHOSO_ENV": "development", "CHOSO_BCRYPT_COST": "4"]
        #expect(try Self.run(["migrate"], environment: environment).status == 0)
        #expect(try Self.run(["seed", "--demo"], environment: environment).status == 0)
        // The demo's street has no tariff (Ngan Rô has one, and its months are billed).
        let market = DemoSeed.streetID.uuidString
        let month = FeePeriod(containing: Day(Date(), in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)).iso
        let malformed = try Self.run(["fees", "bill", "--market", market, "--period", "2026-13"], environment: environment)
        #expect(malformed.status == 1)
        let untariffed = try Self.run(["fees", "bill", "--market", market, "--period", month], environment: environment)
        #expect(untariffed.status == 1)

        let app = try await ChoSoApp.make(AppConfig(environment: .testing, database: .sqliteFile(path: path), bcryptCost: 4))
        _ = try await FeeService(database: app.db, user: .commandLine, timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
            .addTariff(market: market, TariffVersion(
                decision: FeeDecision(number: "1/QĐ-BQL", date: Day(year: 2025, month: 1, day: 1), issuer: "Ban quản lý chợ (minh hoạ)"),
                effectiveFrom: Day(year: 2025, month: 1, day: 1), effectiveTo: nil,
                lines: [FeeLine(code: "cleaning", name: "Phí vệ sinh", kind: .cleaningMonthly(30_000))]))
        try await app.asyncShutdown()
        let billed = try Self.run(["fees", "bill", "--market", market, "--period", month], environment: environment)
        let created = Int(billed.output.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(billed.status == 0 && created == 20, "\(billed.output)")
        let again = try Self.run(["fees", "bill", "--market", market, "--period", month], environment: environment)
        #expect(again.status == 0 && again.output.contains(": 0 phiếu mới / new bills, \(created) đã có"), "\(again.output)")
    }

    /// `choso report verify` on a seeded database finds a corrupted rollup row (exit 1) and
    /// `--fix` repairs it; `choso report market` prints the dashboard's JSON.
    @Test func reportVerifyFindsAndFixesACorruptedRollup() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choso-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("choso.sqlite").path
        let environment = ["DATABASE_URL": "sqlite://\(path)", "CHOSO_ENV": "development", "CHOSO_BCRYPT_COST": "4"]
        #expect(try Self.run(["migrate"], environment: environment).status == 0)
        #expect(try Self.run(["seed", "--demo"], environment: environment).status == 0)
        let clean = try Self.run(["report", "verify"], environment: environment)
        #expect(clean.status == 0 && clean.output.contains("khớp"), "\(clean.output)")

        let app = try await ChoSoApp.make(AppConfig(environment: .testing, database: .sqliteFile(path: path), bcryptCost: 4))
        let sql = try #require(app.db as? any SQLDatabase)
        try await sql.raw("UPDATE stall_daily_totals SET transfer_amount = transfer_amount + 1000 WHERE business_day = (SELECT MAX(business_day) FROM stall_daily_totals)").run()
        try await app.asyncShutdown()

        let found = try Self.run(["report", "verify"], environment: environment)
        #expect(found.status == 1)
        #expect(found.output.contains("cả ngày/whole day"), "\(found.output)")
        let fixed = try Self.run(["report", "verify", "--fix"], environment: environment)
        #expect(fixed.status == 0 && fixed.output.contains("Đã sửa"), "\(fixed.output)")
        #expect(try Self.run(["report", "verify"], environment: environment).status == 0)

        let market = try Self.run(["report", "market", DemoSeed.nganRoID.uuidString, "--compare", "2"], environment: environment)
        #expect(market.status == 0)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(market.output.utf8)) as? [String: Any])
        #expect((summary["stalls"] as? [String: Any])?["total"] as? Int == 50)
        #expect(try Self.run(["report", "market", DemoSeed.nganRoID.uuidString, "--from", "2024-02-30"], environment: environment).status == 1)
    }
}
