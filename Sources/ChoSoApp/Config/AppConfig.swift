import ChoSoCore
import Foundation

/// Where the data lives, read from `DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable {
    /// A SQLite file; its folder is created on first use.
    case sqliteFile(path: String)
    /// A private in-memory SQLite database (tests).
    case sqliteMemory
    /// A PostgreSQL server; `schema` (tests) puts every table in that schema.
    case postgres(url: String, schema: String?)

    /// `sqlite://data/choso.sqlite` (relative to the working directory), `sqlite:///abs/path.sqlite`,
    /// `sqlite::memory:`, `postgres://user:pass@host:port/db` or `postgresql://…`.
    static func parse(_ text: String) -> DatabaseLocation? {
        if text == "sqlite::memory:" || text == "sqlite://:memory:" { return .sqliteMemory }
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            return path.isEmpty ? nil : .sqliteFile(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return URL(string: text)?.host == nil ? nil : .postgres(url: text, schema: nil)
        }
        return nil
    }

    var isSQLite: Bool {
        if case .postgres = self { return false }
        return true
    }
}

/// Which way the installation runs. Production refuses to start without a real secret key.
public enum DeploymentEnvironment: String, Sendable, CaseIterable {
    case development, production, testing
}

/// Every setting of ChoSo, read once from the environment and `.env` (DESIGN.md §6). Nothing else
/// reads environment variables.
public struct AppConfig: Sendable {
    public var environment: DeploymentEnvironment
    public var database: DatabaseLocation
    public var host: String
    public var port: Int
    /// Key material for sessions and for encrypting connection secrets.
    public var secretKey: String
    public var timeZone: TimeZone
    /// bcrypt work factor; lower only in tests, where hashing speed matters more than strength.
    public var bcryptCost: Int
    /// Where users reach ChoSo; cookies are `Secure` when it is https.
    public var publicURL: String
    /// How failed sign-ins slow down the next ones.
    public var loginThrottle: LoginThrottle
    /// Proxies whose `X-Forwarded-For` is believed (`CHOSO_TRUSTED_PROXIES`); nobody's by default.
    public var trustedProxies: TrustedProxies = .none
    /// Requests per client address at the public doors (`CHOSO_RATE_LIMITS`).
    public var rateLimits: RequestRateLimits = .standard
    /// PostgreSQL connections per event loop (tests use 1, as many run side by side).
    public var postgresConnectionsPerLoop: Int = 4
    /// espeak-ng for announcements as sound (`CHOSO_ESPEAK`); nil: the first on the PATH.
    public var espeakPath: String?
    /// libvips' `vipsthumbnail` for product photos (`CHOSO_VIPSTHUMBNAIL`); nil: the first on the PATH.
    public var vipsthumbnailPath: String?

    public static let developmentSecretKey = "development-only-secret-key-do-not-use-in-production"

    public init(
        environment: DeploymentEnvironment = .development,
        database: DatabaseLocation = .sqliteFile(path: "data/choso.sqlite"),
        host: String = "127.0.0.1",
        port: Int = 8080,
        secretKey: String = AppConfig.developmentSecretKey,
        timeZone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!,
        bcryptCost: Int = 12,
        publicURL: String? = nil,
        loginThrottle: LoginThrottle = LoginThrottle()
    ) {
        self.environment = environment
        self.database = database
        self.host = host
        self.port = port
        self.secretKey = secretKey
        self.timeZone = timeZone
        self.bcryptCost = bcryptCost
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.loginThrottle = loginThrottle
    }

    public var usesSecureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// Reads the process environment over the `.env` file in the working directory.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvPath: String = ".env"
    ) throws(ConfigurationError) -> AppConfig {
        let fileValues = (try? String(contentsOfFile: dotEnvPath, encoding: .utf8)).map(DotEnv.parse) ?? [:]
        return try from(fileValues.merging(environment) { _, process in process })
    }

    /// Builds the configuration from a set of variables, listing every problem at once.
    public static func from(_ values: [String: String]) throws(ConfigurationError) -> AppConfig {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let raw = values[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        var config = AppConfig()
        if let name = value("CHOSO_ENV") {
            if let environment = DeploymentEnvironment(rawValue: name) {
                config.environment = environment
            } else {
                problems.append("CHOSO_ENV must be one of development, production, testing (got \"\(name)\")")
            }
        }
        if let url = value("DATABASE_URL") {
            if let location = DatabaseLocation.parse(url) {
                config.database = location
            } else {
                problems.append("DATABASE_URL must be sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")
            }
        }
        if let host = value("HOST") { config.host = host }
        if let portText = value("PORT") {
            if let port = Int(portText), (1...65535).contains(port) {
                config.port = port
            } else {
                problems.append("PORT must be a number from 1 to 65535 (got \"\(portText)\")")
            }
        }
        if let key = value("CHOSO_SECRET_KEY") {
            if key.utf8.count < 32 {
                problems.append("CHOSO_SECRET_KEY must be at least 32 characters")
            } else {
                config.secretKey = key
            }
        } else if config.environment == .production {
            problems.append("CHOSO_SECRET_KEY is required when CHOSO_ENV=production (at least 32 random characters)")
        }
        if let zone = value("CHOSO_TIMEZONE") {
            if let timeZone = TimeZone(identifier: zone) {
                config.timeZone = timeZone
            } else {
                problems.append("CHOSO_TIMEZONE is not a known time zone: \"\(zone)\"")
            }
        }
        if let costText = value("CHOSO_BCRYPT_COST") {
            if let cost = Int(costText), (4...31).contains(cost) {
                config.bcryptCost = cost
            } else {
                problems.append("CHOSO_BCRYPT_COST must be a number from 4 to 31")
            }
        }
        config.publicURL = value("CHOSO_PUBLIC_URL") ?? "http://\(config.host):\(config.port)"
        if let proxies = value("CHOSO_TRUSTED_PROXIES") {
            switch TrustedProxies.parse(proxies) {
            case .success(let trusted): config.trustedProxies = trusted
            case .failure(let error):
                problems.append("CHOSO_TRUSTED_PROXIES lists addresses or CIDR ranges separated by commas (cannot read: \(error.entries.joined(separator: ", ")))")
            }
        }
        if let limits = value("CHOSO_RATE_LIMITS") {
            switch RequestRateLimits.parse(limits) {
            case .success(let parsed): config.rateLimits = parsed
            case .failure(let error):
                let doors = RateLimitedDoor.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append("CHOSO_RATE_LIMITS is off or DOOR=REQUESTS/SECONDS items separated by commas, DOOR one of \(doors) (cannot read: \(error.entries.joined(separator: ", ")))")
            }
        }
        if let vips = value("CHOSO_VIPSTHUMBNAIL") {
            if FileManager.default.isExecutableFile(atPath: vips) {
                config.vipsthumbnailPath = vips
            } else {
                problems.append("CHOSO_VIPSTHUMBNAIL must name an executable vipsthumbnail")
            }
        }
        if let espeak = value("CHOSO_ESPEAK") {
            if FileManager.default.isExecutableFile(atPath: espeak) {
                config.espeakPath = espeak
            } else {
                problems.append("CHOSO_ESPEAK must name an executable espeak-ng")
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return config
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]
    public var description: String {
        "ChoSo cannot start; fix the configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// The `.env` format: `NAME=value` lines, `#` comments, optional `export `, optional quotes.
enum DotEnv {
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[name] = value
        }
        return values
    }
}
