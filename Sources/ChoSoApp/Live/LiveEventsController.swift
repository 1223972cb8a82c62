import ChoSoCore
import Fluent
import Foundation
import Vapor

/// A payment as the live screen and the speaker receive it.
struct LiveEventDTO: Content {
    var id: String
    var transferId: String
    var stallId: String
    var amount: Int64
    var status: String
    var difference: Int64?
    var sender: String?
    var description: String
    var paymentRequestId: String?
    var receivedAt: Date
    /// The time to show: the bank's time of the transfer, else when it was received (the same
    /// time the day close and the reports use).
    var time: Date
    var announcement: String
    var isWarning: Bool
    var audioUrl: String

    /// `<milliseconds since 1970>-<transfer id>`: ordered by time, unique, and enough to replay
    /// what a reconnecting phone missed.
    static func eventID(_ event: PaymentEvent) -> String {
        "\(Int64((event.receivedAt.timeIntervalSince1970 * 1000).rounded(.down)))-\(event.transferID)"
    }

    init(_ event: PaymentEvent, reading: AmountReading) {
        let spoken = Announcement.make(
            status: TransferStatus(rawValue: event.status) ?? .walkIn, amount: event.amount, difference: event.difference,
            sender: event.counterAccountName, reading: reading)
        id = Self.eventID(event)
        transferId = event.transferID
        stallId = event.stallID
        amount = event.amount
        status = event.status
        difference = event.difference
        sender = event.counterAccountName
        description = event.description
        paymentRequestId = event.paymentRequestID
        receivedAt = event.receivedAt
        time = event.time
        // A fee reminder carries its own words (issue 15).
        let isReminder = event.status == Self.reminder
        announcement = isReminder ? event.description : spoken.text
        isWarning = isReminder || spoken.isWarning
        audioUrl = Self.audioURL(announcement)
    }

    /// The status of the board's fee reminder: an event to read aloud, not money.
    static let reminder = "reminder"

    static func audioURL(_ text: String) -> String {
        "/api/v1/speech?text=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
}

/// `GET /api/v1/stalls/{id}/events`: the stall's payments as Server-Sent Events, with event ids so
/// that a phone coming back from a dead zone gets what it missed (`Last-Event-ID`), and a comment
/// line every 15 seconds so that proxies and weak networks keep the connection open.
struct LiveEventsController: RouteCollection {
    static let heartbeat: Duration = .seconds(15)
    /// How often an open stream asks whether what opened it still holds (a revoked token or
    /// device, a disabled user, a changed password end it within this time on every process).
    static let recheck: Duration = .seconds(3)
    /// How far back a reconnection looks before its last event: commits of one moment may land in
    /// a different order than their arrival; the client drops repeats by transfer id.
    static let replayMargin: TimeInterval = 60

    func boot(routes: any RoutesBuilder) throws {
        routes.get("stalls", ":stallId", "events", use: events)
        routes.put("stalls", ":stallId", "speech", use: setReading)
    }

    struct ReadingBody: Content { var zeroTens: String?, thousand: String?, four: String? }
    struct ReadingDTO: Content {
        var zeroTens: String, thousand: String, four: String
        /// 1.005.024 đồng read this way, to hear the choice.
        var example: String

        init(_ reading: AmountReading) {
            zeroTens = reading.zeroTens.rawValue
            thousand = reading.thousand.rawValue
            four = reading.four.rawValue
            example = reading.words(1_005_024)
        }
    }

    @Sendable func setReading(req: Request) async throws -> ReadingDTO {
        let body = try req.content.decode(ReadingBody.self)
        let stall = try await req.live.setReading(stallID: req.parameters.get("stallId") ?? "", zeroTens: body.zeroTens, thousand: body.thousand, four: body.four)
        return ReadingDTO(stall.reading)
    }

    @Sendable func events(req: Request) async throws -> Response {
        let stallID = req.parameters.get("stallId") ?? ""
        let live = try req.live
        let stall = try await live.authorize(stallID: stallID)
        let lastEventID = req.headers.first(name: "Last-Event-ID") ?? req.query[String.self, at: "lastEventId"]
        let user = try req.requireUser()
        let accounts = req.accounts
        return try await Self.stream(
            req, stall: stall, missed: { try await live.replay(stallID: try stall.requireID(), after: lastEventID) },
            stillValid: { try await accounts.stillValid(user) })
    }

    /// The event stream of a stall whose access was checked: the missed events, then the live
    /// ones, read aloud the way the stall keeper chose. It subscribes before it reads what was
    /// missed, so a payment committed in between is sent (once) rather than lost.
    static func stream(
        _ req: Request, stall: StallModel, missed readMissed: () async throws -> [PaymentEvent],
        stillValid: @escaping @Sendable () async throws -> Bool
    ) async throws -> Response {
        let stream = req.application.intake.subscribe(stallID: try stall.requireID().uuidString)
        let missed = try await readMissed()
        let replayed = Set(missed.map(\.transferID))
        let reading = stall.reading
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        @Sendable func frame(_ event: PaymentEvent) -> ByteBuffer {
            let dto = LiveEventDTO(event, reading: reading)
            let json = (try? encoder.encode(dto)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return ByteBuffer(string: "id: \(dto.id)\nevent: \(dto.status == LiveEventDTO.reminder ? "reminder" : "payment")\ndata: \(json)\n\n")
        }
        let response = Response(status: .ok, headers: [
            "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no",
        ])
        // A compressor may hold an event back until its buffer fills; a payment must show at once.
        response.headers.responseCompression = .disable
        let metrics = req.application.operationalMetrics
        response.body = .init(asyncStream: { writer in
            metrics.liveStreams(1)
            defer { metrics.liveStreams(-1) }
            do {
                // Tell EventSource how soon to come back after a drop.
                try await writer.write(.buffer(ByteBuffer(string: "retry: 3000\n: ChoSo\n\n")))
                for event in missed { try await writer.write(.buffer(frame(event))) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await event in stream where !replayed.contains(event.transferID) {
                            try await writer.write(.buffer(frame(event)))
                            metrics.eventsDelivered(1)
                        }
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: Self.heartbeat)
                            try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                        }
                    }
                    let intake = req.application.intake
                    group.addTask {
                        // A database hiccup is not a revocation: only a clear "no" ends the stream.
                        // A process that has not received events for two checks ends it too: the
                        // client comes back (perhaps to another process) and replays what it missed.
                        var deafChecks = 0
                        while (try? await withDeadline(Self.recheck, stillValid)) != false, deafChecks < 2 {
                            try await Task.sleep(for: Self.recheck)
                            deafChecks = intake.receivesEvents ? 0 : deafChecks + 1
                        }
                    }
                    // Whichever ends first (the client went away, so a write failed; the
                    // credential was revoked) ends them all.
                    try await group.next()
                    group.cancelAll()
                }
                try await writer.write(.end)
            } catch {
                // The client left (or the server stops): close the stream properly.
                try? await writer.write(.error(error))
            }
        })
        return response
    }
}

/// Access and replay for the live screen.
struct LiveService {
    var database: any Database
    var user: CurrentUser?

    /// The stall, when the user may see its takings.
    func authorize(stallID: String) async throws -> StallModel {
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        guard let user else { throw AppError.unauthenticated }
        let decision = try await RegistryService(database: database, user: user).salesDecision(.read, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        return stall
    }

    /// The keeper's choice of lẻ/linh, ngàn/nghìn, tư/bốn for the stall's announcements.
    func setReading(stallID: String, zeroTens: String?, thousand: String?, four: String?) async throws -> StallModel {
        guard let user else { throw AppError.unauthenticated }
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        let decision = try await RegistryService(database: database, user: user).salesDecision(.create, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        func pick<T: RawRepresentable<String>>(_ raw: String?, _ aliases: [String: T], field: String) throws -> T? {
            // Absent or null leaves the choice as it is; an empty string is not a choice (Schemathesis
            // found it accepted as "unchanged" though the schema's enum does not list it).
            guard let raw else { return nil }
            guard let value = aliases[TextNormalization.asciiFolded(raw).lowercased()] else {
                throw AppError.invalid(ValidationFailure(FieldError(
                    field: field, code: "bad_choice",
                    message: LocalizedText(vi: "Chọn một trong: \(Set(aliases.values.map(\.rawValue)).sorted().joined(separator: ", "))", en: "Choose one of: \(Set(aliases.values.map(\.rawValue)).sorted().joined(separator: ", "))"))))
            }
            return value
        }
        let zero = try pick(zeroTens, ["le": AmountReading.ZeroTens.le, "linh": .linh], field: "zeroTens")
        let thousands = try pick(thousand, ["ngan": AmountReading.Thousand.ngan, "nghin": .nghin], field: "thousand")
        let fours = try pick(four, ["tu": AmountReading.Four.tu, "bon": .bon], field: "four")
        if let zero { stall.speechZeroTens = zero.rawValue }
        if let thousands { stall.speechThousand = thousands.rawValue }
        if let fours { stall.speechFour = fours.rawValue }
        try await stall.save(on: database)
        return stall
    }

    /// The payments after `lastEventID`, minus a margin; nothing when there is no id.
    func replay(stallID uuid: UUID, after lastEventID: String?) async throws -> [PaymentEvent] {
        guard let lastEventID, let milliseconds = lastEventID.split(separator: "-").first.flatMap({ Int64($0) }) else { return [] }
        let since = Date(timeIntervalSince1970: Double(milliseconds) / 1000 - LiveEventsController.replayMargin)
        return try await TransferModel.query(on: database)
            .filter(\.$stallID == uuid).filter(\.$receivedAt >= since)
            .filter(\.$status != TransferStatus.outgoing.rawValue)
            .sort(\.$receivedAt).limit(1_000).all()
            .map(PaymentEvent.init)
            .filter { LiveEventDTO.eventID($0) != lastEventID }
    }
}

extension Request {
    var live: LiveService {
        get throws { LiveService(database: db, user: try requireUser()) }
    }
}
