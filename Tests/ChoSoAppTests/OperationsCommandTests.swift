import ChoSoCore
import Fluent
import FluentSQL
import Foundation
import Testing
import VaporTesting
@testable import ChoSoApp

/// The operator's commands (docs/operations.md): backup and restore, the key rotation, the doctor.
@Suite struct OperationsCommandTests {
    /// A folder of its own for each test's database files.
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("choso-ops-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func choso(_ arguments: [String], database: String, input: String? = nil, key: String? = nil) throws -> CLITests.Run {
        var environment = ["DATABASE_URL": "sqlite://\(database)", "CHOSO_ENV": "development"]
        if let key { environment["CHOSO_SECRET_KEY"] = key }
        return try CLITests.run(arguments, input: input.map { Data($0.utf8) }, environment: environment)
    }

    @Test func aBackupRestoresIntoAFreshPlaceAndNeverOverwritesData() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let live = folder + "/live.sqlite", backup = folder + "/backup.sqlite", restored = folder + "/restored/choso.sqlite"
        #expect(try Self.choso(["backup", backup], database: live).status == 1, "no database yet: nothing to back up")
        #expect(!FileManager.default.fileExists(atPath: live), "a backup never creates the database it copies")
        #expect(try Self.choso(["migrate"], database: live).status == 0)
        #expect(try Self.choso(["user", "add", "quantri.thu", "--role", "admin"], database: live, input: "mot mat khau dai\n").status == 0)

        let made = try Self.choso(["backup", backup], database: live)
        #expect(made.status == 0, "\(made.output)")
        #expect(!FileManager.default.fileExists(atPath: backup + ".partial"))
        #expect(try Self.choso(["backup", backup], database: live).status == 1, "an existing backup is never overwritten")

        let back = try Self.choso(["restore", backup], database: restored)
        #expect(back.status == 0, "\(back.output)")
        #expect(try Self.choso(["report", "verify"], database: restored).status == 0)
        // The user made before the backup is in the copy: adding it again is refused as a duplicate.
        #expect(try Self.choso(["user", "add", "quantri.thu", "--role", "admin"], database: restored, input: "mot mat khau dai\n").status != 0)

        // A database that holds data is replaced only with --force; a file that is not a backup never.
        #expect(try Self.choso(["restore", backup], database: restored).status == 1)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: folder + "/junk.sqlite"))
        #expect(try Self.choso(["restore", folder + "/junk.sqlite", "--force"], database: restored).status == 1)
        #expect(try Self.choso(["report", "verify"], database: restored).status == 0, "a refused restore leaves the database as it was")
        #expect(try Self.choso(["restore", backup, "--force"], database: restored).status == 0)
    }

    @Test func rotatingTheKeyResealsEverySecretOrNothing() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            for secret in ["first-connection-secret-0001", "second-connection-secret-002"] {
                let made = try await app.api(.POST, "/api/v1/connections", token: fixture.tokens["managerA"],
                                             json: #"{"provider":"generic","secret":"\#(secret)","marketId":"\#(fixture.marketA)"}"#)
                #expect(made.status == .created)
            }
            let oldKey = app.choSoConfig.secretKey
            let newKey = "a-brand-new-secret-key-for-the-test-0001"
            func secrets(_ key: String) async throws -> [String?] {
                let vault = SecretVault(masterKey: key)
                return try await WebhookConnectionModel.query(on: app.db).filter(\.$secretSealed != nil).sort(\.$createdAt).all()
                    .map { $0.secretSealed.flatMap(vault.open) }
            }
            #expect(try await secrets(oldKey).compactMap { $0 }.count == 2)

            // The wrong old key opens nothing, so nothing changes.
            await #expect(throws: CommandFailure.self) {
                _ = try await SecretRotation.reseal(on: app.db, oldKey: "not-the-key-that-sealed-them-000000", newKey: newKey)
            }
            #expect(try await secrets(oldKey).compactMap { $0 }.count == 2)

            #expect(try await SecretRotation.reseal(on: app.db, oldKey: oldKey, newKey: newKey) == 2)
            #expect(try await secrets(newKey).compactMap { $0 }.sorted() == ["first-connection-secret-0001", "second-connection-secret-002"])
            #expect(try await secrets(oldKey).allSatisfy { $0 == nil })
        }
    }

    @Test func theDoctorSaysWhatIsWrongAndHowToFixIt() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = folder + "/choso.sqlite"
        let missing = try Self.choso(["doctor"], database: database)
        #expect(missing.status == 1)
        #expect(missing.output.contains("choso migrate"))
        #expect(!FileManager.default.fileExists(atPath: database), "the doctor does not create a database")

        #expect(try Self.choso(["migrate"], database: database).status == 0)
        let healthy = try Self.choso(["doctor"], database: database)
        #expect(healthy.status == 0, "\(healthy.output)")
        #expect(healthy.output.contains("no migration pending"))

        let badConfig = try CLITests.run(["doctor"], environment: ["DATABASE_URL": "mysql://x", "CHOSO_ENV": "development"])
        #expect(badConfig.status == 1)
        #expect(badConfig.output.contains("DATABASE_URL"))

        // A key that does not open the stored secrets: said, with the way out.
        let key = "the-key-these-secrets-were-sealed-with-01"
        let config = AppConfig(environment: .development, database: .sqliteFile(path: database), secretKey: key)
        try await Self.storeSealedSecret(config, secret: "a-connection-secret-00001")
        #expect(try Self.choso(["doctor"], database: database, key: key).status == 0)
        let wrongKey = try Self.choso(["doctor"], database: database, key: "some-other-key-someone-typed-in-000001")
        #expect(wrongKey.status == 1)
        #expect(wrongKey.output.contains("rotate-secret-key"))
    }

    /// Stores one sealed connection secret in the database file, as the app would.
    static func storeSealedSecret(_ config: AppConfig, secret: String) async throws {
        try await ChoSoCommands.withApplication(config) { app in
            try await UnitService(database: app.db).upsert(units: TranDeUnits.units, successions: TranDeUnits.successions, on: app.db)
            let market = MarketModel(name: "Chợ thử", kind: .market, unitID: "31672", address: "Ấp thử")
            try await market.create(on: app.db)
            let connection = WebhookConnectionModel()
            connection.$market.id = try market.requireID()
            connection.provider = "generic"
            connection.auth = "hmac"
            connection.secretSealed = SecretVault(masterKey: config.secretKey).seal(secret)
            connection.secretHint = String(secret.suffix(4))
            connection.createdAt = Date()
            try await connection.create(on: app.db)
        }
    }
}

@Suite struct PruningTests {
    @Test func oldAnswersFailedSignInsWindowsAndSessionsGoFreshOnesStay() async throws {
        try await withTestApp { app in
            let now = Date()
            let old = now.addingTimeInterval(-25 * 60 * 60), fresh = now.addingTimeInterval(-60)
            for (key, moment) in [("old", old), ("fresh", fresh)] {
                try await IdempotencyKeyModel(caller: "user:1", key: key, fingerprint: "f", createdAt: moment).create(on: app.db)
                try await LoginFailureModel(username: "bql.nganro", clientAddress: "203.0.113.9", failedAt: moment).create(on: app.db)
                try await WebSessionModel(key: "session-\(key)", data: SessionData(), lastSeen: key == "old" ? now.addingTimeInterval(-15 * 24 * 60 * 60) : moment).create(on: app.db)
                let window = Int64(moment.timeIntervalSince1970) / 60 * 60
                try await (app.db as! any SQLDatabase).raw(
                    "INSERT INTO rate_limit_hits (door, client_address, window_start, hits) VALUES ('login', '203.0.113.9', \(bind: window), 31)").run()
            }
            #expect(try await Pruning.run(on: app.db, now: now) == .init(idempotencyKeys: 1, loginFailures: 1, rateLimitWindows: 1, sessions: 1))
            #expect(try await IdempotencyKeyModel.query(on: app.db).all().map(\.key) == ["fresh"])
            let kept = try await LoginFailureModel.query(on: app.db).all().map { $0.failedAt.timeIntervalSince1970.rounded() }
            #expect(kept == [fresh.timeIntervalSince1970.rounded()])
            let windowsLeft = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM rate_limit_hits").first()?.decode(column: "n", as: Int.self)
            #expect(windowsLeft == 1, "the fresh window stays")
            #expect(try await WebSessionModel.query(on: app.db).all().map(\.key) == ["session-fresh"])
            #expect(try await Pruning.run(on: app.db, now: now) == .init(idempotencyKeys: 0, loginFailures: 0, rateLimitWindows: 0, sessions: 0), "pruning twice deletes nothing more")
        }
    }
}
