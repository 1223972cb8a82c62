import ChoSoCore
import Fluent
import FluentSQL
import Foundation

/// `choso doctor`: what an operator checks after installing or upgrading, each with what to do
/// when it is wrong (docs/operations.md).
public enum Doctor {
    public enum Level: Sendable { case good, warning, problem }

    public struct Finding: Sendable, CustomStringConvertible {
        public var level: Level
        public var text: String
        public var fix: String?

        public var description: String {
            let mark = switch level { case .good: "✓"; case .warning: "!"; case .problem: "✗" }
            return "  \(mark) \(text)" + (fix.map { "\n      → \($0)" } ?? "")
        }
    }

    /// Free space below which the server is in danger (SQLite's log, backups, uploads).
    static let minimumFreeBytes: Int64 = 1 << 30
    static let comfortableFreeBytes: Int64 = 5 << 30

    public static func examine(
        environment: [String: String] = ProcessInfo.processInfo.environment, dotEnvPath: String = ".env"
    ) async -> [Finding] {
        let config: AppConfig
        do {
            config = try AppConfig.load(environment: environment, dotEnvPath: dotEnvPath)
        } catch {
            return error.problems.map { Finding(level: .problem, text: $0, fix: "sửa biến môi trường / fix it in the environment file (/etc/choso/choso.env, from deploy/choso.env.example)") }
        }
        var findings = [Finding(level: .good, text: "cấu hình đọc được / the configuration reads (CHOSO_ENV=\(config.environment.rawValue))")]
        findings += settings(config)
        findings += await database(config)
        findings += tools(config)
        findings.append(disk(config))
        return findings
    }

    static func settings(_ config: AppConfig) -> [Finding] {
        var findings: [Finding] = []
        if config.environment != .production {
            findings.append(Finding(level: .warning, text: "CHOSO_ENV=\(config.environment.rawValue): không phải máy chủ thật / not a production setting",
                                    fix: "trên máy chủ đặt CHOSO_ENV=production / set CHOSO_ENV=production on a server"))
        }
        if config.secretKey == AppConfig.developmentSecretKey {
            findings.append(Finding(level: config.environment == .production ? .problem : .warning,
                                    text: "CHOSO_SECRET_KEY là khoá mẫu / the secret key is the development one",
                                    fix: "tạo khoá: openssl rand -hex 32, đặt vào CHOSO_SECRET_KEY / make one with openssl rand -hex 32"))
        } else {
            findings.append(Finding(level: .good, text: "CHOSO_SECRET_KEY đã đặt / the secret key is set"))
        }
        if config.usesSecureCookies {
            findings.append(Finding(level: .good, text: "CHOSO_PUBLIC_URL là https: cookie chỉ đi qua TLS / cookies are Secure (\(config.publicURL))"))
            if config.trustedProxies == .none {
                findings.append(Finding(level: .warning, text: "CHOSO_TRUSTED_PROXIES trống: sau proxy, mọi yêu cầu như đến từ proxy / behind a proxy every request looks like the proxy's",
                                        fix: "đặt CHOSO_TRUSTED_PROXIES=127.0.0.1 khi HAProxy/Caddy ở cùng máy / set it to the proxy's address"))
            }
        } else if config.environment == .production {
            findings.append(Finding(level: .warning, text: "CHOSO_PUBLIC_URL không phải https (\(config.publicURL)) / not https",
                                    fix: "đặt CHOSO_PUBLIC_URL=https://ten-mien và để Caddy/HAProxy giữ TLS / put TLS in front (deploy/)"))
        }
        return findings
    }

    static func database(_ config: AppConfig) async -> [Finding] {
        if case .sqliteFile(let path) = config.database, !FileManager.default.fileExists(atPath: path) {
            return [Finding(level: .problem, text: "chưa có cơ sở dữ liệu ở \(path) / no database at \(path)",
                            fix: "chạy / run: choso migrate (hoặc khôi phục / or restore: choso restore FILE)")]
        }
        do {
            return try await ChoSoCommands.withApplication(config) { app in
                guard let sql = app.db as? any SQLDatabase else { throw CommandFailure(lines: ["not SQL"]) }
                try await sql.raw("SELECT 1").run()
                var findings = [Finding(level: .good, text: "cơ sở dữ liệu trả lời / the database answers (\(config.database.kind))")]
                let pending = try await app.migrator.previewPrepareBatch().get()
                findings.append(pending.isEmpty
                    ? Finding(level: .good, text: "lược đồ đã cập nhật / no migration pending")
                    : Finding(level: .problem, text: "\(pending.count) bước cập nhật lược đồ chưa chạy / migrations pending",
                              fix: "chạy / run: choso migrate"))
                if pending.isEmpty { findings.append(try await sealedSecrets(config, on: app.db)) }
                return findings
            }
        } catch {
            return [Finding(level: .problem, text: "không kết nối được cơ sở dữ liệu / the database does not answer: \(String(describing: error).prefix(300))",
                            fix: "kiểm tra DATABASE_URL và PostgreSQL (systemctl status postgresql) / check DATABASE_URL and the server")]
        }
    }

    /// The key must open what it sealed: a changed key silently breaks every signed webhook.
    static func sealedSecrets(_ config: AppConfig, on database: any Database) async throws -> Finding {
        let vault = SecretVault(masterKey: config.secretKey)
        let sealed = try await WebhookConnectionModel.query(on: database).filter(\.$secretSealed != nil).all()
        let unreadable = sealed.filter { $0.secretSealed.flatMap(vault.open) == nil }.count
        guard unreadable == 0 else {
            return Finding(level: .problem, text: "\(unreadable)/\(sealed.count) bí mật kết nối không mở được bằng CHOSO_SECRET_KEY này / connection secrets this key does not open",
                           fix: "đặt lại khoá cũ; muốn đổi khoá thì dùng choso rotate-secret-key / put the old key back; change keys with choso rotate-secret-key")
        }
        return Finding(level: .good, text: "khoá mở được \(sealed.count) bí mật kết nối / the key opens the \(sealed.count) connection secrets")
    }

    static func tools(_ config: AppConfig) -> [Finding] {
        func tool(_ path: String?, _ name: String, _ purpose: String, package: String, level: Level = .warning) -> Finding {
            if let path { return Finding(level: .good, text: "\(name): \(path)") }
            return Finding(level: level, text: "thiếu \(name) / \(name) is missing: \(purpose)", fix: "apt install \(package)")
        }
        var findings = [
            tool(SpeechService.findExecutable(configured: config.espeakPath), "espeak-ng", "điện thoại không có giọng Việt sẽ không nghe báo tiền / phones without a Vietnamese voice hear nothing", package: "espeak-ng"),
            tool(ExternalTool.onPath("lame"), "lame", "tiếng đọc gửi dạng WAV, nặng gấp 10 lần / announcements go as WAV, ten times larger", package: "lame"),
            tool(config.vipsthumbnailPath ?? ExternalTool.onPath("vipsthumbnail"), "vipsthumbnail", "không nhận ảnh sản phẩm OCOP / OCOP photos are refused", package: "libvips-tools"),
        ]
        if case .postgres = config.database {
            findings.append(tool(ExternalTool.onPath("pg_dump"), "pg_dump", "choso backup không chạy / choso backup cannot run", package: "postgresql-client"))
        }
        return findings
    }

    static func disk(_ config: AppConfig) -> Finding {
        var folder = FileManager.default.currentDirectoryPath
        if case .sqliteFile(let path) = config.database {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty, FileManager.default.fileExists(atPath: parent) { folder = parent }
        }
        guard let free = (try? FileManager.default.attributesOfFileSystem(forPath: folder))?[.systemFreeSize] as? Int64 else {
            return Finding(level: .warning, text: "không đọc được dung lượng trống ở \(folder) / cannot read the free space")
        }
        let text = "còn trống \(free >> 20) MB ở \(folder) / free space"
        if free < minimumFreeBytes {
            return Finding(level: .problem, text: text, fix: "dọn bản sao lưu cũ hoặc thêm đĩa: dưới 1 GB cơ sở dữ liệu có thể dừng ghi / free some space: below 1 GB the database may stop writing")
        }
        return Finding(level: free < comfortableFreeBytes ? .warning : .good, text: text,
                       fix: free < comfortableFreeBytes ? "nên còn trên 5 GB cho nhật ký và bản sao lưu / keep 5 GB for logs and backups" : nil)
    }
}

extension DatabaseLocation {
    var kind: String {
        switch self {
        case .sqliteFile(let path): "SQLite \(path)"
        case .sqliteMemory: "SQLite in memory"
        case .postgres: "PostgreSQL"
        }
    }
}
