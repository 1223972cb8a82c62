import ChoSoCore
import Crypto
import Fluent
import FluentSQL
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Webhook connections and the webhook endpoint, end to end over HTTP on the real database.
@Suite struct IntakeTests {
    static func sample(_ name: String) -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ChoSoCoreTests/Fixtures/webhooks/\(name)")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// Creates a connection as market A's manager and returns (id, path, generated secret).
    static func connect(
        _ app: Application, _ fixture: Fixture, provider: String, auth: String? = nil, secret: String? = nil
    ) async throws -> (id: String, path: String, secret: String?) {
        var body: [String: String] = ["provider": provider, "marketId": fixture.marketA]
        body["auth"] = auth
        body["secret"] = secret
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let response = try await app.api(.POST, "/api/v1/connections", token: fixture.tokens["managerA"], json: json)
        #expect(response.status == .created, "\(response.text)")
        let object = try #require(try response.json() as? [String: Any])
        let id = try #require(object["id"] as? String)
        let url = try #require(object["webhookUrl"] as? String)
        #expect(url.hasSuffix("/hooks/\(provider)/\(id.lowercased())"))
        return (id, String(url[url.range(of: "/hooks/")!.lowerBound...]), object["secret"] as? String)
    }

    static func counts(_ app: Application) async throws -> (transfers: Int, deliveries: Int) {
        (try await TransferModel.query(on: app.db).count(), try await WebhookDeliveryModel.query(on: app.db).count())
    }

    @Test func connectionsAreTheMarketBoardsAndTheirSecretsAreNotKeptInTheClear() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let sepay = try await Self.connect(app, fixture, provider: "sepay", auth: "api_key", secret: "sample-sepay-api-key-0001")
            #expect(sepay.secret == nil, "a secret the user gave is not echoed")
            let generic = try await Self.connect(app, fixture, provider: "generic")
            #expect(generic.secret?.count == 64, "ChoSo makes one and shows it once")
            let casso = try await Self.connect(app, fixture, provider: "casso", auth: "v2", secret: "sample-casso-checksum-key-0001")

            let stored = try await WebhookConnectionModel.query(on: app.db).all()
            let dump = stored.map { [$0.secretHash, $0.secretSealed, $0.secretHint].compactMap { $0 }.joined(separator: " ") }.joined(separator: " ")
            for secret in ["sample-sepay-api-key-0001", generic.secret!, "sample-casso-checksum-key-0001"] {
                #expect(!dump.contains(secret))
            }
            let shown = try await app.api(.GET, "/api/v1/connections/\(casso.id)", token: fixture.tokens["managerA"])
            #expect(shown.status == .ok)
            #expect(!shown.text.contains("sample-casso-checksum-key-0001"))
            #expect(shown.text.contains("\"secretHint\":\"…0001\""))

            // Nobody outside market A's board learns the connection exists.
            for name in ["managerB", "merchantA1", "officer", "teamMember"] {
                let other = try await app.api(.GET, "/api/v1/connections/\(casso.id)", token: fixture.tokens[name])
                #expect(other.status == .notFound, "\(name)")
                let listed = try await app.api(.GET, "/api/v1/connections", token: fixture.tokens[name])
                #expect(listed.text == "[]", "\(name)")
                let made = try await app.api(.POST, "/api/v1/connections", token: fixture.tokens[name],
                                             json: #"{"provider":"generic","marketId":"\#(fixture.marketA)"}"#)
                #expect(made.status == .notFound, "\(name)")
            }
            let list = try await app.api(.GET, "/api/v1/connections?marketId=\(fixture.marketA)", token: fixture.tokens["managerA"])
            #expect((try list.json() as? [Any])?.count == 3)

            // Bad input gets a specific error and changes nothing.
            let before = try await WebhookConnectionModel.query(on: app.db).count()
            let unknown = try await app.api(.POST, "/api/v1/connections", token: fixture.tokens["managerA"],
                                            json: #"{"provider":"momo","marketId":"\#(fixture.marketA)"}"#)
            #expect(unknown.fieldCodes()["provider"] == "unknown_provider")
            let badAuth = try await app.api(.POST, "/api/v1/connections", token: fixture.tokens["managerA"],
                                            json: #"{"provider":"payos","auth":"api_key","marketId":"\#(fixture.marketA)"}"#)
            #expect(badAuth.fieldCodes()["auth"] == "bad_auth")
            let noKey = try await app.api(.POST, "/api/v1/connections", token: fixture.tokens["managerA"],
                                          json: #"{"provider":"casso","marketId":"\#(fixture.marketA)"}"#)
            #expect(noKey.fieldCodes()["secret"] == "secret_required")
            let vi = try await app.api(.POST, "/api/v1/connections", token: fixture.tokens["managerA"],
                                       json: #"{"provider":"generic","secret":"khoá có dấu","marketId":"\#(fixture.marketA)"}"#)
            #expect(vi.fieldCodes()["secret"] == "bad_secret")
            #expect(try await WebhookConnectionModel.query(on: app.db).count() == before)

            // Rotating makes the old secret useless at once; deleting ends the URL.
            let transfer = IncomingTransfer(provider: "generic", providerTransactionID: "g-1", accountNumber: "1234567890123",
                                            amount: 10_000, direction: .incoming, description: "mua trai cay")
            let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
            let old = WebhookDeliveryBuilder.make(transfer, kind: kind, secret: generic.secret!, timeZone: Self.vietnam)
            let rotated = try await app.api(.POST, "/api/v1/connections/\(generic.id)/rotate", token: fixture.tokens["managerA"])
            let newSecret = try #require((try rotated.json() as? [String: Any])?["secret"] as? String)
            #expect(newSecret != generic.secret)
            #expect(try await Self.send(app, generic.path, old).status == .unauthorized)
            let fresh = WebhookDeliveryBuilder.make(transfer, kind: kind, secret: newSecret, timeZone: Self.vietnam)
            #expect(try await Self.send(app, generic.path, fresh).status == .ok)
            #expect(try await app.api(.DELETE, "/api/v1/connections/\(generic.id)", token: fixture.tokens["managerB"]).status == .notFound)
            #expect(try await app.api(.DELETE, "/api/v1/connections/\(generic.id)", token: fixture.tokens["managerA"]).status == .noContent)
            #expect(try await Self.send(app, generic.path, fresh).status == .notFound)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$subjectType == "webhook_connection").all().map(\.action)
            #expect(Set(audit) == ["connection.create", "connection.rotate", "connection.delete"])
        }
    }

    /// Up to `count` events, or fewer if they stop coming for 5 seconds.
    static func collect(_ count: Int, from stream: AsyncStream<PaymentEvent>) async throws -> [PaymentEvent] {
        try await withThrowingTaskGroup(of: [PaymentEvent].self) { group in
            group.addTask {
                var events: [PaymentEvent] = []
                for await event in stream {
                    events.append(event)
                    if events.count == count { break }
                }
                return events
            }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                return []
            }
            let first = try await group.next() ?? []
            group.cancelAll()
            return first
        }
    }

    /// A customer's bank transfer reported through a generic connection (`connect(…, provider:
    /// "generic", secret: genericSecret)`), by default into stall A1's account.
    static let genericSecret = "generic-secret-0001"

    @discardableResult
    static func transfer(
        _ app: Application, _ connectionPath: String, id: String, amount: Int64, description: String, account: String = "1234567890123"
    ) async throws -> TestingHTTPResponse {
        let transfer = IncomingTransfer(provider: "generic", providerTransactionID: id, accountNumber: account, amount: amount,
                                        direction: .incoming, description: description)
        let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
        let response = try await send(app, connectionPath, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: genericSecret, timeZone: app.choSoConfig.timeZone))
        #expect(response.status == .ok, "\(response.body.string)")
        return response
    }

    static func send(_ app: Application, _ path: String, _ delivery: SignedDelivery) async throws -> TestingHTTPResponse {
        try await send(app, path, body: String(decoding: delivery.body, as: UTF8.self), headers: delivery.headers.map { ($0.name, $0.value) })
    }

    static func send(_ app: Application, _ path: String, body: String, headers: [(String, String)]) async throws -> TestingHTTPResponse {
        var all = HTTPHeaders(headers)
        if all.first(name: .contentType) == nil { all.add(name: .contentType, value: "application/json") }
        return try await app.testing().sendRequest(.POST, path, headers: all, body: ByteBuffer(string: body))
    }

    @Test func everySampleBodyWithItsDocumentedAuthIsStoredOnceAndAWrongSignatureNowhere() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let apiKey = try await Self.connect(app, fixture, provider: "sepay", auth: "api_key", secret: "sample-sepay-api-key-0001")
            let hmac = try await Self.connect(app, fixture, provider: "sepay", auth: "hmac", secret: "sample-sepay-webhook-secret-0001")
            let cassoV2 = try await Self.connect(app, fixture, provider: "casso", auth: "v2", secret: "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs")
            let legacy = try await Self.connect(app, fixture, provider: "casso", auth: "secure_token", secret: "sample-casso-secure-token-0001")
            let payos = try await Self.connect(app, fixture, provider: "payos", secret: "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675")

            struct Case { var path: String; var file: String; var headers: [(String, String)]; var signedAt: Date?; var stored: Int }
            let cases = [
                Case(path: apiKey.path, file: "sepay-1.json", headers: [("Authorization", "Apikey sample-sepay-api-key-0001")], signedAt: nil, stored: 1),
                Case(path: hmac.path, file: "sepay-1.json", headers: [
                    ("X-SePay-Timestamp", "1700000000"),
                    ("X-SePay-Signature", "sha256=bc71314811a4ea0fe6175671d2ec929c12cf06b4f89f352f7eeb632bd8a9756b")],
                     signedAt: Date(timeIntervalSince1970: 1_700_000_000), stored: 1),
                Case(path: hmac.path, file: "sepay-2.json", headers: [
                    ("X-SePay-Timestamp", "1700000000"),
                    ("X-SePay-Signature", "sha256=ef532af55350bf54811ae949e5418d0156a5920de5c47f938effd508aa438bfd")],
                     signedAt: Date(timeIntervalSince1970: 1_700_000_000), stored: 1),
                Case(path: cassoV2.path, file: "casso-1.json", headers: [
                    ("X-Casso-Signature", "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3")],
                     signedAt: Date(timeIntervalSince1970: 1_727_948_258), stored: 1),
                Case(path: legacy.path, file: "casso-2.json", headers: [("Secure-Token", "sample-casso-secure-token-0001")], signedAt: nil, stored: 1),
                // payOS's samples are its registration test (documented demo values): 200, nothing stored.
                Case(path: payos.path, file: "payos-1.json", headers: [], signedAt: nil, stored: 0),
            ]
            for sample in cases {
                app.intake.freezeClock(at: sample.signedAt)
                let before = try await Self.counts(app)
                for attempt in 1...5 {
                    let response = try await Self.send(app, sample.path, body: Self.sample(sample.file), headers: sample.headers)
                    #expect(response.status == .ok, "\(sample.file) attempt \(attempt): \(response.text)")
                    #expect(response.text.contains("\"success\":true"))
                }
                let after = try await Self.counts(app)
                #expect(after.transfers - before.transfers == sample.stored, "\(sample.file)")
                #expect(after.deliveries - before.deliveries == sample.stored, "\(sample.file)")

                // One character of the signature or key changed: 401, and nothing more stored.
                var wrong = sample.headers
                if wrong.isEmpty {
                    let tampered = Self.sample(sample.file).replacingOccurrences(of: "412e915d", with: "412e915e")
                    #expect(try await Self.send(app, sample.path, body: tampered, headers: []).status == .unauthorized)
                } else {
                    wrong[wrong.count - 1].1 = String(wrong[wrong.count - 1].1.dropLast()) + (wrong[wrong.count - 1].1.hasSuffix("0") ? "1" : "0")
                    let refused = try await Self.send(app, sample.path, body: Self.sample(sample.file), headers: wrong)
                    #expect(refused.status == .unauthorized, "\(sample.file)")
                    #expect(refused.errorCode() == "bad_signature")
                }
                #expect(try await Self.counts(app) == after)
            }
            app.intake.freezeClock(at: nil)
            // payos-2's signature was made with an unpublished key: the documented key refuses it.
            let before = try await Self.counts(app)
            #expect(try await Self.send(app, payos.path, body: Self.sample("payos-2.json"), headers: []).status == .unauthorized)
            #expect(try await Self.counts(app) == before)

            // What was stored, as the provider said it.
            let sepayIn = try #require(try await TransferModel.query(on: app.db).filter(\.$connectionID == UUID(uuidString: apiKey.id)).first())
            #expect(sepayIn.amount == 2_277_000)
            #expect(sepayIn.direction == "in")
            #expect(sepayIn.description == "chuyen tien mua iphone")
            #expect(sepayIn.reference == "MBVCB.3278907687")
            #expect(sepayIn.status == "unmatched", "0123499999 is no stall's account")
            #expect(sepayIn.bankTime == ISO8601DateFormatter().date(from: "2023-03-25T14:02:37+07:00"))
            #expect(sepayIn.businessDay == "2023-03-25")
            let raw = try #require(try await WebhookDeliveryModel.find(sepayIn.deliveryID, on: app.db))
            #expect(raw.rawBody == Self.sample("sepay-1.json"))
            let out = try #require(try await TransferModel.query(on: app.db).filter(\.$direction == "out").first())
            #expect(out.status == "outgoing")

            // A body that is signed correctly but is not a transfer: 400 with the reason.
            let generic = try await Self.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            let t = String(Int(Date().timeIntervalSince1970))
            let junk = #"{"id":"x","direction":"sideways"}"#
            let signature = WebhookSignaturesForTests.hmac(t + "." + junk, key: "generic-secret-0001")
            let bad = try await Self.send(app, generic.path, body: junk, headers: [("X-ChoSo-Signature", "t=\(t),v1=\(signature)")])
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode() == "bad_webhook_body")
            #expect(bad.text.contains("direction must be in or out"))
            // Unknown connection, or the right id under another provider's path.
            #expect(try await Self.send(app, "/hooks/generic/\(UUID().uuidString)", body: junk, headers: []).status == .notFound)
            #expect(try await Self.send(app, generic.path.replacingOccurrences(of: "/generic/", with: "/sepay/"), body: junk, headers: []).status == .notFound)
        }
    }

    @Test func theTwoHundredDongScamIsUnderPaidAndTheSumDecides() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let generic = try await Self.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            let made = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/payment-requests", token: fixture.tokens["merchantA1"],
                                         json: #"{"amount":200000}"#)
            let request = try #require(try made.json() as? [String: Any])
            let code = try #require(request["code"] as? String)
            let requestID = try #require(request["id"] as? String)
            let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
            func pay(_ id: String, _ amount: Int64, _ description: String) async throws {
                let transfer = IncomingTransfer(provider: "generic", providerTransactionID: id, accountNumber: "1234567890123", bin: "970405",
                                                amount: amount, direction: .incoming, description: description, counterAccountName: "NGUYEN VAN A")
                let response = try await Self.send(app, generic.path, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: "generic-secret-0001", timeZone: Self.vietnam))
                #expect(response.status == .ok, "\(response.text)")
            }
            try await pay("t-1", 200, "MBVCB.3278907687.\(code).CT tu 0123 NGUYEN VAN A")
            var state = try await app.api(.GET, "/api/v1/payment-requests/\(requestID)", token: fixture.tokens["merchantA1"])
            #expect((try state.json() as? [String: Any])?["status"] as? String == "underpaid")
            #expect((try state.json() as? [String: Any])?["receivedAmount"] as? Int == 200)

            try await pay("t-2", 199_800, "\(code.lowercased().prefix(5)) \(code.lowercased().dropFirst(5)) con lai")
            state = try await app.api(.GET, "/api/v1/payment-requests/\(requestID)", token: fixture.tokens["merchantA1"])
            #expect((try state.json() as? [String: Any])?["status"] as? String == "paid")
            try await pay("t-3", 200_000, "IBFT \(code)")
            try await pay("t-4", 35_000, "mua chuoi")

            let listed = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/transfers", token: fixture.tokens["merchantA1"])
            #expect(listed.status == .ok)
            let transfers = try #require(try listed.json() as? [[String: Any]])
            #expect(transfers.map { $0["status"] as? String } == ["underpaid", "paid", "duplicate_payment", "walk_in"])
            #expect(transfers[0]["difference"] as? Int == 199_800)
            #expect(transfers[0]["paymentRequestId"] as? String == requestID)
            #expect((transfers[0]["reason"] as? String)?.contains("còn thiếu 199.800 đ") == true)
            #expect(transfers[3]["paymentRequestId"] == nil)

            // Another stall's keeper, or a made-up stall, get the same 404.
            let other = try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/transfers", token: fixture.tokens["merchantB1"])
            let missing = try await app.api(.GET, "/api/v1/stalls/\(UUID().uuidString)/transfers", token: fixture.tokens["merchantB1"])
            #expect(other.status == .notFound)
            #expect(other.text == missing.text)
            #expect(try await app.api(.GET, "/api/v1/stalls/\(fixture.stallA1)/transfers?date=2024-13-01", token: fixture.tokens["merchantA1"]).errorCode() == "bad_date")
        }
    }

    @Test func concurrentDeliveriesAreGroupedAndEachStoredOnce() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let generic = try await Self.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
            let stream = app.intake.subscribe(stallID: fixture.stallA1)
            if let listener = app.paymentEventListener {
                for _ in 0..<100 where !listener.isListening { try await Task.sleep(for: .milliseconds(50)) }
                #expect(listener.isListening)
            }
            // 60 distinct transfers, each sent twice, all at once.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<120 {
                    group.addTask {
                        let transfer = IncomingTransfer(provider: "generic", providerTransactionID: "burst-\(index % 60)", accountNumber: "1234567890123",
                                                        amount: 1_000 + Int64(index % 60), direction: .incoming, description: "khach mua")
                        return try await Self.send(app, generic.path, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: "generic-secret-0001", timeZone: Self.vietnam)).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok })
            #expect(try await Self.counts(app).transfers == 60)
            // Every stored credit reached the stall's subscribers, once.
            let seen = try await Self.collect(60, from: stream)
            #expect(seen.count == 60)
            #expect(Set(seen.map(\.transferID)).count == 60)
            #expect(try await TransferModel.query(on: app.db).all(\.$amount).reduce(0, +) == Int64((0..<60).reduce(0) { $0 + 1_000 + $1 }))
        }
    }

    @Test func theConnectionTestChecksTheRealPathAndStoresNothing() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let hmac = try await Self.connect(app, fixture, provider: "sepay", auth: "hmac", secret: "sample-sepay-webhook-secret-0001")
            let tested = try await app.api(.POST, "/api/v1/connections/\(hmac.id)/test", token: fixture.tokens["managerA"])
            #expect(tested.status == .ok, "\(tested.text)")
            let result = try #require(try tested.json() as? [String: Any])
            #expect(result["accountNumber"] as? String == "1234567890123")
            #expect(result["status"] as? String == "walk_in")
            let apiKey = try await Self.connect(app, fixture, provider: "sepay", auth: "api_key", secret: "sample-sepay-api-key-0001")
            let needsKey = try await app.api(.POST, "/api/v1/connections/\(apiKey.id)/test", token: fixture.tokens["managerA"])
            #expect(needsKey.fieldCodes()["secret"] == "secret_required")
            let wrongKey = try await app.api(.POST, "/api/v1/connections/\(apiKey.id)/test", token: fixture.tokens["managerA"], json: #"{"secret":"not-the-key-0001"}"#)
            #expect(wrongKey.status == .unauthorized)
            let rightKey = try await app.api(.POST, "/api/v1/connections/\(apiKey.id)/test", token: fixture.tokens["managerA"], json: #"{"secret":"sample-sepay-api-key-0001"}"#)
            #expect(rightKey.status == .ok)
            #expect(try await Self.counts(app) == (0, 0))
        }
    }
}

enum WebhookSignaturesForTests {
    static func hmac(_ message: String, key: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}
