import Fluent
import Foundation
import Vapor

/// Web sessions in the database (shared by every process), as Fluent keeps them, plus when each
/// was last used. Vapor writes the session back on every answer, so `last_seen` costs nothing
/// more; a session unused for `idleLifetime` (the cookie's own lifetime) no longer signs anyone
/// in, and the pruning job deletes it.
struct ExpiringSessions: AsyncSessionDriver {
    /// As long as the cookie lives (`AppFactory`): a session unused this long is over.
    static let idleLifetime: TimeInterval = 14 * 24 * 60 * 60

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString())
        try await WebSessionModel(key: id.string, data: data, lastSeen: Date()).create(on: request.db)
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        let oldestValid = Date().addingTimeInterval(-Self.idleLifetime)
        return try await WebSessionModel.query(on: request.db)
            .filter(\.$key == sessionID.string)
            .group(.or) { $0.filter(\.$lastSeen >= oldestValid).filter(\.$lastSeen == nil) }
            .first()?.data
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        try await WebSessionModel.query(on: request.db)
            .filter(\.$key == sessionID.string)
            .set(\.$data, to: data).set(\.$lastSeen, to: Date())
            .update()
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await WebSessionModel.query(on: request.db).filter(\.$key == sessionID.string).delete()
    }
}

/// A row of Fluent's session table (`_fluent_sessions`) with the column ChoSo adds.
final class WebSessionModel: Model, @unchecked Sendable {
    static let schema = SessionRecord.schema

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "data") var data: SessionData
    /// Nil only for sessions made before the column existed (the migration sets it).
    @OptionalField(key: "last_seen") var lastSeen: Date?

    init() {}

    init(key: String, data: SessionData, lastSeen: Date) {
        self.key = key
        self.data = data
        self.lastSeen = lastSeen
    }
}
