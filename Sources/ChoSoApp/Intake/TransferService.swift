import ChoSoCore
import Fluent
import Foundation

/// Reading stored transfers: a stall's day, and (for the market board) what needs a person.
struct TransferService {
    var database: any Database
    var user: CurrentUser
    var config: AppConfig

    /// The stall's transfers of a business day (today when nil), oldest first.
    func stallTransfers(stallID: String, day: Day?) async throws -> [TransferModel] {
        guard let uuid = UUID(uuidString: stallID),
              let stall = try await StallModel.query(on: database).filter(\.$id == uuid).with(\.$market).first()
        else { throw AppError.notFound }
        let decision = try await RegistryService(database: database, user: user).salesDecision(.read, stall: stall, in: stall.market)
        guard decision.isAllowed else { throw AppError.denied(decision) }
        let dayText = (day ?? Day(Date(), in: config.timeZone)).iso
        return try await TransferModel.query(on: database)
            .filter(\.$stallID == uuid).filter(\.$businessDay == dayText)
            .sort(\.$receivedAt).all()
    }
}
