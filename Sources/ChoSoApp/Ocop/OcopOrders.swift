import ChoSoCore
import Fluent
import Foundation

/// The producer's orders paid by QR: the money that arrived at their shop stalls, each named
/// with the product its note buys when it carries one.
extension OcopRegisterService {
    struct Order: Sendable {
        var time: Date
        var amount: Int64
        var sender: String
        /// The product the transfer's note buys, or nil for another transfer to the shop.
        var productName: String?
        var status: String
    }

    /// The latest `limit` transfers in for the user's shop stalls, newest first.
    func orders(in reach: Reach, limit: Int = 50) async throws -> [Order] {
        let stallIDs = user.receivingStalls.compactMap(UUID.init(uuidString:))
        guard !stallIDs.isEmpty else { return [] }
        let names = reach.entries.map(\.product.name)
        return try await TransferModel.query(on: database)
            .filter(\.$stallID ~~ stallIDs)
            .sort(\.$receivedAt, .descending).range(..<(limit * 2)).all()
            .filter { RollupFigures.countsAsTakings(status: TransferStatus(rawValue: $0.status), resolution: $0.resolution) }
            .prefix(limit)
            .map { transfer in
                Order(time: transfer.effectiveTime, amount: transfer.amount, sender: transfer.counterAccountName ?? "",
                      productName: OcopPurchase.product(of: transfer.description, among: names), status: transfer.status)
            }
    }
}
