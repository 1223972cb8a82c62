import ChoSoCore
import Fluent
import Foundation
import VietQR

/// The printed QR boards (standees) of stalls, and the record of each one printed and handed over.
struct BoardService {
    var database: any Database
    var user: CurrentUser
    var config: AppConfig

    struct Board: Sendable {
        var stall: StallModel
        var market: MarketModel
        /// Nil when the stall has no account yet: nothing to print.
        var account: ReceivingAccountModel?
        var payload: String?
        var code: String?
        var lastPrint: BoardPrintModel?
    }

    private var registry: RegistryService { RegistryService(database: database, user: user) }

    func board(stallID: String) async throws -> Board {
        let (record, market) = try await registry.stall(stallID)
        return try await board(record.stall, market: market, accounts: record.accounts)
    }

    func boards(marketID: String) async throws -> [Board] {
        let summary = try await registry.market(marketID)
        var boards: [Board] = []
        for record in try await registry.stalls(ofMarket: marketID) {
            boards.append(try await board(record.stall, market: summary.market, accounts: record.accounts))
        }
        return boards
    }

    private func board(_ stall: StallModel, market: MarketModel, accounts: [ReceivingAccountModel]) async throws -> Board {
        // The board carries the bank account when there is one, Mobile Money otherwise.
        let active = accounts.filter(\.isActive)
        let account = active.first { $0.kind == AccountKind.bank.rawValue } ?? active.first
        var payload: String?
        var code: String?
        if let account {
            payload = try VietQRBuilder.build(VietQRRequest(bin: account.bin, account: account.accountNumber, merchantName: account.holderName))
            code = BoardCode.make(secret: config.secretKey, stallID: try stall.requireID().uuidString, accountID: try account.requireID().uuidString)
        }
        let lastPrint = try await BoardPrintModel.query(on: database).filter(\.$stall.$id == stall.requireID())
            .sort(\.$printedAt, .descending).first()
        return Board(stall: stall, market: market, account: account, payload: payload, code: code, lastPrint: lastPrint)
    }

    /// Records a board printed for the stall's current account; `handedOver` also records it given
    /// to the stall keeper (the latest print of that account).
    func record(stallID: String, handedOver: Bool) async throws -> BoardPrintModel {
        let board = try await board(stallID: stallID)
        guard let account = board.account else {
            throw AppError(status: .conflict, code: "no_receiving_account", message: .init(vi: "Quầy chưa có tài khoản nhận tiền", en: "The stall has no receiving account"))
        }
        // Printing and handing over are the board's work or the keeper's own print at home.
        let decision = try await registry.salesDecision(.create, stall: board.stall, in: board.market)
        let manages = try await registry.canManage(board.market)
        guard decision.isAllowed || manages else { throw AppError.denied(decision) }
        let accountID = try account.requireID()
        if handedOver, let last = board.lastPrint, last.accountID == accountID, last.handedOverAt == nil {
            last.handedOverAt = Date()
            last.handedOverBy = user.id
            try await last.save(on: database)
            return last
        }
        let print = BoardPrintModel()
        print.$stall.id = try board.stall.requireID()
        print.accountID = accountID
        print.printedBy = user.id
        print.printedAt = Date()
        if handedOver {
            print.handedOverAt = Date()
            print.handedOverBy = user.id
        }
        try await print.create(on: database)
        return print
    }
}
