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
        try await withApplication(config) { app in
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
