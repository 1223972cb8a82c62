import ChoSoCore
import Fluent
import Foundation

/// Sub-meter readings for electricity bills: one per stall and month. The previous index is the
/// last month's current one; only a stall's first reading gives it. A reading below the last is
/// refused with both numbers.
extension FeeService {
    func recordReading(market marketID: String, stallID: String?, period: FeePeriod, previous rawPrevious: Int64?, current: Int64?) async throws -> MeterReadingModel {
        let market = try await managedMarket(marketID)
        guard let stallUUID = stallID.flatMap(UUID.init(uuidString:)), let stall = try await StallModel.find(stallUUID, on: database),
              stall.$market.id == market.id else {
            throw AppError.invalid(ValidationFailure(FieldError(field: "stallId", code: "unknown_stall", message: .init(
                vi: "Hãy chọn một quầy của chợ này", en: "Choose a stall of this market"))))
        }
        guard let current else {
            throw AppError.invalid(ValidationFailure(FieldError(field: "current", code: "bad_index", message: .init(
                vi: "Hãy ghi chỉ số mới", en: "Give the current index"))))
        }
        let database = database, user = user
        return try await SyncGate.shared.around(database) {
            try await database.transaction { db in
                let earlier = try await MeterReadingModel.query(on: db).filter(\.$stallID == stallUUID).filter(\.$period < period.iso)
                    .sort(\.$period, .descending).first()
                if try await FeeBillModel.query(on: db).filter(\.$stallID == stallUUID).filter(\.$period == period.iso)
                    .filter(\.$lineCode == TariffInput.Code.electricity).count() > 0 {
                    throw AppError(status: .conflict, code: "already_billed", message: .init(
                        vi: "Tiền điện tháng \(period.vietnamese) của quầy \(stall.number) đã lập phiếu: chỉ số không đổi được nữa",
                        en: "Stall \(stall.number)'s electricity for \(period.vietnamese) is billed: the reading can no longer change"))
                }
                // A meter's first reading cannot assume it started at 0: that would bill every kWh ever.
                guard earlier != nil || rawPrevious != nil else {
                    throw AppError.invalid(ValidationFailure(FieldError(field: "previous", code: "previous_needed", message: .init(
                        vi: "Lần ghi đầu tiên của quầy \(stall.number): hãy ghi cả chỉ số cũ", en: "Stall \(stall.number)'s first reading: give the previous index too"))))
                }
                let last = earlier?.currentIndex ?? rawPrevious
                let reading = try FeeBilling.check(current: current, lastIndex: last).valueOrInvalid()
                let row = try await MeterReadingModel.query(on: db).filter(\.$stallID == stallUUID).filter(\.$period == period.iso).first()
                    ?? MeterReadingModel()
                row.stallID = stallUUID
                row.period = period.iso
                row.previousIndex = reading.previous
                row.currentIndex = reading.current
                row.recordedBy = user.id
                row.recordedAt = Date()
                try await row.save(on: db)
                try await AuditEntryModel.record(on: db, actor: user.id, action: "fees.meter", subjectType: "stall", subjectID: stallUUID,
                                                 detail: "\(period.iso): \(reading.previous) → \(reading.current)")
                return row
            }
        }
    }

    func readings(market marketID: String, period: FeePeriod) async throws -> [MeterReadingModel] {
        guard let uuid = UUID(uuidString: marketID) else { throw AppError.notFound }
        let stalls = try await StallModel.query(on: database).filter(\.$market.$id == uuid).all().compactMap(\.id)
        return try await MeterReadingModel.query(on: database).filter(\.$stallID ~~ stalls).filter(\.$period == period.iso).all()
    }

    func tariffs(market marketID: String) async throws -> [FeeTariffModel] {
        guard let uuid = UUID(uuidString: marketID) else { throw AppError.notFound }
        return try await FeeTariffModel.query(on: database).filter(\.$marketID == uuid).sort(\.$effectiveFrom, .descending).all()
    }
}
