import ChoSoCore
import Foundation
import Testing
@testable import ChoSoApp

@Suite struct ConfigTests {
    @Test func defaultsAreForDevelopment() throws {
        let config = try AppConfig.from([:])
        #expect(config.environment == .development)
        #expect(config.database == .sqliteFile(path: "data/choso.sqlite"))
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.timeZone.identifier == "Asia/Ho_Chi_Minh")
        #expect(!config.usesSecureCookies)
    }

    @Test func readsEveryVariable() throws {
        let config = try AppConfig.from([
            "DATABASE_URL": "postgres://u:p@db.example:5433/choso", "PORT": "9000", "HOST": "0.0.0.0",
            "CHOSO_SECRET_KEY": String(repeating: "k", count: 40), "CHOSO_TIMEZONE": "Asia/Bangkok",
            "CHOSO_ENV": "production", "CHOSO_PUBLIC_URL": "https://cho.example.vn",
        ])
        #expect(config.database == .postgres(url: "postgres://u:p@db.example:5433/choso", schema: nil))
        #expect(config.port == 9000)
        #expect(config.host == "0.0.0.0")
        #expect(config.environment == .production)
        #expect(config.timeZone.identifier == "Asia/Bangkok")
        #expect(config.usesSecureCookies)
    }

    @Test func listsEveryProblemAtOnce() {
        do {
            _ = try AppConfig.from([
                "CHOSO_ENV": "production", "PORT": "eighty", "DATABASE_URL": "mysql://x", "CHOSO_TIMEZONE": "Mars/Olympus",
            ])
            Issue.record("a wrong configuration was accepted")
        } catch {
            #expect(error.problems.count == 4)
            #expect(error.description.contains("CHOSO_SECRET_KEY is required"))
            #expect(error.description.contains("PORT"))
            #expect(error.description.contains("DATABASE_URL"))
            #expect(error.description.contains("CHOSO_TIMEZONE"))
        }
    }

    @Test func rateLimitsAreStandardOffOrChangedPerDoor() throws {
        #expect(try AppConfig.from([:]).rateLimits == .standard)
        #expect(try AppConfig.from(["CHOSO_RATE_LIMITS": "off"]).rateLimits == .off)
        let changed = try AppConfig.from(["CHOSO_RATE_LIMITS": "login=10/60, receipts=300/3600"]).rateLimits
        #expect(changed[.login] == RateLimit(requests: 10, window: 60))
        #expect(changed[.receipts] == RateLimit(requests: 300, window: 3600))
        #expect(changed[.qrCheck] == RequestRateLimits.standard[.qrCheck], "the rest stay standard")
        for bad in ["login=10", "logins=10/60", "login=0/60", "login=10/0", "login=ten/60", "login=10/60/2"] {
            do {
                _ = try AppConfig.from(["CHOSO_RATE_LIMITS": bad])
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.description.contains("CHOSO_RATE_LIMITS"), "\(bad)")
            }
        }
    }

    @Test func productionNeedsALongSecretKey() {
        #expect(throws: ConfigurationError.self) { try AppConfig.from(["CHOSO_ENV": "production", "CHOSO_SECRET_KEY": "short"]) }
        #expect(throws: Never.self) {
            try AppConfig.from(["CHOSO_ENV": "production", "CHOSO_SECRET_KEY": String(repeating: "x", count: 32)])
        }
    }

    @Test func environmentOverridesDotEnvFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("choso-\(UUID()).env").path
        try """
        # a comment
        export PORT=9100
        HOST="10.0.0.5"
        DATABASE_URL='sqlite://tmp/x.sqlite'
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try AppConfig.load(environment: ["PORT": "9200"], dotEnvPath: path)
        #expect(config.port == 9200)
        #expect(config.host == "10.0.0.5")
        #expect(config.database == .sqliteFile(path: "tmp/x.sqlite"))
    }
}
