import ChoSoCore
import Fluent
import FluentSQL
import Foundation
import Spreadsheet

/// Bank statements into transfers, all or nothing, reconciled against what webhooks (and earlier
/// imports) already brought: how a missed webhook is found.
struct StatementImportService {
    var database: any Database
    /// Nil for the operator's command line; a person using the upload page otherwise.
    var user: CurrentUser?
    var config: AppConfig
    var intake: Intake

    enum Format: String, CaseIterable, Sendable { case auto, csv, xlsx }

    /// Transfers stored per step of the import's transaction: small enough that a piece's rows,
    /// matches and SQL stay a few megabytes, large enough that the per-piece queries are few.
    static let piece = 5_000

    struct Report: Sendable {
        var accountNumber: String
        var rows: Int
        /// Rows ChoSo already had (a webhook, or an earlier import of the same statement).
        var known: Int
        /// Rows ChoSo did not have: stored now (unless a dry run) and matched.
        var newCount: Int
        /// The first of them (at most `shownNew`), to show.
        var firstNew: [Statement.Row]
        /// Rows whose reference ChoSo knows with another amount: not imported; a person looks.
        var conflicts: [LocalizedText]
        var dryRun: Bool
        /// How the new rows were judged, by status (after the import; empty on a dry run).
        var statuses: [String: Int]
    }

    struct ImportFailure: Error {
        var message: LocalizedText
        var rowErrors: [Statement.RowError]
    }

    /// `market`: the market whose page the statement was sent from; the account must be one of its
    /// stalls'. Every check is made before anything is read or stored.
    func importStatement(
        accountID rawID: String, market expectedMarketID: String? = nil, bytes: [UInt8], format: Format, layout: String?, dryRun: Bool
    ) async throws -> Report {
        if let user, let expectedMarketID {
            let decision = AccessPolicy.decide(user.principal, .create, .marketIntake(marketID: expectedMarketID))
            guard decision.isAllowed else { throw AppError.denied(decision) }
        }
        let account = try await statementAccount(rawID)
        if let user {
            let decision = AccessPolicy.decide(user.principal, .create, .marketIntake(marketID: account.marketID.uuidString))
            guard decision.isAllowed else { throw AppError.denied(decision) }
        }
        if let expectedMarketID, UUID(uuidString: expectedMarketID) != account.marketID {
            throw ImportFailure(
                message: LocalizedText(
                    vi: "Tài khoản \(account.accountNumber) không thuộc quầy nào của chợ này: không nhập gì",
                    en: "Account \(account.accountNumber) belongs to no stall of this market: nothing was imported"),
                rowErrors: [])
        }
        // What reading a large statement took (tens of megabytes) is given back to the system
        // once it is over, the work's own values gone with `readAndStore`'s frame; glibc would
        // otherwise keep it.
        defer { MemoryRelease.returnFreed() }
        return try await readAndStore(bytes, format: format, layout: layout, account: account, dryRun: dryRun)
    }

    private func readAndStore(_ bytes: [UInt8], format: Format, layout: String?, account: StatementAccount, dryRun: Bool) async throws -> Report {
        let accountID = account.id
        let marketID = account.marketID
        let reconciled = try await reconcile(bytes, format: format, layout: layout, account: account, dryRun: dryRun)
        var report = reconciled.0
        let new = reconciled.new
        guard !dryRun, !new.isEmpty else { return report }

        let receivedAt = Date()
        let summary = "\(report.rows) rows: \(report.known) known, \(report.newCount) new, \(report.conflicts.count) conflicting"
        let (statuses, events) = try await database.transaction { db in
            // One transaction, stored a piece at a time: each piece sees what the pieces before it
            // stored (requests credited, fees posted, refunds closed), so the result is that of
            // one delivery, while the rows, statements and matches held at once stay small.
            var statuses: [String: Int] = [:]
            var events: [PaymentEvent] = []
            var seen: [String: Int] = [:]
            for piece in new.chunked(by: Self.piece) {
                let transfers = Self.transfers(piece, account: account, seen: &seen)
                let delivery = PendingDelivery.statement(accountID: accountID, marketID: marketID, transfers: transfers, receivedAt: receivedAt, timeZone: config.timeZone)
                let stored = try await IntakeWriter.store([delivery], on: db, timeZone: config.timeZone, events: intake.events)
                for event in stored.outcomes.flatMap(\.stored) { statuses[event.status, default: 0] += 1 }
                events += stored.events
            }
            try await AuditEntryModel.record(
                on: db, actor: user?.id, action: "statement.import", subjectType: account.isMarketFeeAccount ? "market_account" : "receiving_account", subjectID: accountID,
                detail: summary)
            return (statuses, events)
        }
        intake.events.committed(events)
        report.statuses = statuses
        return report
    }

    /// The file read and held against what ChoSo knows; nothing stored. The table and the known
    /// transfers are let go when it returns.
    func reconcile(_ bytes: [UInt8], format: Format, layout: String?, account: StatementAccount, dryRun: Bool) async throws -> (Report, new: [Statement.Row]) {
        let rows = try read(bytes, format: format, layout: layout)
        let known = try await knownTransfers(account: account, around: rows)
        var report = Report(accountNumber: account.accountNumber, rows: rows.count, known: 0, newCount: 0, firstNew: [], conflicts: [], dryRun: dryRun, statuses: [:])
        var new: [Statement.Row] = []
        for (row, verdict) in zip(rows, Reconciliation.reconcile(rows, against: known, timeZone: config.timeZone)) {
            switch verdict {
            case .known: report.known += 1
            case .new: new.append(row)
            case .conflicting(_, let reason): report.conflicts.append(reason)
            }
        }
        report.newCount = new.count
        report.firstNew = Array(new.prefix(Self.shownNew))
        return (report, new)
    }

    /// New rows the page lists.
    static let shownNew = 20

    /// The account a statement is of: a stall's receiving account, or a market's fee account (issue 15).
    struct StatementAccount {
        var id: UUID
        var marketID: UUID
        var bin: String
        var accountNumber: String
        var isMarketFeeAccount: Bool
    }

    /// By id, or by number when one active account has it.
    func statementAccount(_ text: String) async throws -> StatementAccount {
        let query = ReceivingAccountModel.query(on: database).with(\.$stall)
        let feeQuery = MarketAccountModel.query(on: database)
        if let id = UUID(uuidString: text) {
            query.filter(\.$id == id)
            feeQuery.filter(\.$id == id)
        } else {
            query.filter(\.$accountNumber == text).filter(\.$activeKind != nil)
            feeQuery.filter(\.$accountNumber == text).filter(\.$activeMarket != nil)
        }
        let found = try await query.all().map { account in
            StatementAccount(id: try account.requireID(), marketID: account.stall.$market.id, bin: account.bin, accountNumber: account.accountNumber, isMarketFeeAccount: false)
        } + (try await feeQuery.all()).map { account in
            StatementAccount(id: try account.requireID(), marketID: account.marketID, bin: account.bin, accountNumber: account.accountNumber, isMarketFeeAccount: true)
        }
        guard found.count == 1, let account = found.first else {
            throw ImportFailure(message: found.isEmpty
                ? LocalizedText(vi: "Không có tài khoản nhận \(text)", en: "There is no receiving account \(text)")
                : LocalizedText(vi: "Số tài khoản \(text) có ở nhiều quầy: hãy dùng mã tài khoản (id)", en: "Account number \(text) belongs to several stalls: use the account id"),
                rowErrors: [])
        }
        return account
    }

    static func tooLarge(_ what: String) -> LocalizedText {
        LocalizedText(
            vi: "Tệp quá lớn để là một bản sao kê (\(what)): hãy tách thành nhiều tệp, mỗi tệp vài tháng",
            en: "The file is too large for a statement (\(what)): split it into files of a few months each")
    }

    static func describe(_ error: XLSX.ReadError) -> LocalizedText {
        switch error {
        case .notAZip:
            return LocalizedText(vi: "Tệp không phải bảng tính XLSX (không phải tệp nén ZIP)", en: "The file is not an XLSX workbook (not a ZIP archive)")
        case .missing(let part):
            return LocalizedText(vi: "Bảng tính thiếu phần \(part)", en: "The workbook lacks its part \(part)")
        case .corrupt(let part):
            return LocalizedText(vi: "Bảng tính bị hỏng (\(part))", en: "The workbook is damaged (\(part))")
        case .tooLarge(let what):
            return tooLarge(what)
        }
    }

    func read(_ bytes: [UInt8], format: Format, layout: String?) throws -> [Statement.Row] {
        var chosen: Statement.Layout?
        if let layout, layout != "auto" {
            guard let named = Statement.Layout.named(layout) else {
                throw ImportFailure(message: LocalizedText(
                    vi: "Không có mẫu cột \"\(layout)\" (có: \(Statement.Layout.all.map(\.name).joined(separator: ", ")))",
                    en: "There is no layout \"\(layout)\" (known: \(Statement.Layout.all.map(\.name).joined(separator: ", ")))"), rowErrors: [])
            }
            chosen = named
        }
        var reader = Statement.Reader(layout: chosen, timeZone: config.timeZone)
        let isZip = bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
        if format == .xlsx || (format == .auto && isZip) {
            do { try XLSX.firstSheet(bytes) { reader.add($0) } } catch {
                throw ImportFailure(message: Self.describe(error), rowErrors: [])
            }
        } else {
            do { for cells in try CSVTable.read(bytes) { reader.add(cells) } } catch {
                guard case .tooLarge(let what) = error else { throw error }
                throw ImportFailure(message: Self.tooLarge(what), rowErrors: [])
            }
        }
        switch reader.result() {
        case .success(let rows): return rows
        case .failure(.noHeader(let message)): throw ImportFailure(message: message, rowErrors: [])
        case .failure(.rows(let errors)):
            throw ImportFailure(message: LocalizedText(
                vi: "\(errors.count) dòng có lỗi: không nhập dòng nào", en: "\(errors.count) rows have errors: nothing was imported"), rowErrors: errors)
        }
    }

    /// Transfers of this account near the statement's dates, whatever brought them.
    func knownTransfers(account: StatementAccount, around rows: [Statement.Row]) async throws -> [Reconciliation.Known] {
        guard let first = rows.map(\.time).min(), let last = rows.map(\.time).max(), let sql = database as? any SQLDatabase else { return [] }
        let found = try await sql.select()
            .columns("id", "amount", "direction", "bank_time", "received_at", "reference")
            .from(TransferModel.schema)
            .where("account_number", .equal, account.accountNumber)
            .where(SQLBinaryExpression(SQLFunction("coalesce", args: SQLColumn("bank_time"), SQLColumn("received_at")), .greaterThanOrEqual, SQLBind(first.addingTimeInterval(-86_400))))
            .where(SQLBinaryExpression(SQLFunction("coalesce", args: SQLColumn("bank_time"), SQLColumn("received_at")), .lessThanOrEqual, SQLBind(last.addingTimeInterval(86_400))))
            .all()
        return try found.map { row in
            Reconciliation.Known(
                id: try row.decode(column: "id", as: UUID.self).uuidString, amount: try row.decode(column: "amount", as: Int64.self),
                direction: try row.decode(column: "direction", as: String.self) == "out" ? .outgoing : .incoming,
                time: try row.decode(column: "bank_time", as: Date?.self) ?? row.decode(column: "received_at", as: Date.self),
                reference: try row.decode(column: "reference", as: String?.self))
        }
    }

    /// Each new row as a transfer whose id is the same every time the same statement is read:
    /// the bank's reference, or else the row's own values and its rank among identical rows.
    /// `seen` carries the ranks from one piece of the statement to the next.
    static func transfers(_ rows: ArraySlice<Statement.Row>, account: StatementAccount, seen: inout [String: Int]) -> [IncomingTransfer] {
        rows.map { row in
            var id = row.reference ?? ""
            if id.isEmpty {
                let basis = "\(Int(row.time.timeIntervalSince1970))|\(row.direction.rawValue)|\(row.amount)|\(row.description)"
                let rank = seen[basis, default: 0]
                seen[basis] = rank + 1
                id = "row:" + SecretVault.hash(basis).prefix(24) + "#\(rank)"
            }
            return IncomingTransfer(
                provider: "statement", providerTransactionID: id, accountNumber: account.accountNumber, bin: account.bin, amount: row.amount,
                direction: row.direction, description: row.description, reference: row.reference, counterAccountName: row.counterName,
                bankTime: row.time)
        }
    }
}

extension StatementImportService.Report {
    /// The reconciliation report in both languages, for the command line.
    func lines(seconds: Int64) -> [String] {
        var lines = [
            "Sao kê tài khoản \(accountNumber): \(rows) dòng / statement of \(accountNumber): \(rows) rows" + (dryRun ? " — chạy thử, không lưu / dry run, nothing stored" : ""),
            "  đã có (khớp webhook hoặc lần nhập trước) / already known: \(known)",
            "  mới (webhook bị lỡ) / new (missed webhooks): \(newCount)" + (dryRun ? "" : " — đã lưu / stored"),
            "  lệch, cần xem lại / conflicting: \(conflicts.count)",
        ]
        if !statuses.isEmpty {
            lines.append("  xếp loại dòng mới / new rows judged: " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines += conflicts.map { "  ! \($0.vi) / \($0.en)" }
        lines.append("  (\(seconds) s)")
        return lines
    }
}
