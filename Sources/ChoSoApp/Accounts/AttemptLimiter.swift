import ChoSoCore
import Fluent
import Foundation

/// Failed guesses of a secret (a password, a speaker's pairing code), kept in the database so the
/// limit holds across server processes, and the waits they earn (`LoginThrottle`): per subject and
/// address, and per address over all subjects.
struct AttemptLimiter {
    var database: any Database
    var throttle: LoginThrottle

    /// The subject under which wrong pairing codes are counted (no user name starts with `#`).
    static let pairingSubject = "#pairing"

    /// How far back failures count: long enough for the longest wait to matter twice over.
    var window: TimeInterval { throttle.longestWait * 4 }

    /// Throws 429 `too_many_attempts` while `address` must wait for `subject`; returns whether the
    /// pair has failures to forget after a success.
    func check(subject: String, address: String, now: Date) async throws -> Bool {
        let fromAddress = try await LoginFailureModel.query(on: database)
            .filter(\.$clientAddress == address).filter(\.$failedAt >= now.addingTimeInterval(-window)).all()
        let forPair = fromAddress.filter { $0.username == subject }
        if let retryAt = throttle.retryAt(
            pairFailures: forPair.count, lastPairFailure: forPair.map(\.failedAt).max(),
            addressFailures: fromAddress.count, lastAddressFailure: fromAddress.map(\.failedAt).max(), now: now) {
            throw Self.tooManyAttempts(retryAt: retryAt, now: now)
        }
        return !forPair.isEmpty
    }

    func recordFailure(subject: String, address: String, now: Date) async throws {
        try await LoginFailureModel(username: subject, clientAddress: address, failedAt: now).create(on: database)
    }

    /// Forgets failures of a subject (at one address, or everywhere), or of every subject at an
    /// address; how many were forgotten.
    @discardableResult
    func forget(subject: String? = nil, address: String? = nil) async throws -> Int {
        let query = LoginFailureModel.query(on: database)
        if let subject { query.filter(\.$username == subject) }
        if let address { query.filter(\.$clientAddress == address) }
        let count = try await query.copy().count()
        try await query.delete()
        return count
    }

    /// An address that must wait before any sign-in, because of failures under many names.
    struct LockedAddress: Equatable {
        var address: String
        var failures: Int
        var until: Date
    }

    /// The addresses waiting now because of their failures over all names, so that an operator can
    /// see who is shut out (a market behind one carrier address) and lift it.
    func lockedAddresses(now: Date) async throws -> [LockedAddress] {
        let recent = try await LoginFailureModel.query(on: database).filter(\.$failedAt >= now.addingTimeInterval(-window)).all()
        return Dictionary(grouping: recent, by: \.clientAddress).compactMap { address, failures in
            guard failures.count >= throttle.perAddressLimit, let last = failures.map(\.failedAt).max() else { return nil }
            let until = last.addingTimeInterval(throttle.longestWait)
            return until > now ? LockedAddress(address: address, failures: failures.count, until: until) : nil
        }.sorted { $0.address < $1.address }
    }

    static func tooManyAttempts(retryAt: Date, now: Date) -> AppError {
        let seconds = max(1, Int(retryAt.timeIntervalSince(now).rounded()))
        let wait = seconds < 90
            ? LocalizedText(vi: "\(seconds) giây", en: "\(seconds) seconds")
            : LocalizedText(vi: "\((seconds + 59) / 60) phút", en: "\((seconds + 59) / 60) minutes")
        return AppError(
            status: .tooManyRequests, code: "too_many_attempts",
            message: LocalizedText(vi: "Nhập sai nhiều lần. Hãy thử lại sau \(wait.vi)", en: "Too many failed attempts. Try again in \(wait.en)"),
            retryAfter: seconds)
    }
}
