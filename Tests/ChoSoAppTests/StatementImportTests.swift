import ChoSoCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import ChoSoApp

/// A statement reconciled against webhooks already received: known rows are not doubled, missed
/// ones are stored and matched, conflicts are reported, bad files change nothing.
@Suite struct StatementImportTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    @Test func aStatementFindsTheMissedWebhooksAndNothingIsCountedTwice() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let connection = try await IntakeTests.connect(app, fixture, provider: "generic", secret: "generic-secret-0001")
            let kind = WebhookConnectionKind(provider: "generic", auth: nil)!
            let morning = BankTime.parseLocal("25/11/2026 08:00:00", timeZone: Self.vietnam)!
            for (id, amount, reference, minutes) in [("w1", Int64(200_000), "FT24331AAA", 0.0), ("w2", 35_000, nil, 60), ("w3", 90_000, "FT999", 120)] {
                let transfer = IncomingTransfer(provider: "generic", providerTransactionID: id, accountNumber: "1234567890123", amount: amount,
                                                direction: .incoming, description: "khach chuyen", reference: reference,
                                                bankTime: morning.addingTimeInterval(minutes * 60))
                let sent = try await IntakeTests.send(app, connection.path, WebhookDeliveryBuilder.make(transfer, kind: kind, secret: "generic-secret-0001", timeZone: Self.vietnam))
                #expect(sent.status == .ok)
            }
            let made = try await app.api(.POST, "/api/v1/stalls/\(fixture.stallA1)/payment-requests", token: fixture.tokens["merchantA1"], json: #"{"amount":50000}"#)
            let code = try #require((try made.json() as? [String: Any])?["code"] as? String)

            let csv = """
            time,amount,description,reference,counterAccountName
            25/11/2026 08:00:40,"200.000",IBFT khach chuyen,FT24331AAA,
            25/11/2026 09:02:00,+35000,khach chuyen,,
            25/11/2026 09:30:00,50.000,MBVCB.1.\(code).CT tu NGUYEN VAN A,FT555,NGUYEN VAN A
            25/11/2026 10:00:00,"95,000",khach chuyen,FT999,
            25/11/2026 11:00:00,-20.000,rut tien,,
            """
            let service = StatementImportService(database: app.db, user: nil, config: app.choSoConfig, intake: app.intake)
            let account = try #require(try await ReceivingAccountModel.query(on: app.db).filter(\.$accountNumber == "1234567890123").first())
            let accountID = try account.requireID().uuidString

            let dry = try await service.importStatement(accountID: accountID, bytes: Array(csv.utf8), format: .auto, layout: nil, dryRun: true)
            #expect((dry.rows, dry.known, dry.newCount, dry.conflicts.count) == (5, 2, 2, 1))
            #expect(try await TransferModel.query(on: app.db).count() == 3, "a dry run stores nothing")

            let report = try await service.importStatement(accountID: "1234567890123", bytes: Array(csv.utf8), format: .csv, layout: "generic", dryRun: false)
            #expect((report.known, report.newCount, report.conflicts.count) == (2, 2, 1))
            #expect(report.statuses == ["paid": 1, "outgoing": 1])
            #expect(report.conflicts[0].vi.contains("FT999"))
            #expect(try await TransferModel.query(on: app.db).count() == 5)
            let request = try #require(try await PaymentRequestModel.query(on: app.db).filter(\.$code == code).first())
            #expect(request.status == "paid", "the missed webhook's payment reached its request")
            let fromStatement = try await TransferModel.query(on: app.db).filter(\.$source == "statement").all()
            #expect(fromStatement.allSatisfy { $0.stallID?.uuidString == fixture.stallA1 && $0.connectionID == nil && $0.deliveryID == nil })

            // The same file again: everything is known now.
            let again = try await service.importStatement(accountID: accountID, bytes: Array(csv.utf8), format: .auto, layout: nil, dryRun: false)
            #expect((again.known, again.newCount) == (4, 0))
            #expect(try await TransferModel.query(on: app.db).count() == 5)

            // One bad row: nothing is imported, every bad row is named.
            let bad = csv + "\n26/11/2026 07:00:00,10.000,ok,FT1\n26/11/2026 07:05:00,mười nghìn,bad,FT2\n31/11/2026 07:00:00,5.000,bad,FT3\n"
            do {
                _ = try await service.importStatement(accountID: accountID, bytes: Array(bad.utf8), format: .auto, layout: nil, dryRun: false)
                Issue.record("a file with bad rows must be refused")
            } catch let failure as StatementImportService.ImportFailure {
                #expect(failure.rowErrors.map(\.line) == [8, 9])
            }
            #expect(try await TransferModel.query(on: app.db).count() == 5)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "statement.import").all()
            #expect(audit.count == 1, "one import stored something; the repeat and the refused file did not")
        }
    }
    /// A screen shows and speaks today's takings: a statement's rows of other days are stored,
    /// matched and counted in the reports, but not announced (issue 19: a month's statement
    /// swelled the screen's total and held tens of thousands of events in memory).
    @Test func aStatementAnnouncesOnlyTodaysMissedPayments() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            let heard = app.intake.subscribe(stallID: fixture.stallA1)
            if let listener = app.paymentEventListener {
                for _ in 0..<100 where !listener.isListening { try await Task.sleep(for: .milliseconds(50)) }
            }
            let now = BankTime.formatLocal(Date().addingTimeInterval(-60), timeZone: Self.vietnam)
            let csv = """
            time,amount,description,reference,counterAccountName
            25/11/2026 08:00:00,120.000,khach chuyen hom truoc,FTOLD1,
            \(now),75.000,khach chuyen sang nay,FTTODAY1,
            """
            let service = StatementImportService(database: app.db, user: nil, config: app.choSoConfig, intake: app.intake)
            let report = try await service.importStatement(accountID: "1234567890123", bytes: Array(csv.utf8), format: .csv, layout: "generic", dryRun: false)
            #expect(report.newCount == 2)
            #expect(try await TransferModel.query(on: app.db).filter(\.$source == "statement").count() == 2, "both stored")
            // The file's older row comes first and events go out in order (on PostgreSQL through
            // NOTIFY, so they arrive later): had it been announced, it would be heard first.
            let first = try await IntakeTests.collect(1, from: heard)
            #expect(first.map(\.amount) == [75_000], "\(first)")
        }
    }
}
