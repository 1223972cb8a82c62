import Foundation

/// An OCOP recognition: the stars a decision gave a product, and for how long.
///
/// The validity rule lives here and nowhere else: a certificate is valid for 36 months from the
/// date of its decision, through the same calendar day 36 months later (a decision of 29/02 runs
/// to 28/02). Once that day has passed, nothing ChoSo publishes may claim the stars.
public struct OcopCertificate: Sendable, Hashable, Codable {
    public static let validityMonths = 36

    public var stars: Int
    public var decisionNumber: String
    public var decisionDate: Day
    /// Who recognised it, e.g. "UBND tỉnh Sóc Trăng".
    public var issuer: String

    public init(stars: Int, decisionNumber: String, decisionDate: Day, issuer: String) {
        self.stars = stars
        self.decisionNumber = decisionNumber
        self.decisionDate = decisionDate
        self.issuer = issuer
    }

    public var validUntil: Day { Self.validUntil(decidedOn: decisionDate) }

    public static func validUntil(decidedOn decided: Day) -> Day {
        let months = decided.month - 1 + validityMonths
        let year = decided.year + months / 12, month = months % 12 + 1
        return Day(year: year, month: month, day: min(decided.day, Day.daysIn(month: month, year: year)))
    }

    public func validity(on today: Day) -> OcopValidity {
        let until = validUntil
        return today <= until ? .valid(until: until, daysLeft: today.daysUntil(until)) : .expired(since: until.adding(days: 1))
    }

    /// The line a buyer reads on the packaging check page.
    /// A decision a re-recognition has replaced: it no longer says whether the product is valid.
    public func replacedLine(by later: OcopCertificate) -> LocalizedText {
        LocalizedText(
            vi: "\(stars)★ — QĐ số \(decisionNumber) ngày \(decisionDate.vietnamese) của \(issuer) — đã được thay bằng QĐ số \(later.decisionNumber) ngày \(later.decisionDate.vietnamese)",
            en: "\(stars)★ — decision \(decisionNumber) of \(decisionDate.vietnamese) by \(issuer) — replaced by decision \(later.decisionNumber) of \(later.decisionDate.vietnamese)")
    }

    public func checkLine(on today: Day) -> LocalizedText {
        let decision = "QĐ số \(decisionNumber) ngày \(decisionDate.vietnamese) của \(issuer)"
        let decisionEn = "decision \(decisionNumber) of \(decisionDate.vietnamese) by \(issuer)"
        switch validity(on: today) {
        case .valid(let until, _):
            return LocalizedText(vi: "Sản phẩm OCOP \(stars)★ — còn hiệu lực đến \(until.vietnamese) — \(decision)",
                                 en: "OCOP \(stars)★ product — valid until \(until.vietnamese) — \(decisionEn)")
        case .expired:
            return LocalizedText(vi: "Chứng nhận OCOP đã hết hạn ngày \(validUntil.vietnamese) — \(decision)",
                                 en: "The OCOP certificate expired on \(validUntil.vietnamese) — \(decisionEn)")
        }
    }
}

/// Where a certificate stands on a day.
public enum OcopValidity: Sendable, Hashable {
    case valid(until: Day, daysLeft: Int)
    case expired(since: Day)

    /// Only a valid certificate lets a page or feed say "OCOP" and show stars.
    public var claimsStars: Bool { if case .valid = self { true } else { false } }

    /// The officer's reminder bucket: within 30, 90 or 180 days, or expired.
    public var reminder: OcopReminder? {
        switch self {
        case .expired: .expired
        case .valid(_, let left) where left <= 30: .within30
        case .valid(_, let left) where left <= 90: .within90
        case .valid(_, let left) where left <= 180: .within180
        case .valid: nil
        }
    }
}

public enum OcopReminder: String, Sendable, Hashable, CaseIterable, Codable {
    case expired, within30, within90, within180

    public var label: LocalizedText {
        switch self {
        case .expired: LocalizedText(vi: "Đã hết hạn, chưa đánh giá lại", en: "Expired, not re-assessed")
        case .within30: LocalizedText(vi: "Hết hạn trong 30 ngày", en: "Expiring within 30 days")
        case .within90: LocalizedText(vi: "Hết hạn trong 90 ngày", en: "Expiring within 90 days")
        case .within180: LocalizedText(vi: "Hết hạn trong 180 ngày", en: "Expiring within 180 days")
        }
    }
}

extension Day {
    /// Whole days from this day to `later` (negative when `later` is earlier).
    public func daysUntil(_ later: Day) -> Int { later.daysSinceEpoch - daysSinceEpoch }
}
