import ChoSoCore
import Foundation
import Vapor

struct ConnectionDTO: Content {
    var id: String
    var marketId: String
    var provider: String
    var auth: String
    var label: String?
    var webhookUrl: String
    /// The last characters of the secret, so a person can tell which key is set.
    var secretHint: String
    /// Only in the answer that made the secret.
    var secret: String?
    var createdAt: Date
    var rotatedAt: Date?

    init(_ connection: WebhookConnectionModel, webhookURL: String, secret: String? = nil) throws {
        id = try connection.requireID().uuidString
        marketId = connection.$market.id.uuidString
        provider = connection.provider
        auth = connection.auth
        label = connection.label
        webhookUrl = webhookURL
        secretHint = connection.secretHint
        self.secret = secret
        createdAt = connection.createdAt
        rotatedAt = connection.rotatedAt
    }
}

struct ConnectionTestDTO: Content {
    var ok: Bool
    var accountNumber: String
    var amount: Int64
    var status: String
    var reason: String

    init(_ result: ConnectionService.TestResult, language: Language) {
        ok = true
        accountNumber = result.transfer.accountNumber
        amount = result.transfer.amount
        status = result.decision.status.rawValue
        reason = result.decision.reason.text(in: language)
    }
}

/// A transfer as clients see it (DESIGN.md §6).
struct TransferDTO: Content {
    var id: String
    var stallId: String?
    var amount: Int64
    var direction: String
    var description: String
    var reference: String?
    var counterAccountName: String?
    var accountNumber: String
    var bankTime: Date?
    var receivedAt: Date
    /// The time shown for it everywhere: `bankTime`, else `receivedAt`.
    var time: Date
    var status: String
    var paymentRequestId: String?
    /// Still owed (under-paid) or to refund (over-paid, duplicate), in đồng.
    var difference: Int64?
    var reason: String
    var resolution: String?
    var provider: String
    var source: String
    /// What the stall's speaker says for it (DESIGN.md §5: the full amount, or the warning).
    var announcement: String
    var isWarning: Bool
    var audioUrl: String

    init(_ transfer: TransferModel, language: Language, reading: AmountReading = .south) throws {
        id = try transfer.requireID().uuidString
        stallId = transfer.stallID?.uuidString
        amount = transfer.amount
        direction = transfer.direction
        description = transfer.description
        reference = transfer.reference
        counterAccountName = transfer.counterAccountName
        accountNumber = transfer.accountNumber
        bankTime = transfer.bankTime
        receivedAt = transfer.receivedAt
        time = transfer.effectiveTime
        status = transfer.status
        paymentRequestId = transfer.paymentRequestID?.uuidString
        difference = transfer.difference
        reason = transfer.reason.text(in: language)
        resolution = transfer.resolution
        provider = transfer.provider
        source = transfer.source
        let spoken = Announcement.make(
            status: TransferStatus(rawValue: transfer.status) ?? .walkIn, amount: transfer.amount, difference: transfer.difference,
            sender: transfer.counterAccountName, reading: reading)
        announcement = spoken.text
        isWarning = spoken.isWarning
        audioUrl = LiveEventDTO.audioURL(spoken.text)
    }
}
