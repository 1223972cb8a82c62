import Foundation

/// A statement against the transfers ChoSo already knows for the account (from webhooks or an
/// earlier import): each row is already known, new (a missed webhook), or conflicting.
public enum Reconciliation {
    public struct Known: Sendable, Equatable {
        public var id: String
        public var amount: Int64
        public var direction: IncomingTransfer.Direction
        public var time: Date
        public var reference: String?

        public init(id: String, amount: Int64, direction: IncomingTransfer.Direction, time: Date, reference: String?) {
            self.id = id
            self.amount = amount
            self.direction = direction
            self.time = time
            self.reference = reference
        }
    }

    public enum Verdict: Sendable, Equatable {
        case known(id: String)
        case new
        /// The same bank reference with another amount or direction: a person must look.
        case conflicting(id: String, reason: LocalizedText)
    }

    /// How far a statement's time may be from the webhook's bank time for the same transfer.
    public static let window: TimeInterval = 10 * 60

    public static func reconcile(_ rows: [Statement.Row], against known: [Known], timeZone: TimeZone) -> [Verdict] {
        var byReference: [String: [Int]] = [:]
        var byAmount: [Int64: [Int]] = [:]
        for (index, transfer) in known.enumerated() {
            for key in referenceKeys(transfer.reference) { byReference[key, default: []].append(index) }
            byAmount[transfer.direction == .incoming ? transfer.amount : -transfer.amount, default: []].append(index)
        }
        var used = Set<Int>()
        return rows.map { row in
            if let index = referenceKeys(row.reference).lazy.compactMap({ byReference[$0]?.first { !used.contains($0) } }).first {
                let transfer = known[index]
                used.insert(index)
                if transfer.amount == row.amount && transfer.direction == row.direction { return .known(id: transfer.id) }
                return .conflicting(id: transfer.id, reason: LocalizedText(
                    vi: "Dòng \(row.line): cùng mã tham chiếu \(row.reference ?? "") nhưng số tiền \(Money(dong: row.amount).formatted) khác với \(Money(dong: transfer.amount).formatted) đã nhận",
                    en: "Line \(row.line): same reference \(row.reference ?? "") but \(Money(dong: row.amount).formatted) differs from the \(Money(dong: transfer.amount).formatted) received"))
            }
            let day = Day(row.time, in: timeZone)
            let candidates = (byAmount[row.direction == .incoming ? row.amount : -row.amount] ?? []).filter { index in
                guard !used.contains(index) else { return false }
                return row.hasTimeOfDay ? abs(known[index].time.timeIntervalSince(row.time)) <= window : Day(known[index].time, in: timeZone) == day
            }
            guard let closest = candidates.min(by: { abs(known[$0].time.timeIntervalSince(row.time)) < abs(known[$1].time.timeIntervalSince(row.time)) }) else {
                return .new
            }
            used.insert(closest)
            return .known(id: known[closest].id)
        }
    }

    /// Banks and providers decorate the same reference differently (`MBVCB.5473187212` in a
    /// webhook, `5473187212` on the statement): the reference's letters and digits, and apart
    /// from that its trailing run of at least six digits.
    static func referenceKeys(_ raw: String?) -> [String] {
        guard let raw else { return [] }
        // ASCII letters and digits, by byte: a CharacterSet lookup per scalar was most of the
        // reconciliation's time on a large statement.
        let compact = raw.uppercased().utf8.filter { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) }
        guard compact.count >= 3 else { return [] }
        let digits = compact.reversed().prefix { (0x30...0x39).contains($0) }.count
        let key = String(decoding: compact, as: UTF8.self)
        return digits >= 6 ? [key, "#" + String(decoding: compact.suffix(digits), as: UTF8.self)] : [key]
    }
}
