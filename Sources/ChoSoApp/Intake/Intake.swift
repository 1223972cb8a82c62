import ChoSoCore
import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The parts of the payment intake an application keeps for its whole life.
final class Intake: Sendable {
    let writer: IntakeWriter
    let events: any PaymentEventPublisher
    let vault: SecretVault
    let connections = ConnectionCache()
    private let frozenNow = NIOLockedValueBox<Date?>(nil)

    private let listener: PostgresEventListener?

    init(writer: IntakeWriter, events: any PaymentEventPublisher, vault: SecretVault, listener: PostgresEventListener?) {
        self.writer = writer
        self.events = events
        self.vault = vault
        self.listener = listener
    }

    /// Every payment event of the stall from now on, whichever process stored it.
    func subscribe(stallID: String) -> AsyncStream<PaymentEvent> {
        listener?.start()
        return events.hub.subscribe(stallID: stallID)
    }

    /// Whether payments stored by any process reach this one's screens now: always on SQLite;
    /// on PostgreSQL while the LISTEN connection is in place.
    var receivesEvents: Bool { listener?.isListening ?? true }

    /// The time signatures are judged against: the clock, unless a test replays a vector signed
    /// at a fixed moment.
    var now: Date { frozenNow.withLockedValue { $0 } ?? Date() }

    func freezeClock(at date: Date?) { frozenNow.withLockedValue { $0 = date } }
}

/// A connection as the webhook endpoint needs it, with its secret ready to use.
struct ActiveConnection: Sendable {
    var id: UUID
    var marketID: UUID
    var kind: WebhookConnectionKind
    var secret: WebhookConnectionKind.StoredSecret
}

/// Connections by id for a few seconds, so that a busy webhook endpoint reads the database once
/// per connection rather than once per delivery. Changes made in this process drop the entry at
/// once; another process sees them within `lifetime`. Unknown ids are not kept, so made-up URLs
/// cannot fill the memory.
final class ConnectionCache: Sendable {
    static let lifetime: TimeInterval = 10
    static let capacity = 10_000
    private let entries = NIOLockedValueBox<[UUID: (connection: ActiveConnection, until: Date)]>([:])

    /// The connection if it was read less than `lifetime` ago.
    func cached(_ id: UUID) -> ActiveConnection? {
        guard let entry = entries.withLockedValue({ $0[id] }), entry.until > Date() else { return nil }
        return entry.connection
    }

    func connection(_ id: UUID, load: () async throws -> ActiveConnection?) async throws -> ActiveConnection? {
        if let cached = cached(id) { return cached }
        let now = Date()
        guard let loaded = try await load() else { return nil }
        entries.withLockedValue { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = (loaded, now.addingTimeInterval(Self.lifetime))
        }
        return loaded
    }

    func forget(_ id: UUID) { _ = entries.withLockedValue { $0.removeValue(forKey: id) } }
}

extension Application {
    private struct IntakeKey: StorageKey { typealias Value = Intake }

    var intake: Intake {
        get {
            guard let intake = storage[IntakeKey.self] else { fatalError("the intake is set up by ChoSoApp.configure") }
            return intake
        }
        set { storage[IntakeKey.self] = newValue }
    }

    /// Sets up the intake for the configured database: the in-process event hub on SQLite,
    /// LISTEN/NOTIFY on PostgreSQL.
    func setUpIntake(_ config: AppConfig, database: IntakeDatabase) throws {
        let hub = PaymentEventHub()
        let events: any PaymentEventPublisher
        if case .postgres(let url, let schema) = config.database {
            // Tests give each case its own schema in one database; the channel follows it.
            let channel = "choso_payments" + (schema.map { "_" + $0 } ?? "")
            events = PostgresPaymentEvents(hub: hub, channel: channel)
            let listener = PostgresEventListener(
                configuration: try SQLPostgresConfiguration(url: url).coreConfiguration, channel: channel, hub: hub,
                eventLoopGroup: eventLoopGroup, logger: logger)
            lifecycle.use(listener)
            storage[EventListenerKey.self] = listener
        } else {
            events = InProcessPaymentEvents(hub: hub)
        }
        let databases = self.databases
        let writer = IntakeWriter(
            database: database,
            recoverDatabase: {
                guard !config.database.isSQLite else { return }
                databases.reinitialize()
                database.reinitialize()
            },
            events: events, timeZone: config.timeZone, logger: logger, metrics: operationalMetrics)
        intake = Intake(writer: writer, events: events, vault: SecretVault(masterKey: config.secretKey), listener: storage[EventListenerKey.self])
    }

    private struct EventListenerKey: StorageKey { typealias Value = PostgresEventListener }

    /// The PostgreSQL listener, when there is one (tests wait until it listens).
    var paymentEventListener: PostgresEventListener? { storage[EventListenerKey.self] }
}
