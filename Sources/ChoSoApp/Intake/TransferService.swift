import ChoSoCore
import Fluent
import Foundation

/// Reading stored transfers: a stall's day, and (for the market board) what needs a person.
struct TransferService {
    var database: any Database
    var user: CurrentUser
    var config: AppConfig
    var intake: Intake

    /// The stall and its transfers of a business day (today when nil), oldest first.
    func stallTransfers(stallID: String, day: Day?) async throws -> (stall: StallModel, transfers: [TransferModel]) {
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        let decision = try await RegistryService(database: database, user: user).salesDecision(.read, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let dayText = (day ?? Day(Date(), in: config.timeZone)).iso
        return (stall, try await TransferModel.query(on: database)
            .filter(\.$stallID == uuid).filter(\.$businessDay == dayText)
            .sort(\.$receivedAt).all())
    }
}

// MARK: The market board's inbox and corrections

extension TransferService {
    /// Statuses a person should look at: money no stall claims, and money a customer may want back.
    static let doubtful: [String] = [
        TransferStatus.unmatched.rawValue, TransferStatus.late.rawValue,
        TransferStatus.duplicatePayment.rawValue, TransferStatus.overpaid.rawValue,
    ]
    /// Statuses under which the transfer's amount counts toward its payment request.
    static let credited: Set<String> = [TransferStatus.paid.rawValue, TransferStatus.underpaid.rawValue, TransferStatus.overpaid.rawValue]

    private func authorizeIntake(_ action: Action, marketID: UUID) throws {
        let decision = AccessPolicy.decide(user.principal, action, .marketIntake(marketID: marketID.uuidString))
        guard decision.isAllowed else { throw AppError.denied(decision) }
    }

    /// The market's open doubtful transfers, newest first.
    func inbox(marketID: String) async throws -> [TransferModel] {
        guard let uuid = UUID(uuidString: marketID), try await MarketModel.find(uuid, on: database) != nil else { throw AppError.notFound }
        try authorizeIntake(.read, marketID: uuid)
        return try await TransferModel.query(on: database)
            .filter(\.$marketID == uuid).filter(\.$status ~~ Self.doubtful).filter(\.$resolution == nil)
            .sort(\.$receivedAt, .descending).limit(500).all()
    }

    private func transfer(_ id: String) async throws -> TransferModel {
        guard let uuid = UUID(uuidString: id), let transfer = try await TransferModel.find(uuid, on: database) else { throw AppError.notFound }
        try authorizeIntake(.update, marketID: transfer.marketID)
        return transfer
    }

    static func note(_ raw: String?, required: Bool, field: String = "note") throws -> String {
        let note = TextNormalization.clean(raw ?? "")
        if (required && note.isEmpty) || note.count > 200 {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: field, code: "bad_\(field)",
                message: required ? LocalizedText(vi: "Hãy ghi lý do (tối đa 200 ký tự)", en: "Give the reason (at most 200 characters)")
                    : LocalizedText(vi: "Tối đa 200 ký tự", en: "At most 200 characters"))))
        }
        return note
    }

    /// Where and how much the transfer counts in the rollups now.
    func rollupEntry(_ transfer: TransferModel) -> (key: RollupKey, figures: RollupFigures)? {
        guard let stall = transfer.stallID, let status = TransferStatus(rawValue: transfer.status) else { return nil }
        return (RollupKey(stallID: stall.uuidString, at: transfer.bankTime ?? transfer.receivedAt, in: config.timeZone),
                .transfer(status: status, amount: transfer.amount, difference: transfer.difference, resolution: transfer.resolution))
    }

    /// A correction moves the transfer's figures: out of where they were, into where they are now.
    static func moveRollups(
        from old: (key: RollupKey, figures: RollupFigures)?, to new: (key: RollupKey, figures: RollupFigures)?, on db: any Database
    ) async throws {
        var changes = RollupChanges()
        if let old { changes.add(-old.figures, at: old.key) }
        if let new { changes.add(new.figures, at: new.key) }
        try await RollupStore.apply(changes, on: db)
    }

    /// Gives the transfer to a stall of the same market, and to one of its payment requests when
    /// named; a request it counted toward before gives the amount back.
    func assign(_ id: String, stallID: String?, requestID: String?, note rawNote: String?) async throws -> (TransferModel, PaymentEvent) {
        let transfer = try await transfer(id)
        let note = try Self.note(rawNote, required: false)
        // Money paid to the market's fee account is fees, never a stall's takings (issue 15).
        if try await MarketAccountModel.query(on: database).filter(\.$marketID == transfer.marketID)
            .filter(\.$accountNumber == transfer.accountNumber).count() > 0 {
            throw AppError(status: .conflict, code: "fee_account_transfer", message: .init(
                vi: "Khoản này chuyển vào tài khoản thu phí của chợ: hãy ghi vào phí chợ của quầy, không phải tiền bán hàng",
                en: "This was paid to the market's fee account: record it as the stall's fees, not its takings"))
        }
        guard let stallUUID = stallID.flatMap(UUID.init(uuidString:)),
              let stall = try await StallModel.find(stallUUID, on: database), stall.$market.id == transfer.marketID
        else {
            throw AppError.invalid(ValidationFailure(FieldError(
                field: "stallId", code: "unknown_stall",
                message: LocalizedText(vi: "Hãy chọn một quầy của chợ này", en: "Choose a stall of this market"))))
        }
        var request: PaymentRequestModel?
        if let requestID, !requestID.isEmpty {
            let code = PaymentCode.normalized(requestID)
            request = try await PaymentRequestModel.query(on: database).group(.or) { group in
                if let uuid = UUID(uuidString: requestID) { group.filter(\.$id == uuid) }
                if let code { group.filter(\.$code == code) }
                if UUID(uuidString: requestID) == nil && code == nil { group.filter(\.$code == "-") }
            }.filter(\.$stall.$id == stallUUID).first()
            guard request != nil else {
                throw AppError.invalid(ValidationFailure(FieldError(
                    field: "paymentRequestId", code: "unknown_request",
                    message: LocalizedText(vi: "Quầy này không có yêu cầu thanh toán đó", en: "This stall has no such payment request"))))
            }
        }
        let before = "\(transfer.status) \(transfer.stallID?.uuidString ?? "-") \(transfer.paymentRequestID?.uuidString ?? "-")"
        let counted = rollupEntry(transfer)
        let chosen = request
        let result = try await database.transaction { db -> (TransferModel, PaymentEvent) in
            var request = chosen
            if Self.credited.contains(transfer.status), let previous = transfer.paymentRequestID,
               let old = try await PaymentRequestModel.find(previous, on: db) {
                old.credit(-transfer.amount)
                try await old.save(on: db)
                if old.id == request?.id { request = old }
            }
            let decision = TransferMatcher.assign(
                transfer.incoming, toStall: stallUUID.uuidString, request: request?.openRequest, by: user.displayName, note: note)
            transfer.apply(decision)
            transfer.resolution = "assigned"
            transfer.resolutionNote = note.isEmpty ? nil : note
            if let request, Self.credited.contains(decision.status.rawValue) {
                request.credit(transfer.amount)
                try await request.save(on: db)
            }
            try await transfer.save(on: db)
            try await Self.moveRollups(from: counted, to: rollupEntry(transfer), on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "transfer.assign", subjectType: "transfer", subjectID: transfer.id,
                detail: "\(before) → \(transfer.status) \(stallUUID.uuidString) \(transfer.paymentRequestID?.uuidString ?? "-") \(note)")
            let event = PaymentEvent(transfer)
            try await intake.events.stage([event], on: db)
            return (transfer, event)
        }
        // The stall's live screen hears of money a person gave it.
        intake.events.committed([result.1])
        return result
    }

    /// Refunds still to make: the market's (its board), or one stall's (whoever sees its sales).
    func openRefunds(marketID: String? = nil, stallID: String? = nil) async throws -> [TransferModel] {
        let query = TransferModel.query(on: database).filter(\.$resolution == Refund.due)
        if let stallID {
            let (stall, _) = try await stallTransfers(stallID: stallID, day: nil)
            query.filter(\.$stallID == (try stall.requireID()))
        } else {
            guard let uuid = marketID.flatMap(UUID.init(uuidString:)), try await MarketModel.find(uuid, on: database) != nil else { throw AppError.notFound }
            try authorizeIntake(.read, marketID: uuid)
            query.filter(\.$marketID == uuid)
        }
        return try await query.sort(\.$receivedAt).limit(500).all()
    }

    /// Records by hand that a refund due was made (cash back, or a transfer the intake did not see).
    func markRefunded(_ id: String, note rawNote: String?) async throws -> TransferModel {
        let transfer = try await transfer(id)
        guard transfer.resolution == Refund.due else {
            throw AppError(
                status: .conflict, code: "no_refund_due",
                message: LocalizedText(vi: "Khoản này không có tiền cần hoàn lại", en: "Nothing is due back on this transfer"))
        }
        return try await resolve(id, as: Refund.made, note: rawNote)
    }

    /// Marks the transfer as money to give back (over-paid, paid twice, not for this market) or
    /// sets it aside with a reason; either way it leaves the inbox and the audit keeps who and why.
    func resolve(_ id: String, as resolution: String, note rawNote: String?) async throws -> TransferModel {
        let transfer = try await transfer(id)
        let note = try Self.note(rawNote, required: resolution == "dismissed")
        let counted = rollupEntry(transfer)
        transfer.resolution = resolution
        transfer.resolutionNote = note.isEmpty ? nil : note
        try await database.transaction { db in
            try await transfer.save(on: db)
            try await Self.moveRollups(from: counted, to: rollupEntry(transfer), on: db)
            try await AuditEntryModel.record(
                on: db, actor: user.id, action: "transfer.\(resolution)", subjectType: "transfer", subjectID: transfer.id,
                detail: "\(transfer.status) \(Money(dong: transfer.amount).formatted) \(note)")
        }
        return transfer
    }
}
