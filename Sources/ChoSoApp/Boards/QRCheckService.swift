import ChoSoCore
import Fluent
import Foundation
import VietQR

/// "Kiểm tra mã QR": whose account a scanned payload pays into, in words anyone can act on.
/// Public: a customer or a stall keeper checks a board without signing in. It tells only what
/// the board itself shows (stall, market, keeper's display name), never account history details
/// beyond the date an account stopped being used.
struct QRCheckService {
    var database: any Database
    var config: AppConfig

    enum Verdict: String, Codable, Sendable {
        /// The account belongs to a registered stall now.
        case registered
        /// It was a stall's account, replaced or closed since.
        case formerAccount = "former_account"
        /// No stall is paid into this account: the red warning.
        case unregistered
        /// Not a VietQR transfer code at all.
        case notVietQR = "not_vietqr"
    }

    struct Result: Sendable {
        var verdict: Verdict
        var message: LocalizedText
        var stallID: UUID?
        var stallNumber: String?
        var stallName: String?
        var marketName: String?
        var boardCode: String?
        var amount: Int64?
        var decodeError: String?
    }

    func check(_ payload: String) async throws -> Result {
        let parsed = VietQRParser.parse(payload, mode: .lenient)
        guard case .success(let qr) = parsed, qr.scheme == .vietqr, let bin = qr.bin, let account = qr.account else {
            let reason: String? = if case .failure(let error) = parsed { error.code.rawValue } else { nil }
            return Result(
                verdict: .notVietQR,
                message: LocalizedText(
                    vi: "Đây không phải mã VietQR chuyển khoản của quầy nào. Đừng quét để trả tiền.",
                    en: "This is not a VietQR transfer code of any stall. Do not pay with it."),
                decodeError: reason)
        }
        let matches = try await ReceivingAccountModel.query(on: database)
            .filter(\.$bin == bin).filter(\.$accountNumber == account)
            .with(\.$stall, { $0.with(\.$market) })
            .sort(\.$createdAt, .descending).all()
        if let current = matches.first(where: { $0.isActive && $0.stall.isActive }) {
            let stall = current.stall
            let keeper = current.displayName ?? stall.keeperName
            return Result(
                verdict: .registered,
                message: LocalizedText(
                    vi: "Mã này thuộc quầy \(stall.number) — \(keeper), \(stall.name), \(stall.market.name)",
                    en: "This code belongs to stall \(stall.number) — \(keeper), \(stall.name), \(stall.market.name)"),
                stallID: stall.id, stallNumber: stall.number, stallName: stall.name, marketName: stall.market.name,
                boardCode: BoardCode.make(secret: config.secretKey, stallID: try stall.requireID().uuidString, accountID: try current.requireID().uuidString),
                amount: qr.amount)
        }
        if let former = matches.first {
            let stall = former.stall
            let until = former.deactivatedAt.map { ChoSoCore.Day($0, in: config.timeZone).vietnamese } ?? "?"
            return Result(
                verdict: .formerAccount,
                message: LocalizedText(
                    vi: "Cảnh báo: đây là tài khoản cũ của quầy \(stall.number) (\(stall.market.name)), đã thôi dùng từ ngày \(until). Đừng trả tiền vào mã này — hỏi lại chủ quầy.",
                    en: "Warning: this was the account of stall \(stall.number) (\(stall.market.name)) until \(until). Do not pay with this code — ask the stall keeper."),
                stallID: stall.id, stallNumber: stall.number, stallName: stall.name, marketName: stall.market.name, amount: qr.amount)
        }
        let bankName = qr.bank?.shortName ?? bin
        return Result(
            verdict: .unregistered,
            message: LocalizedText(
                vi: "Cảnh báo: tài khoản \(bankName) \(Self.masked(account)) không được đăng ký cho quầy nào của chợ. Có thể mã đã bị dán đè — đừng trả tiền, báo ban quản lý chợ.",
                en: "Warning: the \(bankName) account \(Self.masked(account)) is not registered for any stall. The code may have been pasted over — do not pay; tell the market board."),
            amount: qr.amount)
    }

    /// Only the last four digits, as on the board.
    static func masked(_ account: String) -> String {
        account.count <= 4 ? account : "…" + account.suffix(4)
    }
}
