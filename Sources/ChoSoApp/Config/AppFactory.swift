import ChoSoCore
import Fluent
import FluentSQL
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import LeafKit
import Prometheus
import Vapor

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }

    /// The configuration this application was built with.
    var choSoConfig: AppConfig {
        get { storage[ConfigKey.self] ?? AppConfig() }
        set { storage[ConfigKey.self] = newValue }
    }
}

/// The one way to build ChoSo: `choso serve`, the other commands and the tests all call this.
public enum ChoSoApp {
    /// Makes and configures an application. The caller runs it and shuts it down.
    public static func make(_ config: AppConfig, arguments: [String] = ["choso"]) async throws -> Application {
        let environment = Environment(name: config.environment == .production ? "production" : config.environment.rawValue, arguments: arguments)
        let app = try await Application.make(environment)
        do {
            try await configure(app, config)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// JSON with sorted keys and ISO 8601 dates, so that equal answers are equal bytes. Vapor keeps
    /// this setting globally; a `static let` sets it once per process, never concurrently.
    private static let jsonConfigured: Void = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        ContentConfiguration.global.use(encoder: encoder, for: .json)
    }()

    static func configure(_ app: Application, _ config: AppConfig) async throws {
        _ = jsonConfigured
        _ = MemoryRelease.keepLargeBlocksOutOfTheHeap
        app.choSoConfig = config
        app.http.server.configuration.hostname = config.host
        app.http.server.configuration.port = config.port
        // gzip for pages, styles, scripts, SVG and JSON when the client accepts it: a page of the
        // till goes over weak 4G in a third of its size. Event streams opt out.
        app.http.server.configuration.responseCompression = .enabledForCompressibleTypes
        // A phone may gzip its sync batch (Content-Encoding: gzip); a bomb stops at 8 MB.
        app.http.server.configuration.requestDecompression = .enabled(limit: .size(8 << 20))
        app.routes.defaultMaxBodySize = "1mb"

        let intakeDatabase = try useDatabase(config.database, connectionsPerLoop: config.postgresConnectionsPerLoop, on: app)
        if case .sqliteFile = config.database, let sql = app.db as? any SQLDatabase {
            // Write-ahead log: readers never wait for the intake's commits, and each commit is
            // one fsync of the log (synchronous stays FULL: an acknowledged payment survives a
            // power cut).
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        app.migrations.add(ChoSoMigrations.all)
        let registry = PrometheusCollectorRegistry()
        app.operationalMetrics = OperationalMetrics(registry: registry)
        app.rateLimiter = RequestRateLimiter(limits: config.rateLimits, sharedInDatabase: !config.database.isSQLite)
        try app.setUpIntake(config, database: intakeDatabase)
        if config.environment != .testing { app.lifecycle.use(PruningJob()) }
        app.speech = SpeechService(executable: SpeechService.findExecutable(configured: config.espeakPath), encoder: SpeechService.onPath("lame"))

        app.passwords.use(.bcrypt(cost: config.bcryptCost))
        app.sessions.use { _ in ExpiringSessions() }
        let secure = config.usesSecureCookies
        app.sessions.configuration = SessionsConfiguration(cookieName: "choso_session") { id in
            HTTPCookies.Value(
                string: id.string, expires: Date(timeIntervalSinceNow: ExpiringSessions.idleLifetime), maxAge: nil,
                domain: nil, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        }

        let resources = try resourceDirectory()
        app.views.use(.leaf)
        let views = resources + "Views/"
        app.leaf.sources = LeafSources.singleSource(NIOLeafFiles(
            fileio: app.fileio, limits: [.toSandbox, .onlyLeafExtensions], sandboxDirectory: views, viewDirectory: views))
        app.leaf.cache.isEnabled = config.environment == .production

        app.middleware = Middlewares()
        app.middleware.use(MetricsMiddleware(registry: registry))
        app.middleware.use(SecurityHeadersMiddleware(behindTLS: config.usesSecureCookies))
        app.middleware.use(ErrorPageMiddleware())
        app.middleware.use(RequestSanityMiddleware())
        app.staticAssets = StaticAssets(directory: resources + "Public/")
        app.middleware.use(PublicFilesMiddleware(files: FileMiddleware(publicDirectory: resources + "Public/", defaultFile: nil)))
        app.middleware.use(app.sessions.middleware)
        app.middleware.use(SessionsReadyMiddleware())
        app.middleware.use(AuthenticationMiddleware())
        app.middleware.use(CSRFMiddleware())
        app.middleware.use(IdempotencyMiddleware())

        try routes(app, metrics: registry)
    }

    static func routes(_ app: Application, metrics: PrometheusCollectorRegistry) throws {
        try app.register(collection: OperationsController(registry: metrics))
        try app.register(collection: HomeWebController())
        try app.register(collection: AuthWebController())
        try app.register(collection: MarketsWebController())
        try app.register(collection: AdminWebController())
        try app.register(collection: PeopleWebController())
        try app.register(collection: CashierWebController())
        try app.register(collection: BoardWebController())
        try app.register(collection: WebhookController())
        try app.register(collection: IntakeWebController())
        try app.register(collection: ReportsWebController())
        try app.register(collection: LiveWebController())
        try app.register(collection: CommunityWebController())
        try app.register(collection: TeamWebController())
        try app.register(collection: CommuneWebController())
        try app.register(collection: TeamAdminWebController())
        try app.register(collection: FeeWebController())
        try app.register(collection: FeeStallWebController())
        try app.register(collection: FeeTicketWebController())
        try app.register(collection: OcopRegisterWebController())
        try app.register(collection: OcopDecisionWebController())
        try app.register(collection: OcopProducerWebController())
        try app.register(collection: OcopGroupWebController())
        try app.register(collection: OcopPublicWebController())
        try app.register(collection: IndicatorCatalogueWebController())
        try app.register(collection: IndicatorWebController())
        try app.register(collection: IndicatorSetupWebController())

        let api = app.grouped("api", "v1")
        try api.register(collection: TokenAPIController())
        try api.register(collection: PeopleAPIController())
        try api.register(collection: UnitsAPIController())
        try api.register(collection: MarketsAPIController())
        try api.register(collection: QRAPIController())
        try api.register(collection: CashierAPIController())
        try api.register(collection: ConnectionsAPIController())
        try api.register(collection: LiveEventsController())
        try api.register(collection: SpeechController())
        try api.register(collection: SpeakerDevicesController())
        try api.register(collection: ReportsAPIController())
        try api.register(collection: SyncAPIController())
        try api.register(collection: TeamAdminAPIController())
        try api.register(collection: FeeAPIController())
        try api.register(collection: OcopAPIController())
        try api.register(collection: OcopRegisterAPIController())
        try api.register(collection: IndicatorAPIController())
    }

    /// The application's pools, and the intake's way to them (returned).
    static func useDatabase(_ location: DatabaseLocation, connectionsPerLoop: Int, on app: Application) throws -> IntakeDatabase {
        let (configuration, id) = try databaseConfiguration(location, connectionsPerLoop: connectionsPerLoop)
        app.databases.use(configuration, as: id)
        guard !location.isSQLite else {
            return IntakeDatabase(sharing: app.databases, on: app.eventLoopGroup.next(), logger: app.logger)
        }
        // Its commits run one at a time; a second connection stands by for after a hang.
        let intake = IntakeDatabase(
            configuration: try databaseConfiguration(location, connectionsPerLoop: 2).configuration, id: id,
            threadPool: app.threadPool, logger: app.logger)
        app.lifecycle.use(IntakeDatabaseShutdown(database: intake))
        return intake
    }

    static func databaseConfiguration(
        _ location: DatabaseLocation, connectionsPerLoop: Int
    ) throws -> (configuration: DatabaseConfigurationFactory, id: DatabaseID) {
        switch location {
        case .sqliteMemory:
            return (.sqlite(.memory), .sqlite)
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return (.sqlite(.file(path)), .sqlite)
        case .postgres(let url, let schema):
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema { configuration.searchPath = [schema] }
            return (.postgres(configuration: configuration, maxConnectionsPerEventLoop: connectionsPerLoop), .psql)
        }
    }

    /// Templates and public files ship as resources of this module.
    static func resourceDirectory() throws -> String {
        guard let url = Bundle.module.url(forResource: "Views", withExtension: nil) else {
            throw ConfigurationError(problems: ["the Views resource folder is missing from the ChoSoApp bundle"])
        }
        return url.deletingLastPathComponent().path + "/"
    }

    /// Brings the database schema up to date.
    public static func migrate(_ app: Application) async throws {
        try await app.autoMigrate()
    }
}
