// choso-load: signed webhooks against a running ChoSo, at a fixed rate or as fast as possible.
//
//   choso-load setup --url URL --user bql.nganro --password chosodemo [--provider generic] > conn.json
//   choso-load run --url URL --connection conn.json [--rate 1000 | --max] [--duration 10]
//              [--concurrency 32] [--duplicates 0.1] [--bad-signatures 0.05] [--prefix run1-]
//              [--acked FILE] [--acked-at FILE] [--sent FILE] [--ready FILE] [--healthz] [--account NUMBER] [--statement FILE] [--codes FILE]
//
// `setup` signs in through the API, creates a connection for the user's first market and writes
// it (id, provider, secret, the market's receiving accounts) as JSON. `run` sends deliveries in
// that provider's format with the connection's signature; a share of them repeat an earlier
// transfer (must be answered 2xx and stored once) or carry a wrong signature (must be 401). It
// prints throughput and latency percentiles as text and as one JSON line. In fixed-rate mode the
// latency counts from the moment a request was due, so a stalled server cannot hide its queue.
// `--acked` lists the transfer ids answered 2xx (`--acked-at`: each with the unix ms it was
// answered, for the backup test), `--sent` every id sent: the crash test checks the
// database against both; `--ready` is created when the deliveries are prepared and sending starts.
// `--account` sends every transfer to one receiving account; `--statement` writes the acked new
// transfers as statement rows (time,amount,description,reference,account) for statement-import.sh.
// `--codes` puts one of the file's fee bill codes in each transfer's content, in turn (fee-load.sh).
import AsyncHTTPClient
import ChoSoCore
import Foundation
import NIOCore
import NIOHTTP1

struct Options {
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else { continue }
            let name = String(argument.dropFirst(2))
            if ["max", "healthz"].contains(name) { flags.insert(name) } else { values[name] = iterator.next() }
        }
    }

    func string(_ name: String, _ fallback: String? = nil) -> String {
        guard let value = values[name] ?? fallback else { fail("missing --\(name)") }
        return value
    }

    func double(_ name: String, _ fallback: Double) -> Double { values[name].flatMap(Double.init) ?? fallback }
    func int(_ name: String, _ fallback: Int) -> Int { values[name].flatMap(Int.init) ?? fallback }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("choso-load: \(message)\n".utf8))
    exit(2)
}

struct ConnectionFile: Codable {
    var url: String
    var id: String
    var provider: String
    var auth: String
    var secret: String
    var accounts: [String]
    /// Stall id → its receiving account, for the live-screen test.
    var stalls: [String: String]?
    /// A market board token, to open the stalls' event streams.
    var token: String?
}

/// One keep-alive connection per worker (the client's default pool would queue them behind 8).
let client = HTTPClient(
    eventLoopGroupProvider: .singleton,
    configuration: .init(
        connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: Options(CommandLine.arguments.dropFirst()).int("concurrency", 32)),
        decompression: .disabled))

func call(_ method: HTTPMethod, _ url: String, token: String? = nil, json: Any? = nil) async throws -> (UInt, Data) {
    var request = HTTPClientRequest(url: url)
    request.method = method
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    if let json {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
    }
    let response = try await client.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 10 << 20)
    return (response.status.code, Data(body.readableBytesView))
}

func setup(_ options: Options) async throws {
    let url = options.string("url")
    let (status, tokenBody) = try await call(.POST, url + "/api/v1/auth/tokens", json: [
        "username": options.string("user"), "password": options.string("password"), "name": "choso-load",
    ])
    guard status == 201, let token = (try JSONSerialization.jsonObject(with: tokenBody) as? [String: Any])?["token"] as? String else {
        fail("sign-in failed (\(status)): \(String(decoding: tokenBody, as: UTF8.self))")
    }
    let (_, marketsBody) = try await call(.GET, url + "/api/v1/markets", token: token)
    guard let market = (try JSONSerialization.jsonObject(with: marketsBody) as? [[String: Any]])?.first?["id"] as? String else {
        fail("the user runs no market")
    }
    let (_, stallsBody) = try await call(.GET, url + "/api/v1/markets/\(market)/stalls", token: token)
    let stalls = (try JSONSerialization.jsonObject(with: stallsBody) as? [[String: Any]]) ?? []
    let accounts = stalls.flatMap { ($0["accounts"] as? [[String: Any]]) ?? [] }
        .filter { $0["active"] as? Bool == true }.compactMap { $0["accountNumber"] as? String }
    var stallAccounts: [String: String] = [:]
    for stall in stalls {
        let active = ((stall["accounts"] as? [[String: Any]]) ?? []).first { $0["active"] as? Bool == true }
        if let id = stall["id"] as? String, let number = active?["accountNumber"] as? String { stallAccounts[id] = number }
    }
    let provider = options.string("provider", "generic")
    var body: [String: Any] = ["provider": provider, "marketId": market, "label": "choso-load"]
    body["auth"] = options.values["auth"]
    let secret = options.values["secret"] ?? SecretVault.generateSecret()
    body["secret"] = secret
    let (created, connectionBody) = try await call(.POST, url + "/api/v1/connections", token: token, json: body)
    guard created == 201, let connection = try JSONSerialization.jsonObject(with: connectionBody) as? [String: Any],
          let id = connection["id"] as? String, let auth = connection["auth"] as? String
    else { fail("creating the connection failed (\(created)): \(String(decoding: connectionBody, as: UTF8.self))") }
    let file = ConnectionFile(url: url, id: id, provider: provider, auth: auth, secret: secret, accounts: accounts, stalls: stallAccounts, token: token)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(file), as: UTF8.self))
}

/// Counts and latencies gathered by the workers.
actor Tally {
    var latencies: [Double] = []
    var byOutcome: [String: Int] = [:]
    var acked: [String] = []
    /// "<unix ms> <id>" for each acked id: when the 2xx arrived (the backup test's cut-off).
    var ackedAt: [String] = []
    var sent: [String] = []
    var consecutiveFailures = 0

    func record(_ outcome: String, latency: Double?, id: String?, ackedID: Bool) {
        byOutcome[outcome, default: 0] += 1
        if let latency { latencies.append(latency) }
        if let id { sent.append(id) }
        if ackedID, let id {
            acked.append(id)
            ackedAt.append("\(Int64(Date().timeIntervalSince1970 * 1000)) \(id)")
        }
        consecutiveFailures = outcome == "error" ? consecutiveFailures + 1 : 0
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
}

struct Plan: Sendable {
    var connection: ConnectionFile
    var kind: WebhookConnectionKind
    var duplicates: Double
    var badSignatures: Double
    var prefix: String
    var bankTime: Date
    /// Fee bill codes (issue 15): each transfer's content carries one, in turn.
    var codes: [String] = []
}

extension ConnectionFile: @unchecked Sendable {}

/// One delivery: a new transfer, a repeat of an earlier one, or a forged signature.
func makeDelivery(_ plan: Plan, sequence: Int, random: inout SplitMix64) -> (delivery: SignedDelivery, id: String, kind: String, transfer: IncomingTransfer) {
    let roll = Double(random.next() % 10_000) / 10_000
    let isBad = roll < plan.badSignatures
    let isDuplicate = !isBad && sequence > 0 && roll < plan.badSignatures + plan.duplicates
    let number = isDuplicate ? Int(random.next() % UInt64(sequence)) : sequence
    let id = plan.prefix + String(number)
    var numbers = SplitMix64(seed: UInt64(number) &* 2_654_435_761)
    let accounts = plan.connection.accounts.isEmpty ? ["0000000000"] : plan.connection.accounts
    let transfer = IncomingTransfer(
        provider: plan.kind.provider.rawValue, providerTransactionID: id,
        accountNumber: accounts[Int(numbers.next() % UInt64(accounts.count))],
        amount: Int64(1 + numbers.next() % 500) * 1_000, direction: .incoming,
        description: plan.codes.isEmpty ? "KHACH MUA HANG \(id)" : "\(plan.codes[number % plan.codes.count]) PHI CHO \(id)",
        reference: "FT\(id)", counterAccountName: "NGUYEN VAN A", bankTime: plan.bankTime)
    let secret = isBad ? plan.connection.secret + "x" : plan.connection.secret
    let delivery = WebhookDeliveryBuilder.make(transfer, kind: plan.kind, secret: secret, timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
    return (delivery, id, isBad ? "bad" : isDuplicate ? "duplicate" : "new", transfer)
}

/// A delivery made before the clock starts, so that the server is measured, not the generator.
struct Prepared: Sendable {
    var headers: [(name: String, value: String)]
    var body: ByteBuffer
    var id: String
    var kind: String
    var transfer: IncomingTransfer
}

func prepare(_ plan: Plan, count: Int) -> [Prepared] {
    var random = SplitMix64(seed: 0x5EED)
    return (0..<count).map { sequence in
        let made = makeDelivery(plan, sequence: sequence, random: &random)
        return Prepared(headers: made.delivery.headers, body: ByteBuffer(bytes: made.delivery.body), id: made.id, kind: made.kind, transfer: made.transfer)
    }
}

/// Sends until `deadline` (or the prepared deliveries run out); with a rate, request k is due
/// at start + k/rate.
func load(
    url: String, deliveries: [Prepared]?, rate: Double?, duration: Double, concurrency: Int, tally: Tally
) async -> Double {
    let start = ContinuousClock.now
    let deadline = start + .seconds(duration)
    let next = Counter()
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                while true {
                    let sequence = await next.take()
                    let due = rate.map { start + .seconds(Double(sequence) / $0) } ?? ContinuousClock.now
                    if due >= deadline { return }
                    if due > ContinuousClock.now { try? await Task.sleep(until: due) }
                    if await tally.consecutiveFailures > 200 { return }
                    var request = HTTPClientRequest(url: url)
                    var id: String?, kind = "healthz"
                    if let deliveries {
                        guard sequence < deliveries.count else { return }
                        let made = deliveries[sequence]
                        id = made.id
                        kind = made.kind
                        request.method = .POST
                        for header in made.headers { request.headers.add(name: header.name, value: header.value) }
                        request.body = .bytes(made.body)
                    }
                    do {
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        let latency = milliseconds(ContinuousClock.now - due)
                        let code = response.status.code
                        let outcome = (200..<300).contains(code) ? "\(kind) 2xx" : "\(kind) \(code)"
                        await tally.record(outcome, latency: latency, id: id, ackedID: (200..<300).contains(code) && kind != "bad")
                    } catch {
                        await tally.record("error", latency: nil, id: id, ackedID: false)
                    }
                }
            }
        }
    }
    return milliseconds(ContinuousClock.now - start) / 1000
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

actor Counter {
    var value = 0
    func take() -> Int {
        defer { value += 1 }
        return value
    }
}

func report(_ name: String, tally: Tally, elapsed: Double) async -> [String: Any] {
    let sorted = await tally.latencies.sorted()
    let outcomes = await tally.byOutcome
    let answered = sorted.count
    let rate = Double(answered) / elapsed
    let summary: [String: Any] = [
        "phase": name, "answered": answered, "seconds": (elapsed * 100).rounded() / 100, "perSecond": rate.rounded(),
        "p50ms": (percentile(sorted, 0.5) * 100).rounded() / 100, "p90ms": (percentile(sorted, 0.9) * 100).rounded() / 100,
        "p99ms": (percentile(sorted, 0.99) * 100).rounded() / 100, "maxms": ((sorted.last ?? .nan) * 100).rounded() / 100,
        "outcomes": outcomes,
    ]
    let text = String(format: "%@: %d answered in %.1f s = %.0f/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms",
                      name, answered, elapsed, rate, percentile(sorted, 0.5), percentile(sorted, 0.9), percentile(sorted, 0.99), sorted.last ?? .nan)
    print(text)
    print("  " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
    return summary
}

func lines(_ items: [String]) -> String { items.map { $0 + "\n" }.joined() }

func run(_ options: Options) async throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: options.string("connection")))
    let connection = try JSONDecoder().decode(ConnectionFile.self, from: data)
    guard let kind = WebhookConnectionKind(provider: connection.provider, auth: connection.auth) else { fail("unknown provider/auth in the connection file") }
    let url = options.values["url"] ?? connection.url
    var restricted = connection
    if let account = options.values["account"] { restricted.accounts = [account] }
    let plan = Plan(
        connection: restricted, kind: kind, duplicates: options.double("duplicates", 0), badSignatures: options.double("bad-signatures", 0),
        prefix: options.values["prefix"] ?? "load-\(Int(Date().timeIntervalSince1970))-", bankTime: Date(),
        codes: try options.values["codes"].map { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").map(String.init) } ?? [])
    let rate = options.flags.contains("max") ? nil : options.values["rate"].flatMap(Double.init)
    let duration = options.double("duration", 10)
    let concurrency = options.int("concurrency", 32)
    var results: [[String: Any]] = []

    // Enough for the rate, or for 8,000/s flat out; signatures stay inside the 5-minute window.
    let count = Int(min(400_000, (rate ?? 8_000) * duration))
    let deliveries = prepare(plan, count: count)
    let tally = Tally()
    if let ready = options.values["ready"] { _ = FileManager.default.createFile(atPath: ready, contents: Data()) }
    let elapsed = await load(url: "\(url)/hooks/\(connection.provider)/\(connection.id)", deliveries: deliveries, rate: rate, duration: duration, concurrency: concurrency, tally: tally)
    results.append(await report(rate.map { "webhooks at \(Int($0))/s" } ?? "webhooks flat out", tally: tally, elapsed: elapsed))
    if let path = options.values["acked"] { try lines(await tally.acked).write(toFile: path, atomically: true, encoding: .utf8) }
    if let path = options.values["acked-at"] { try lines(await tally.ackedAt).write(toFile: path, atomically: true, encoding: .utf8) }
    if let path = options.values["statement"] {
        // What a bank statement would list for the transfers answered 2xx: time, amount, content, reference.
        let acked = Set(await tally.acked)
        var seen = Set<String>()
        let rows = deliveries.filter { acked.contains($0.id) && $0.kind == "new" && seen.insert($0.id).inserted }.map { item in
            "\(BankTime.formatLocal(item.transfer.bankTime ?? Date(), timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)),\(item.transfer.amount),\(item.transfer.description),\(item.transfer.reference ?? ""),\(item.transfer.accountNumber)"
        }
        try lines(rows).write(toFile: path, atomically: true, encoding: .utf8)
    }
    if let path = options.values["sent"] { try lines(await tally.sent).write(toFile: path, atomically: true, encoding: .utf8) }

    if options.flags.contains("healthz") {
        let health = Tally()
        let healthElapsed = await load(url: "\(url)/healthz", deliveries: nil, rate: rate, duration: duration, concurrency: concurrency, tally: health)
        results.append(await report("GET /healthz" + (rate.map { " at \(Int($0))/s" } ?? " flat out"), tally: health, elapsed: healthElapsed))
    }
    let line = try JSONSerialization.data(withJSONObject: ["choso-load": results], options: [.sortedKeys])
    print(String(decoding: line, as: UTF8.self))
}

/// What the screens saw.
actor Screens {
    var received: [Int: [String]] = [:]
    var opened = 0
    var arrivals: [String: [ContinuousClock.Instant]] = [:]

    func open() { opened += 1 }
    func receive(screen: Int, transfer: String) {
        received[screen, default: []].append(transfer)
        arrivals[transfer, default: []].append(.now)
    }
}

/// `screens`: N live screens (event streams) over the market's stalls, then a burst of signed
/// payments to those stalls; every screen must receive exactly its stall's payments, once.
func screens(_ options: Options) async throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: options.string("connection")))
    let connection = try JSONDecoder().decode(ConnectionFile.self, from: data)
    guard let kind = WebhookConnectionKind(provider: connection.provider, auth: connection.auth),
          let token = connection.token, let stallAccounts = connection.stalls, !stallAccounts.isEmpty
    else { fail("the connection file has no stalls or token (make it with `choso-load setup`)") }
    let url = options.values["url"] ?? connection.url
    let screenCount = options.int("screens", 200)
    let paymentCount = options.int("payments", 1_000)
    let stalls = stallAccounts.keys.sorted()
    let seen = Screens()
    let started = ContinuousClock.now

    // Open every screen and wait for its first bytes.
    let readers = Task {
        await withTaskGroup(of: Void.self) { group in
            for screen in 0..<screenCount {
                group.addTask {
                    var request = HTTPClientRequest(url: "\(url)/api/v1/stalls/\(stalls[screen % stalls.count])/events")
                    request.headers.add(name: "Authorization", value: "Bearer \(token)")
                    guard let response = try? await client.execute(request, timeout: .seconds(120)) else { return }
                    await seen.open()
                    var pending = ""
                    do {
                        for try await buffer in response.body {
                            pending += String(buffer: buffer)
                            while let end = pending.range(of: "\n\n") {
                                let frame = pending[..<end.lowerBound]
                                pending = String(pending[end.upperBound...])
                                if let line = frame.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }),
                                   let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any],
                                   let transfer = object["transferId"] as? String {
                                    await seen.receive(screen: screen, transfer: transfer)
                                }
                            }
                        }
                    } catch {}
                }
            }
        }
    }
    while await seen.opened < screenCount, ContinuousClock.now - started < .seconds(60) { try await Task.sleep(for: .milliseconds(50)) }
    let opened = await seen.opened
    let openTime = milliseconds(ContinuousClock.now - started)
    try await Task.sleep(for: .milliseconds(500))

    // The burst: payments round-robin over the stalls, 32 at a time.
    var sentAt: [String: ContinuousClock.Instant] = [:]
    var expected: [String: String] = [:]  // transfer provider id → stall
    let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    let prefix = "screens-\(Int(Date().timeIntervalSince1970))-"
    let deliveries = (0..<paymentCount).map { index -> (String, String, SignedDelivery) in
        let stall = stalls[index % min(stalls.count, screenCount)]
        let id = prefix + String(index)
        let transfer = IncomingTransfer(
            provider: kind.provider.rawValue, providerTransactionID: id, accountNumber: stallAccounts[stall]!, amount: Int64(1 + index % 300) * 1_000,
            direction: .incoming, description: "KHACH MUA \(index)", counterAccountName: "NGUYEN VAN A")
        return (id, stall, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: connection.secret, timeZone: zone))
    }
    let burstStart = ContinuousClock.now
    let hook = "\(url)/hooks/\(connection.provider)/\(connection.id)"
    try await withThrowingTaskGroup(of: (String, String, ContinuousClock.Instant, Bool).self) { group in
        var next = 0
        func add() {
            let (id, stall, delivery) = deliveries[next]
            next += 1
            group.addTask {
                var request = HTTPClientRequest(url: hook)
                request.method = .POST
                for header in delivery.headers { request.headers.add(name: header.name, value: header.value) }
                request.body = .bytes(ByteBuffer(bytes: delivery.body))
                let at = ContinuousClock.now
                let response = try await client.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 16)
                return (id, stall, at, response.status.code == 200)
            }
        }
        for _ in 0..<min(32, deliveries.count) { add() }
        while let (id, stall, at, ok) = try await group.next() {
            if ok { sentAt[id] = at; expected[id] = stall }
            if next < deliveries.count { add() }
        }
    }
    let burstTime = milliseconds(ContinuousClock.now - burstStart)

    // Wait until every screen has its stall's payments (or 30 s).
    let screensOfStall = Dictionary(grouping: 0..<screenCount, by: { stalls[$0 % stalls.count] })
    let wanted = expected.values.reduce(0) { $0 + (screensOfStall[$1]?.count ?? 0) }
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline, await seen.received.values.reduce(0, { $0 + $1.count }) < wanted {
        try await Task.sleep(for: .milliseconds(100))
    }
    readers.cancel()
    let received = await seen.received
    // Transfer ids in events are ChoSo's ids; count by screen.
    var missing = 0, doubled = 0
    for screen in 0..<screenCount {
        let stall = stalls[screen % stalls.count]
        let want = expected.values.filter { $0 == stall }.count
        let got = received[screen] ?? []
        doubled += got.count - Set(got).count
        missing += max(0, want - Set(got).count)
    }
    let arrivals = await seen.arrivals
    let lastArrival = arrivals.values.flatMap { $0 }.max()
    let text = String(format: "screens: %d open of %d in %.0f ms; %d payments acked in %.0f ms; %d deliveries to screens expected, %d received, %d missing, %d doubled; last arrival %.0f ms after the burst began",
                      opened, screenCount, openTime, expected.count, burstTime, wanted, received.values.reduce(0) { $0 + $1.count }, missing, doubled,
                      lastArrival.map { milliseconds($0 - burstStart) } ?? -1)
    print(text)
    if missing > 0 || doubled > 0 || opened < screenCount { exit(1) }
}

let arguments = CommandLine.arguments.dropFirst()
do {
    switch arguments.first {
    case "setup": try await setup(Options(arguments.dropFirst()))
    case "run": try await run(Options(arguments.dropFirst()))
    case "screens": try await screens(Options(arguments.dropFirst()))
    default: fail("usage: choso-load setup|run … (see the top of Sources/choso-load/main.swift)")
    }
    try await client.shutdown().get()
} catch {
    fail("\(error)")
}
