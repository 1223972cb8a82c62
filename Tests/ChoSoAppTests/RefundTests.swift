import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Money owed back is not takings (issue 12.9).
@Suite struct RefundTests {
    static func send(_ app: Application, _ path: String, id: String, amount: Int64, direction: IncomingTransfer.Direction, description: String) async throws {
        let transfer = IncomingTransfer(provider: "generic", providerTransactionID: id, accountNumber: "1234567890123", amount: amount,
                                        direction: direction, description: description, counterAccountNumber: "0011223344")
        let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
        let sent = try await IntakeTests.send(app, path, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: IntakeTests.genericSecret, timeZone: app.choSoConfig.timeZone))
        #expect(sent.status == .ok, "\(sent.text)")
    }

    @Test func aPaymentMadeTwiceIsRefundDueApartFromTakingsAndClosesWhenTheMoneyGoesBack() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let bank = try await IntakeTests.connect(app, f, provider: "generic", secret: IntakeTests.genericSecret)
            let made = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":200000}"#)
            let code = try #require((try made.json() as? [String: Any])?["code"] as? String)
            try await Self.send(app, bank.path, id: "p1", amount: 200_000, direction: .incoming, description: code)
            try await Self.send(app, bank.path, id: "p2", amount: 200_000, direction: .incoming, description: code)
            let twice = try #require(try await TransferModel.query(on: app.db).filter(\.$status == "duplicate_payment").first())
            let marked = try await app.api(.POST, "/api/v1/transfers/\(try twice.requireID())/refund", token: f.tokens["managerA"], json: #"{"note":"khach chuyen 2 lan"}"#)
            #expect(marked.status == .ok)

            func summary() async throws -> [String: Any] {
                try #require(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/summary", token: f.tokens["merchantA1"]).json() as? [String: Any])
            }
            let before = try await summary()
            #expect((before["transfers"] as? [String: Any])?["amount"] as? Int == 200_000, "\(before)")
            let keeper = Browser(app)
            try await keeper.login("merchanta1")
            let close = try await keeper.get("/stalls/\(f.stallA1)/close")
            #expect(close.text.contains("Cần hoàn lại khách (không tính vào thu)"))
            let refunds = try #require(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/refunds", token: f.tokens["managerA"]).json() as? [[String: Any]])
            #expect(refunds.count == 1)
            #expect(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/refunds", token: f.tokens["merchantA1"]).json() as? [[String: Any]] != nil)
            #expect(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/refunds", token: f.tokens["managerB"]).status == .notFound)

            // An unrelated payment out of the account closes nothing; the refund's amount does.
            try await Self.send(app, bank.path, id: "o1", amount: 35_000, direction: .outgoing, description: "tra tien hang")
            #expect(try await TransferModel.find(twice.requireID(), on: app.db)?.resolution == "refund_due")
            try await Self.send(app, bank.path, id: "o2", amount: 200_000, direction: .outgoing, description: "hoan tien khach")
            #expect(try await TransferModel.find(twice.requireID(), on: app.db)?.resolution == "refunded")
            let after = try #require(try await app.api(.GET, "/api/v1/markets/\(f.marketA)/refunds", token: f.tokens["managerA"]).json() as? [[String: Any]])
            #expect(after.isEmpty)
            #expect((try await summary()["transfers"] as? [String: Any])?["amount"] as? Int == 200_000)
            #expect(try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone).isEmpty)
        }
    }

    /// A statement closes its refunds from one reading of what is owed (issue 19): each outgoing
    /// row closes its own refund, the oldest first, and never one another row already closed.
    @Test func oneStatementPayingBackTwoRefundsOfTheSameAmountClosesBoth() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let bank = try await IntakeTests.connect(app, f, provider: "generic", secret: IntakeTests.genericSecret)
            let made = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":200000}"#)
            let code = try #require((try made.json() as? [String: Any])?["code"] as? String)
            for id in ["p1", "p2", "p3"] {
                try await Self.send(app, bank.path, id: id, amount: 200_000, direction: .incoming, description: code)
            }
            let twice = try await TransferModel.query(on: app.db).filter(\.$status == "duplicate_payment").sort(\.$receivedAt).all()
            #expect(twice.count == 2)
            for transfer in twice {
                let marked = try await app.api(.POST, "/api/v1/transfers/\(try transfer.requireID())/refund", token: f.tokens["managerA"], json: #"{"note":"chuyen thua"}"#)
                #expect(marked.status == .ok)
            }
            let csv = """
            time,amount,description,reference,counterAccountName
            25/11/2026 17:00:00,-200.000,hoan tien khach,FTOUT1,
            25/11/2026 17:05:00,-200.000,hoan tien khach,FTOUT2,
            25/11/2026 17:10:00,-200.000,tra tien hang,FTOUT3,
            """
            let service = StatementImportService(database: app.db, user: nil, config: app.choSoConfig, intake: app.intake)
            let report = try await service.importStatement(accountID: "1234567890123", bytes: Array(csv.utf8), format: .csv, layout: "generic", dryRun: false)
            #expect(report.statuses == ["outgoing": 3])
            for transfer in twice {
                let now = try #require(try await TransferModel.find(transfer.requireID(), on: app.db))
                #expect(now.resolution == "refunded")
            }
            let notes = try await TransferModel.query(on: app.db).filter(\.$resolution == "refunded").all().compactMap(\.resolutionNote)
            #expect(notes.contains { $0.contains("FTOUT1") } && notes.contains { $0.contains("FTOUT2") }, "\(notes)")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "transfer.refunded").count() == 2)
            #expect(try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone).isEmpty)
        }
    }

    @Test func anOverPaymentKeepsWhatWasAskedAndOwesTheExcess() async throws {
        try await withTestApp { app in
            let f = try await Fixture.make(app)
            let bank = try await IntakeTests.connect(app, f, provider: "generic", secret: IntakeTests.genericSecret)
            let made = try await app.api(.POST, "/api/v1/stalls/\(f.stallA1)/payment-requests", token: f.tokens["merchantA1"], json: #"{"amount":200000}"#)
            let code = try #require((try made.json() as? [String: Any])?["code"] as? String)
            try await Self.send(app, bank.path, id: "p1", amount: 250_000, direction: .incoming, description: code)
            let over = try #require(try await TransferModel.query(on: app.db).first())
            _ = try await app.api(.POST, "/api/v1/transfers/\(try over.requireID())/refund", token: f.tokens["managerA"])
            let summary = try #require(try await app.api(.GET, "/api/v1/stalls/\(f.stallA1)/summary", token: f.tokens["merchantA1"]).json() as? [String: Any])
            #expect((summary["transfers"] as? [String: Any])?["amount"] as? Int == 200_000, "\(summary)")
            #expect((summary["refundDue"] as? [String: Any])?["amount"] as? Int == 50_000, "\(summary)")
            // Given back in cash: recorded by hand, audited.
            let byHand = try await app.api(.POST, "/api/v1/transfers/\(try over.requireID())/refunded", token: f.tokens["managerA"], json: #"{"note":"tra tien mat"}"#)
            #expect(byHand.status == .ok)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "transfer.refunded").count() == 1)
            #expect(try await app.api(.POST, "/api/v1/transfers/\(try over.requireID())/refunded", token: f.tokens["managerA"]).status == .conflict)
            #expect(try await RollupStore.differences(on: app.db, timeZone: app.choSoConfig.timeZone).isEmpty)
        }
    }
}
