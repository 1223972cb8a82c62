import Fluent
import FluentSQL
import Foundation
import Vapor

/// `choso backup FILE` and `choso restore FILE [--force]` (docs/operations.md).
///
/// SQLite: `VACUUM INTO` copies one read transaction's view of the database while the server
/// keeps writing (WAL), so the copy is consistent without stopping anything. PostgreSQL:
/// `pg_dump --format=custom` (one snapshot) and `pg_restore --single-transaction`. A backup is
/// written under a temporary name and renamed when complete, so a cut-off copy never looks whole.
public enum BackupCommands {
    /// What a database holds, to say what a backup or a restore is about.
    struct Contents: Sendable {
        var transfers: Int
        var newestTransfer: Date?
        var description: String {
            let newest = newestTransfer.map { ISO8601DateFormatter().string(from: $0) } ?? "—"
            return "\(transfers) giao dịch / transfers, mới nhất / newest \(newest)"
        }
    }

    public static func backup(_ config: AppConfig, to path: String) async throws -> [String] {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(lines: ["Tệp \(path) đã có: chọn tên khác / \(path) exists: choose another name"])
        }
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        let contents: Contents
        switch config.database {
        case .sqliteMemory:
            throw CommandFailure(lines: ["Cơ sở dữ liệu trong bộ nhớ không sao lưu được / an in-memory database cannot be backed up"])
        case .sqliteFile(let database):
            guard FileManager.default.fileExists(atPath: database) else {
                throw CommandFailure(lines: ["Không có cơ sở dữ liệu ở \(database) / no database at \(database)"])
            }
            contents = try await ChoSoCommands.withApplication(config) { app in
                let sql = try sqlDatabase(app)
                try await sql.raw("VACUUM INTO \(bind: partial)").run()
                return try await describe(app.db)
            }
        case .postgres(let url, _):
            contents = try await ChoSoCommands.withApplication(config) { app in try await describe(app.db) }
            try runTool("pg_dump", ["--format=custom", "--no-owner", "--file=\(partial)", "--dbname=\(url)"])
        }
        try flushToDisk(partial)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
        return [
            "Đã sao lưu vào \(path) (\(size / 1024) KB) / backed up",
            "  lúc bắt đầu: \(contents.description) / when it began",
        ]
    }

    public static func restore(_ config: AppConfig, from path: String, force: Bool) async throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(lines: ["Không có tệp \(path) / no file \(path)"])
        }
        switch config.database {
        case .sqliteMemory:
            throw CommandFailure(lines: ["Không khôi phục vào cơ sở dữ liệu trong bộ nhớ / cannot restore into memory"])
        case .sqliteFile(let database):
            return try await restoreSQLite(config, backup: path, database: database, force: force)
        case .postgres(let url, _):
            return try await restorePostgres(config, backup: path, url: url, force: force)
        }
    }

    private static func restoreSQLite(_ config: AppConfig, backup: String, database: String, force: Bool) async throws -> [String] {
        guard let header = FileManager.default.contents(atPath: backup)?.prefix(16), header == Data("SQLite format 3\0".utf8) else {
            throw CommandFailure(lines: ["\(backup) không phải bản sao lưu SQLite / \(backup) is not a SQLite backup"])
        }
        // Checked on a copy beside the database, then renamed over it: the database is never half restored.
        let staging = database + ".restoring"
        for leftover in [staging, staging + "-wal", staging + "-shm"] { try? FileManager.default.removeItem(atPath: leftover) }
        let folder = (database as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try FileManager.default.copyItem(atPath: backup, toPath: staging)
        var stagingConfig = config
        stagingConfig.database = .sqliteFile(path: staging)
        let restored: Contents
        do {
            restored = try await ChoSoCommands.withApplication(stagingConfig) { app in
                let sql = try sqlDatabase(app)
                let check = try await sql.raw("PRAGMA integrity_check").all().first.flatMap { try? $0.decode(column: "integrity_check", as: String.self) }
                guard check == "ok" else {
                    throw CommandFailure(lines: ["Bản sao lưu hỏng (\(check ?? "?")) / the backup is damaged"])
                }
                let contents = try await describe(app.db)
                try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
                return contents
            }
        } catch {
            for leftover in [staging, staging + "-wal", staging + "-shm"] { try? FileManager.default.removeItem(atPath: leftover) }
            throw error
        }
        let databaseSize = ((try? FileManager.default.attributesOfItem(atPath: database)[.size]) as? Int) ?? 0
        if databaseSize > 0, !force {
            let current = try? await ChoSoCommands.withApplication(config) { app in try await describe(app.db) }
            try? FileManager.default.removeItem(atPath: staging)
            throw refusal(current: current, restored: restored, target: database)
        }
        // The last connection closed folds the log into the file; a log left over is not renamed away.
        if (((try? FileManager.default.attributesOfItem(atPath: staging + "-wal")[.size]) as? Int) ?? 0) > 0 {
            throw CommandFailure(lines: ["Bản sao còn nhật ký chưa ghi (\(staging)-wal) / the staged copy still has a log"])
        }
        try? FileManager.default.removeItem(atPath: staging + "-shm")
        try flushToDisk(staging)
        for stale in [database + "-wal", database + "-shm"] { try? FileManager.default.removeItem(atPath: stale) }
        guard rename(staging, database) == 0 else {
            throw CommandFailure(lines: ["Không thay được \(database) (errno \(errno)) / could not replace the database"])
        }
        return ["Đã khôi phục \(database) từ \(backup) / restored", "  \(restored.description)"]
    }

    private static func restorePostgres(_ config: AppConfig, backup: String, url: String, force: Bool) async throws -> [String] {
        let current: Contents? = try await ChoSoCommands.withApplication(config) { app in
            let sql = try sqlDatabase(app)
            let tables = try await sql.raw("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'transfers'")
                .first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
            return tables == 0 ? nil : try await describe(app.db)
        }
        if let current, !force { throw refusal(current: current, restored: nil, target: "PostgreSQL") }
        try runTool("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname=\(url)", backup])
        let restored = try await ChoSoCommands.withApplication(config) { app in try await describe(app.db) }
        return ["Đã khôi phục PostgreSQL từ \(backup) / restored", "  \(restored.description)"]
    }

    private static func refusal(current: Contents?, restored: Contents?, target: String) -> CommandFailure {
        var lines = ["Không ghi đè \(target): cơ sở dữ liệu này đang có dữ liệu / will not overwrite a database that holds data"]
        if let current { lines.append("  đang có / now: \(current.description)") }
        if let restored { lines.append("  bản sao lưu / the backup: \(restored.description)") }
        if let current, let restored, let now = current.newestTransfer, now > (restored.newestTransfer ?? .distantPast) {
            lines.append("  Cơ sở dữ liệu mới hơn bản sao lưu: khôi phục sẽ mất các giao dịch sau đó / the database is newer than the backup: restoring loses what came after")
        }
        lines.append("Dừng máy chủ, rồi chạy lại với --force nếu thật sự muốn thay / stop the server and add --force to replace it")
        return CommandFailure(lines: lines)
    }

    static func describe(_ database: any Database) async throws -> Contents {
        Contents(
            transfers: try await TransferModel.query(on: database).count(),
            newestTransfer: try await TransferModel.query(on: database).max(\.$receivedAt))
    }

    private static func sqlDatabase(_ app: Application) throws -> any SQLDatabase {
        guard let sql = app.db as? any SQLDatabase else { throw CommandFailure(lines: ["not an SQL database"]) }
        return sql
    }

    private static func runTool(_ name: String, _ arguments: [String]) throws {
        guard let program = ExternalTool.onPath(name) else {
            throw CommandFailure(lines: ["Cần \(name) (Debian: apt install postgresql-client) / \(name) is needed"])
        }
        do {
            try ExternalTool.run(program, arguments, timeout: 6 * 3600, keepErrorOutput: true)
        } catch let failed as ExternalTool.Failed {
            throw CommandFailure(lines: ["\(name) thất bại (mã \(failed.status)) / \(name) failed:", failed.errorOutput])
        }
    }

    /// The copy is on disk before it takes the final name.
    private static func flushToDisk(_ path: String) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.synchronize()
        try handle.close()
    }
}
