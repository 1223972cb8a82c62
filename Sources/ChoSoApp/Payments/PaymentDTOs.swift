import ChoSoCore
import Vapor

/// A payment request as API clients see it (DESIGN.md §6).
struct PaymentRequestDTO: Content {
    var id: String
    var stallId: String
    var code: String
    var amount: Int64
    var amountInWords: String
    var note: String?
    var status: String
    var receivedAmount: Int64
    var payload: String
    /// After an under-payment: what is still owed, and a payload with the same code for exactly that.
    var remaining: Int64?
    var remainingPayload: String?
    var createdAt: Date
    var expiresAt: Date
    var qrSvgUrl: String
    var qrPngUrl: String

    init(_ request: PaymentRequestModel) throws {
        let id = try request.requireID().uuidString
        self.id = id
        stallId = request.$stall.id.uuidString
        code = request.code
        amount = request.amount
        amountInWords = AmountReading.south.words(request.amount)
        note = request.note
        status = request.status
        receivedAmount = request.receivedAmount
        payload = request.payload
        remaining = request.remaining
        remainingPayload = request.remaining == nil ? nil : request.payableNow
        createdAt = request.createdAt
        expiresAt = request.expiresAt
        qrSvgUrl = "/api/v1/payment-requests/\(id)/qr.svg"
        qrPngUrl = "/api/v1/payment-requests/\(id)/qr.png"
    }
}

struct CashEntryDTO: Content {
    var id: String
    var stallId: String
    var kind: String
    var amount: Int64
    var customerName: String?
    var note: String?
    var createdAt: Date
    /// Voided entries are kept, with why; they count nowhere.
    var voided: Bool
    var voidReason: String?
    /// A debt paid since (in cash, or its payment request paid by transfer).
    var settled: Bool
    var settlementRequestId: String?

    init(_ entry: CashEntryModel, settled: Bool = false) throws {
        id = try entry.requireID().uuidString
        stallId = entry.$stall.id.uuidString
        kind = entry.kind
        amount = entry.amount
        customerName = entry.customerName
        note = entry.note
        createdAt = entry.createdAt
        voided = entry.isVoided
        voidReason = entry.voidReason
        self.settled = settled || entry.settledAt != nil
        settlementRequestId = entry.settledByRequest?.uuidString
    }
}

struct DayListDTO: Content {
    struct Entry: Content {
        var kind: String
        var id: String
        var amount: Int64
        var receivedAmount: Int64
        var status: String?
        var code: String?
        var label: String?
        var at: Date
    }
    var date: String
    var entries: [Entry]
    var totals: Totals
    struct Totals: Content { var transfer: Int64; var cash: Int64; var owed: Int64 }

    init(_ day: CashierService.DayList) {
        date = day.date
        entries = day.entries.map {
            Entry(kind: $0.kind.rawValue, id: $0.id.uuidString, amount: $0.amount, receivedAmount: $0.received,
                  status: $0.status, code: $0.code, label: $0.label, at: $0.at)
        }
        totals = Totals(transfer: day.transferTotal, cash: day.cashTotal, owed: day.owedTotal)
    }
}

/// What `POST /api/v1/qr/check` answers.
struct QRCheckDTO: Content {
    var verdict: String
    var message: String
    var stallId: String?
    var stallNumber: String?
    var stallName: String?
    var marketName: String?
    var boardCode: String?
    var amount: Int64?
    var decodeError: String?

    init(_ result: QRCheckService.Result, language: Language) {
        verdict = result.verdict.rawValue
        message = result.message.text(in: language)
        stallId = result.stallID?.uuidString
        stallNumber = result.stallNumber
        stallName = result.stallName
        marketName = result.marketName
        boardCode = result.boardCode
        amount = result.amount
        decodeError = result.decodeError
    }
}

/// A debt paid: the debt, and the cash sale that paid it or the payment request to pay it by transfer.
struct SettlementDTO: Content {
    var debt: CashEntryDTO
    var cashSale: CashEntryDTO?
    var paymentRequest: PaymentRequestDTO?
}
