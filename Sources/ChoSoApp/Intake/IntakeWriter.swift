import ChoSoCore
import Fluent
import FluentSQL
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import Vapor

/// Transfers waiting to be stored: a webhook delivery whose signature checked, or the new rows
/// of a statement import.
struct PendingDelivery: Sendable {
    /// `webhook` or `statement`.
    var source: String
    /// Idempotency keys are this prefix and the provider's transaction id: one transfer per
    /// connection (webhooks) or per receiving account (statements), however often it comes.
    var keyPrefix: String
    var connectionID: UUID?
    var marketID: UUID
    /// The body as delivered; kept for webhooks only.
    var rawBody: String?
    var transfers: [IncomingTransfer]
    var receivedAt: Date
    /// The business day (ISO) whose transfers are announced on the stalls' screens; nil: all.
    /// A statement announces only today's: a screen shows and speaks today's takings, and a
    /// month of old rows would swell its total and read out money that came long ago.
    var announcedDay: String? = nil

    static func webhook(connectionID: UUID, marketID: UUID, rawBody: String, transfers: [IncomingTransfer], receivedAt: Date) -> PendingDelivery {
        PendingDelivery(
            source: "webhook", keyPrefix: "webhook:\(connectionID.uuidString.lowercased()):", connectionID: connectionID, marketID: marketID,
            rawBody: rawBody, transfers: transfers, receivedAt: receivedAt)
    }

    static func statement(accountID: UUID, marketID: UUID, transfers: [IncomingTransfer], receivedAt: Date, timeZone: TimeZone) -> PendingDelivery {
        PendingDelivery(
            source: "statement", keyPrefix: "statement:\(accountID.uuidString.lowercased()):", connectionID: nil, marketID: marketID,
            rawBody: nil, transfers: transfers, receivedAt: receivedAt, announcedDay: Day(receivedAt, in: timeZone).iso)
    }
}

/// What happened to each transfer of a delivery.
struct DeliveryOutcome: Sendable {
    /// The transfers stored now; those already known are not in it.
    var stored: [PaymentEvent] = []
}

/// Stores deliveries durably, exactly once, and matched — with their commits grouped.
///
/// Deliveries that arrive while a commit is running wait and go together into the next
/// transaction, so a burst of N concurrent webhooks costs a handful of fsyncs instead of N, and
/// each caller is answered only after the transaction holding its delivery committed. One writer
/// per process also means that on SQLite the intake never fights itself for the write lock.
///
/// The queue is a lock, not an actor: a webhook joins it from its request's event loop and is
/// answered there through a promise, without a task of its own (each hand-over between an event
/// loop and the concurrency pool cost a wake-up per delivery, docs/performance.md).
final class IntakeWriter: Sendable {
    private struct Waiting {
        var delivery: PendingDelivery
        var reply: EventLoopPromise<DeliveryOutcome>
    }

    private struct State {
        var queue: [Waiting] = []
        var draining = false
        var lastRecovery: ContinuousClock.Instant?
    }

    private let state = NIOLockedValueBox(State())
    /// Where the grouped commits run (tests check which thread).
    let database: IntakeDatabase
    /// Drops the database's connection pools so that the next use opens new connections.
    private let recoverDatabase: @Sendable () -> Void
    private let metrics: OperationalMetrics?
    private let events: any PaymentEventPublisher
    private let timeZone: TimeZone
    private let logger: Logger
    static let maxBatch = 256

    init(
        database: IntakeDatabase, recoverDatabase: @escaping @Sendable () -> Void = {},
        events: any PaymentEventPublisher, timeZone: TimeZone, logger: Logger, metrics: OperationalMetrics? = nil
    ) {
        self.metrics = metrics
        self.database = database
        self.recoverDatabase = recoverDatabase
        self.events = events
        self.timeZone = timeZone
        self.logger = logger
    }

    /// Queues the delivery for the next grouped commit; the future completes on `loop` once the
    /// transaction holding it committed (or failed).
    func submit(_ delivery: PendingDelivery, answeringOn loop: any EventLoop) -> EventLoopFuture<DeliveryOutcome> {
        let reply = loop.makePromise(of: DeliveryOutcome.self)
        let startsDraining = state.withLockedValue { state in
            state.queue.append(Waiting(delivery: delivery, reply: reply))
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
        if startsDraining { Task { await self.drain() } }
        return reply.futureResult
    }

    func store(_ delivery: PendingDelivery) async throws -> DeliveryOutcome {
        try await submit(delivery, answeringOn: database.loop).get()
    }

    /// The next deliveries to commit together; nil (and no longer draining) when none wait.
    private func nextBatch() -> [Waiting]? {
        state.withLockedValue { state in
            guard !state.queue.isEmpty else {
                state.draining = false
                return nil
            }
            let batch = Array(state.queue.prefix(Self.maxBatch))
            state.queue.removeFirst(batch.count)
            return batch
        }
    }

    private func drain() async {
        while let batch = nextBatch() {
            do {
                let outcomes = try await commitWithDeadline(batch.map(\.delivery))
                for (entry, outcome) in zip(batch, outcomes) { entry.reply.succeed(outcome) }
            } catch where StorageUnavailable.isUnavailable(error) {
                // The database is gone (restarting, unreachable): every caller gets a 503 now and
                // its sender retries; trying the deliveries one by one would only wait longer.
                logger.warning("intake: the database is unavailable", metadata: ["error": "\(String(reflecting: error))", "size": "\(batch.count)"])
                for entry in batch { entry.reply.fail(StorageUnavailable.error) }
                if error is DeadlinePassed { recoverAfterHang() }
            } catch {
                // One bad delivery (or another process that stored the same transfer a moment
                // ago) must not fail its neighbours: store each on its own.
                logger.warning("intake: grouped commit failed, storing one by one", metadata: ["error": "\(String(reflecting: error))", "size": "\(batch.count)"])
                var unavailable = false
                for entry in batch {
                    if unavailable { entry.reply.fail(StorageUnavailable.error); continue }
                    do {
                        entry.reply.succeed(try await commitWithDeadline([entry.delivery])[0])
                    } catch {
                        unavailable = StorageUnavailable.isUnavailable(error)
                        entry.reply.fail(unavailable ? StorageUnavailable.error : error)
                        if error is DeadlinePassed { recoverAfterHang() }
                    }
                }
            }
        }
    }

    /// How long a commit may take before its callers are answered 503. A commit normally takes
    /// milliseconds; right after PostgreSQL restarts, a transaction has been seen never to get
    /// past its start (Benchmarks/cluster-test.sh pg-restart), which stalled the whole intake of
    /// the process. A commit that finishes after its deadline is harmless: its callers were told
    /// to retry, and a retry is stored once.
    static let commitDeadline: Duration = .seconds(10)

    /// A commit that hung holds its pooled connection for good; a few of those and the pool
    /// is empty. New pools, at most twice a minute, give the process its connections back.
    private func recoverAfterHang() {
        let now = ContinuousClock.now
        let due = state.withLockedValue { state in
            if let last = state.lastRecovery, now - last < .seconds(30) { return false }
            state.lastRecovery = now
            return true
        }
        guard due else { return }
        logger.warning("intake: a commit hung; opening new database connections")
        recoverDatabase()
    }

    private func commitWithDeadline(_ deliveries: [PendingDelivery]) async throws -> [DeliveryOutcome] {
        let start = ContinuousClock.now
        do {
            let outcomes = try await withDeadline(Self.commitDeadline) { try await self.commit(deliveries) }
            metrics?.intakeCommit(deliveries: deliveries.count, duration: ContinuousClock.now - start, committed: true)
            return outcomes
        } catch {
            metrics?.intakeCommit(deliveries: deliveries.count, duration: ContinuousClock.now - start, committed: false)
            throw error
        }
    }

    /// One transaction: skip the transfers already stored, match the new ones (in arrival order,
    /// so that two parts of one payment add up), store raw bodies, transfers and request totals.
    private func commit(_ deliveries: [PendingDelivery]) async throws -> [DeliveryOutcome] {
        let (outcomes, events) = try await database.transaction { db in
            try await Self.store(deliveries, on: db, timeZone: self.timeZone, events: self.events)
        }
        self.events.committed(events)
        return outcomes
    }

    static func store(
        _ deliveries: [PendingDelivery], on db: any Database, timeZone: TimeZone, events publisher: any PaymentEventPublisher
    ) async throws -> (outcomes: [DeliveryOutcome], events: [PaymentEvent]) {
        // Plain SQL and plain values on this path: at thousands of deliveries a second, building
        // and encoding Fluent models cost more than the inserts themselves.
        guard let sql = db as? any SQLDatabase else { throw AppError.notFound }
        let allKeys = Set(deliveries.flatMap { delivery in delivery.transfers.map { delivery.keyPrefix + $0.providerTransactionID } })
        var known = Set<String>()
        for chunk in Array(allKeys).chunked(by: 1_000) {
            known.formUnion(try await sql.select().column("idempotency_key").from(TransferModel.schema)
                .where("idempotency_key", .in, Array(chunk)).all(decodingColumn: "idempotency_key", as: String.self))
        }

        let fresh = deliveries.flatMap(\.transfers)
        let accounts = try await knownAccounts(numbers: Set(fresh.map(\.accountNumber)), on: db)
        var fees = try await FeeIntake.load(for: fresh, on: db)
        let codes = Set(fresh.flatMap { PaymentCode.find(in: $0.description) })
        var requests: [UUID: PaymentRequestModel] = [:]
        if !codes.isEmpty {
            for chunk in Array(codes).chunked(by: 1_000) {
                for request in try await PaymentRequestModel.query(on: db).filter(\.$code ~~ Array(chunk)).all() {
                    requests[try request.requireID()] = request
                }
            }
        }

        var outcomes: [DeliveryOutcome] = []
        var newDeliveries: [(id: UUID, connectionID: UUID, rawBody: String, receivedAt: Date)] = []
        var rows: [TransferRow] = []
        var touched: Set<UUID> = []
        var rollups = RollupChanges()
        for delivery in deliveries {
            var outcome = DeliveryOutcome()
            let deliveryID = TimeOrderedID.make(at: delivery.receivedAt)
            let marketAccounts = accounts.filter { $0.marketID == delivery.marketID }.map(\.account)
            for transfer in delivery.transfers {
                let key = delivery.keyPrefix + transfer.providerTransactionID
                guard known.insert(key).inserted else { continue }
                var judged = transfer
                judged.bankTime = transfer.bankTime ?? delivery.receivedAt
                let mentioned = PaymentCode.find(in: transfer.description)
                let candidates = mentioned.isEmpty ? [] : requests.values.filter { mentioned.contains($0.code) }.map(\.openRequest)
                let rowID = TimeOrderedID.make(at: delivery.receivedAt)
                let decision = fees.match(judged, marketID: delivery.marketID, transferID: rowID, paidAt: judged.bankTime ?? delivery.receivedAt)
                    ?? TransferMatcher.match(judged, accounts: marketAccounts, requests: candidates)
                let row = TransferRow(
                    id: rowID, key: key, source: delivery.source, marketID: delivery.marketID,
                    connectionID: delivery.connectionID, deliveryID: delivery.rawBody == nil ? nil : deliveryID,
                    transfer: transfer, receivedAt: delivery.receivedAt,
                    businessDay: Day(judged.bankTime ?? delivery.receivedAt, in: timeZone).iso, decision: decision)
                if [.paid, .underpaid, .overpaid].contains(decision.status), let requestID = row.requestID, let request = requests[requestID] {
                    request.credit(transfer.amount)
                    touched.insert(requestID)
                }
                rows.append(row)
                if let stallID = decision.stallID {
                    rollups.add(.transfer(status: decision.status, amount: transfer.amount, resolution: nil),
                                at: RollupKey(stallID: stallID, at: judged.bankTime ?? delivery.receivedAt, in: timeZone))
                }
                outcome.stored.append(PaymentEvent(row))
            }
            if !outcome.stored.isEmpty, let connectionID = delivery.connectionID, let rawBody = delivery.rawBody {
                newDeliveries.append((deliveryID, connectionID, rawBody, delivery.receivedAt))
            }
            outcomes.append(outcome)
        }
        if !newDeliveries.isEmpty {
            try await BatchInsert(table: WebhookDeliveryModel.schema, columns: ["id", "connection_id", "received_at", "raw_body"])
                .run(newDeliveries.map { [$0.id, $0.connectionID, $0.receivedAt, $0.rawBody] }, on: sql)
        }
        if !rows.isEmpty { try await TransferRow.insert(rows, on: sql) }
        try await fees.post(on: db)
        try await closeRefunds(paidBy: rows, on: db, timeZone: timeZone, rollups: &rollups)
        try await RollupStore.apply(rollups, on: db)
        for id in touched { try await requests[id]?.save(on: db) }
        let events = zip(deliveries, outcomes).flatMap { delivery, outcome in
            outcome.stored.filter { event in
                !event.stallID.isEmpty && event.status != TransferStatus.outgoing.rawValue
                    && (delivery.announcedDay.map { Day(event.time, in: timeZone).iso == $0 } ?? true)
            }
        }
        try await publisher.stage(events, on: db)
        return (outcomes, events)
    }

    /// An outgoing transfer from a stall's account of exactly a refund still due closes that
    /// refund, the oldest first, in the same transaction (audited, no person named). The refunds
    /// due are read once for all the rows: a statement brings thousands of outgoing transfers,
    /// and a query for each one scanned the stall's transfers again every time.
    static func closeRefunds(paidBy rows: [TransferRow], on db: any Database, timeZone: TimeZone, rollups: inout RollupChanges) async throws {
        let outgoing = rows.filter { $0.decision.status == .outgoing && $0.stallID != nil }
        guard !outgoing.isEmpty else { return }
        var due: [UUID: [TransferModel]] = [:]
        for chunk in Array(Set(outgoing.compactMap(\.stallID))).chunked(by: 1_000) {
            let found = try await TransferModel.query(on: db).filter(\.$stallID ~~ Array(chunk)).filter(\.$resolution == Refund.due)
                .sort(\.$receivedAt).all()
            for refund in found { if let stallID = refund.stallID { due[stallID, default: []].append(refund) } }
        }
        for row in outgoing {
            guard let stallID = row.stallID, var owed = due[stallID] else { continue }
            let amounts = owed.map { refund in
                Refund.Owed(
                    amount: Refund.amount(status: TransferStatus(rawValue: refund.status) ?? .walkIn, amount: refund.amount, difference: refund.difference),
                    counterAccount: refund.counterAccountNumber)
            }
            guard let index = Refund.paid(by: row.transfer.amount, to: row.transfer.counterAccountNumber, among: amounts),
                  let status = TransferStatus(rawValue: owed[index].status) else { continue }
            let refund = owed.remove(at: index)
            due[stallID] = owed
            let key = RollupKey(stallID: stallID.uuidString, at: refund.effectiveTime, in: timeZone)
            rollups.add(-.transfer(status: status, amount: refund.amount, difference: refund.difference, resolution: refund.resolution), at: key)
            refund.resolution = Refund.made
            refund.resolutionNote = "Đã hoàn bằng giao dịch chuyển đi \(row.transfer.reference ?? row.transfer.providerTransactionID) / refunded by an outgoing transfer"
            try await refund.save(on: db)
            rollups.add(.transfer(status: status, amount: refund.amount, difference: refund.difference, resolution: refund.resolution), at: key)
            try await AuditEntryModel.record(
                on: db, actor: nil, action: "transfer.refunded", subjectType: "transfer", subjectID: refund.id,
                detail: "\(Money(dong: row.transfer.amount).formatted) out, transfer \(row.id.uuidString)")
        }
    }

    /// Active receiving accounts with these numbers, with their stall's market.
    static func knownAccounts(numbers: Set<String>, on db: any Database) async throws -> [(marketID: UUID, account: KnownAccount)] {
        guard !numbers.isEmpty, let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.select()
            .column(SQLColumn("market_id", table: "stalls")).column(SQLColumn("stall_id", table: "receiving_accounts"))
            .column(SQLColumn("bin", table: "receiving_accounts")).column(SQLColumn("account_number", table: "receiving_accounts"))
            .from("receiving_accounts")
            .join("stalls", on: SQLColumn("id", table: "stalls"), .equal, SQLColumn("stall_id", table: "receiving_accounts"))
            .where(SQLColumn("account_number", table: "receiving_accounts"), .in, SQLBind.group(Array(numbers)))
            .where(SQLColumn("active_kind", table: "receiving_accounts"), .isNot, SQLLiteral.null)
            .all()
        return try rows.map { row in
            (try row.decode(column: "market_id", as: UUID.self), KnownAccount(
                stallID: try row.decode(column: "stall_id", as: UUID.self).uuidString,
                bin: try row.decode(column: "bin", as: String.self), accountNumber: try row.decode(column: "account_number", as: String.self)))
        }
    }
}

extension Array {
    /// Pieces of at most `size` elements (SQL statements have a bound-parameter limit).
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// The intake's answer when the database cannot store now: 503, and the sender retries.
enum StorageUnavailable {
    static let error = AppError(
        status: .serviceUnavailable, code: "storage_unavailable",
        message: LocalizedText(vi: "Chưa lưu được, xin gửi lại sau ít giây", en: "Could not store it now; send it again in a few seconds"),
        retryAfter: 5)

    /// The database itself failed (connection lost, server shutting down, the deadline passed),
    /// as opposed to one delivery's data.
    static func isUnavailable(_ error: any Error) -> Bool {
        if error is DeadlinePassed { return true }
        if let database = error as? any DatabaseError, database.isConnectionClosed { return true }
        guard let psql = error as? PSQLError else { return false }
        guard psql.code == .server else { return true }
        // 08: connection exception; 57: operator intervention (shutdown); 53: insufficient resources.
        let state = psql.serverInfo?[.sqlState] ?? ""
        return state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53")
    }
}
