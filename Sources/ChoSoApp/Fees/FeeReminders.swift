import ChoSoCore
import Fluent
import Foundation

/// The board's reminder (issue 15): the stall's live screen reads "Quầy 12 còn nợ phí chợ tháng
/// 11 …" aloud. It goes through the same events as payments (on every process); a screen that is
/// offline at that moment does not get it later — a reminder is of the moment, not a record.
extension FeeService {
    func remind(market marketID: String, stallID: String?, events: any PaymentEventPublisher) async throws -> String {
        let market = try await managedMarket(marketID)
        guard let uuid = stallID.flatMap(UUID.init(uuidString:)), let stall = try await StallModel.find(uuid, on: database),
              stall.$market.id == market.id else {
            throw AppError.invalid(ValidationFailure(FieldError(field: "stallId", code: "unknown_stall", message: .init(
                vi: "Hãy chọn một quầy của chợ này", en: "Choose a stall of this market"))))
        }
        let state = try await FeeLedgerWriter.state(ofStall: uuid, on: database)
        let today = Day(Date(), in: timeZone)
        let due = state.openBills.filter { $0.period.firstDay <= today }
        let owed = due.reduce(0) { $0 + $1.remaining } - max(0, state.credit(of: uuid))
        guard owed > 0 else {
            throw AppError(status: .conflict, code: "nothing_owed", message: .init(
                vi: "Quầy \(stall.number) không còn nợ phí chợ", en: "Stall \(stall.number) owes no market fees"))
        }
        let months = Array(Set(due.map(\.period))).sorted().map(\.month)
        let spoken = Announcement.feeReminder(stallNumber: stall.number, months: months, amount: owed, reading: stall.reading)
        let event = PaymentEvent.reminder(stall: uuid, market: try market.requireID(), amount: owed, text: spoken.text)
        let user = user
        try await database.transaction { db in
            try await events.stage([event], on: db)
            try await AuditEntryModel.record(on: db, actor: user.id, action: "fees.remind", subjectType: "stall", subjectID: uuid, detail: spoken.text)
        }
        events.committed([event])
        return spoken.text
    }
}

extension PaymentEvent {
    /// A reminder travels as an event of the stall with its words for description.
    static func reminder(stall: UUID, market: UUID, amount: Int64, text: String) -> PaymentEvent {
        PaymentEvent(reminderFor: stall, market: market, amount: amount, text: text)
    }

    private init(reminderFor stall: UUID, market: UUID, amount: Int64, text: String) {
        transferID = "reminder-" + UUID().uuidString
        stallID = stall.uuidString
        marketID = market.uuidString
        self.amount = amount
        status = LiveEventDTO.reminder
        paymentRequestID = nil
        difference = nil
        description = text
        counterAccountName = nil
        reasonVi = text
        receivedAt = Date()
        bankTime = nil
    }
}
