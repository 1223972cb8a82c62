import ChoSoCore
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import Vapor

/// A stored credit or correction, as the stall's live screen and speaker need it.
struct PaymentEvent: Codable, Sendable, Equatable {
    var transferID: String
    var stallID: String
    var marketID: String
    var amount: Int64
    var status: String
    var paymentRequestID: String?
    var difference: Int64?
    var description: String
    var counterAccountName: String?
    var reasonVi: String
    var receivedAt: Date
    /// When the bank says the money moved, if it said.
    var bankTime: Date?

    /// The one time shown for this transfer everywhere: the bank's, else when ChoSo received it.
    var time: Date { bankTime ?? receivedAt }

    init(_ transfer: TransferModel) {
        transferID = transfer.id?.uuidString ?? ""
        stallID = transfer.stallID?.uuidString ?? ""
        marketID = transfer.marketID.uuidString
        amount = transfer.amount
        status = transfer.status
        paymentRequestID = transfer.paymentRequestID?.uuidString
        difference = transfer.difference
        description = transfer.description
        counterAccountName = transfer.counterAccountName
        reasonVi = transfer.reasonVi
        receivedAt = transfer.receivedAt
        bankTime = transfer.bankTime
    }

    init(_ row: TransferRow) {
        transferID = row.id.uuidString
        stallID = row.decision.stallID ?? ""
        marketID = row.marketID.uuidString
        amount = row.transfer.amount
        status = row.decision.status.rawValue
        paymentRequestID = row.decision.requestID
        difference = row.decision.difference
        description = row.transfer.description
        counterAccountName = row.transfer.counterAccountName
        reasonVi = row.decision.reason.vi
        receivedAt = row.receivedAt
        bankTime = row.transfer.bankTime
    }
}

/// Fans events out to the subscribers of this process.
final class PaymentEventHub: Sendable {
    private let subscribers = NIOLockedValueBox<[UUID: (stallID: String, continuation: AsyncStream<PaymentEvent>.Continuation)]>([:])

    /// Every event of the stall from now on, until the stream is dropped.
    func subscribe(stallID: String) -> AsyncStream<PaymentEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<PaymentEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLockedValue { $0.removeValue(forKey: id) } }
        subscribers.withLockedValue { $0[id] = (stallID, continuation) }
        return stream
    }

    /// Ends every open stream: their clients come back with `Last-Event-ID` and read what they
    /// missed from the database (after this process lost its LISTEN connection for a while).
    @discardableResult
    func endAllStreams() -> Int {
        let all = subscribers.withLockedValue { $0.values.map(\.continuation) }
        for continuation in all { continuation.finish() }
        return all.count
    }

    func deliver(_ event: PaymentEvent) {
        let targets = subscribers.withLockedValue { $0.values.filter { $0.stallID == event.stallID }.map(\.continuation) }
        for continuation in targets { continuation.yield(event) }
    }

}

/// How stored credits reach live screens: one interface, two carriers. On SQLite there is one
/// process, so events go straight to the hub after the commit. On PostgreSQL they are sent with
/// `NOTIFY` inside the storing transaction (delivered only if it commits) and every process,
/// this one included, receives them through `LISTEN` — so a screen connected to another
/// process hears of a webhook received here.
protocol PaymentEventPublisher: Sendable {
    /// Called inside the transaction that stores the events.
    func stage(_ events: [PaymentEvent], on database: any Database) async throws
    /// Called after that transaction committed.
    func committed(_ events: [PaymentEvent])
    var hub: PaymentEventHub { get }
}

struct InProcessPaymentEvents: PaymentEventPublisher {
    let hub: PaymentEventHub
    func stage(_ events: [PaymentEvent], on database: any Database) async throws {}
    func committed(_ events: [PaymentEvent]) { for event in events { hub.deliver(event) } }
}

struct PostgresPaymentEvents: PaymentEventPublisher {
    let hub: PaymentEventHub
    let channel: String

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970  // full precision: event ids carry milliseconds
        return encoder
    }()

    func stage(_ events: [PaymentEvent], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        // One statement for many events, in their order: a grouped commit stages up to 256 and
        // a statement import thousands, a round trip each before.
        for chunk in events.chunked(by: 1_000) {
            let payloads = try chunk.map { String(decoding: try Self.encoder.encode($0), as: UTF8.self) }
            try await sql.raw("SELECT pg_notify(\(bind: channel), payload) FROM unnest(\(bind: payloads)) WITH ORDINALITY AS staged(payload, rank) ORDER BY rank").run()
        }
    }

    func committed(_ events: [PaymentEvent]) {}
}

/// Keeps one connection listening on the channel and hands what arrives to the hub; reconnects
/// after a lost connection. It starts with the first subscriber, so a process that serves no
/// live screen holds no extra connection.
final class PostgresEventListener: LifecycleHandler, Sendable {
    let configuration: PostgresConnection.Configuration
    let channel: String
    let hub: PaymentEventHub
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)
    private let listening = NIOLockedValueBox(false)
    private let hasListenedBefore = NIOLockedValueBox(false)

    /// True while LISTEN is in place (tests wait for it before sending).
    var isListening: Bool { listening.withLockedValue { $0 } }

    /// How long connecting or a check of the listening connection may take, and how often it is checked.
    static let patience: Duration = .seconds(5)

    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    init(configuration: PostgresConnection.Configuration, channel: String, hub: PaymentEventHub, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        self.hub = hub
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Starts listening unless it already does.
    func start() {
        guard task.withLockedValue({ $0 == nil }) else { return }
        let eventLoop = eventLoopGroup.any()
        let running = Task { [self] in
            while !Task.isCancelled {
                var opened: PostgresConnection?
                do {
                    // Bounded: right after PostgreSQL restarts, a connection attempt has been seen never to end.
                    // A connection that opens after the deadline is closed at once: left to itself
                    // it was never closed (PostgresNIO asserts on that in debug builds, and the
                    // server would keep a session open).
                    let connected = try await withDeadline(Self.patience, { [configuration, logger] in
                        try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 0, logger: logger)
                    }, late: { Self.close($0) })
                    opened = connected
                    connection.withLockedValue { $0 = connected }
                    if !Task.isCancelled { try await supervise(connected) }
                } catch {
                    if !Task.isCancelled {
                        logger.warning("payment events: listening connection lost, reconnecting", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                listening.withLockedValue { $0 = false }
                connection.withLockedValue { $0 = nil }
                // This task opened it, so this task closes it, whatever ended the listening; not
                // awaited, as a close on a connection in a bad state has been seen never to end.
                if let opened { Self.close(opened) }
                if !Task.isCancelled { try? await Task.sleep(for: .seconds(1)) }
            }
        }
        task.withLockedValue { current in
            if current == nil { current = running } else { running.cancel() }
        }
    }

    /// Listens on the connection until it fails. The listening runs in a task of its own that is
    /// abandoned, not awaited, when the connection stops answering: after PostgreSQL restarts a
    /// LISTEN or a query has been seen never to return, and nothing may hold the reconnection.
    private func supervise(_ connected: PostgresConnection) async throws {
        let ended = NIOLockedValueBox(false)
        let session = Task { [self] in
            defer { ended.withLockedValue { $0 = true } }
            try await connected.listen(on: channel) { notifications in
                listening.withLockedValue { $0 = true }
                // Notifications sent while the connection was down are gone: the screens open
                // here reconnect and replay from the database.
                if hasListenedBefore.withLockedValue({ $0 }) {
                    logger.notice("payment events: listening again; open streams end and replay", metadata: ["streams": "\(hub.endAllStreams())"])
                }
                hasListenedBefore.withLockedValue { $0 = true }
                for try await notification in notifications { receive(notification.payload) }
            }
        }
        defer { session.cancel() }
        while true {
            try await Task.sleep(for: Self.patience)
            if ended.withLockedValue({ $0 }) { throw ListenerStopped() }
            guard isListening else { throw ListenerStopped() }
            // A connection that died without a word delivers nothing: ask it something.
            try await withDeadline(Self.patience) { [logger] in
                _ = try await connected.query("SELECT 1", logger: logger).collect()
            }
        }
    }

    struct ListenerStopped: Error {}

    /// Closes without waiting, and holds the connection until it is closed: the listening task
    /// may let go of it last, and a connection released before its channel closed ends the
    /// process (PostgresNIO's debug assertion; seen in CI after a test's shutdown).
    static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    private func receive(_ payload: String) {
        if let event = try? Self.decoder.decode(PaymentEvent.self, from: Data(payload.utf8)) { hub.deliver(event) }
    }

    func shutdown(_ application: Application) {
        task.withLockedValue { $0?.cancel() }
        _ = connection.withLockedValue { $0 }?.close() as EventLoopFuture<Void>?
    }

    func shutdownAsync(_ application: Application) async {
        task.withLockedValue { $0?.cancel() }
        try? await connection.withLockedValue { $0 }?.close()
        await task.withLockedValue { $0 }?.value
    }
}
