import ChoSoCore
import Fluent
import Foundation

/// `choso rotate-secret-key`: every stored connection secret opened with the key in the
/// configuration (the old one) and sealed again with the new one, in one transaction. If any
/// secret does not open with the old key nothing changes.
public enum SecretRotation {
    public static func rotate(_ config: AppConfig, newKey: String) async throws -> [String] {
        guard newKey.utf8.count >= 32 else {
            throw CommandFailure(lines: ["Khoá mới phải dài ít nhất 32 ký tự / the new key must be at least 32 characters"])
        }
        guard newKey != config.secretKey else {
            throw CommandFailure(lines: ["Khoá mới trùng khoá cũ / the new key is the old one"])
        }
        return try await ChoSoCommands.withApplication(config) { app in
            try await ChoSoApp.migrate(app)
            let count = try await reseal(on: app.db, oldKey: config.secretKey, newKey: newKey)
            return [
                "Đã niêm phong lại \(count) bí mật kết nối bằng khoá mới / \(count) connection secrets sealed with the new key",
                "Bây giờ đặt CHOSO_SECRET_KEY bằng khoá mới và khởi động lại mọi tiến trình / now set CHOSO_SECRET_KEY to the new key and restart every process",
                "Mã kiểm tra in trên bảng QR đổi theo khoá: in lại bảng / the check codes printed on QR boards change with the key: reprint the boards",
            ]
        }
    }

    /// How many secrets were sealed again; throws, changing nothing, when one does not open.
    static func reseal(on database: any Database, oldKey: String, newKey: String) async throws -> Int {
        let old = SecretVault(masterKey: oldKey)
        let new = SecretVault(masterKey: newKey)
        return try await database.transaction { database in
            let sealed = try await WebhookConnectionModel.query(on: database).filter(\.$secretSealed != nil).all()
            var unreadable: [String] = []
            for connection in sealed {
                guard let secret = connection.secretSealed.flatMap(old.open) else {
                    unreadable.append("  \(connection.label ?? connection.provider) (\(connection.id?.uuidString ?? "?"))")
                    continue
                }
                connection.secretSealed = new.seal(secret)
            }
            guard unreadable.isEmpty else {
                throw CommandFailure(lines: [
                    "\(unreadable.count) bí mật không mở được bằng khoá cũ (CHOSO_SECRET_KEY): không đổi gì / secrets that the old key does not open; nothing changed:",
                ] + unreadable)
            }
            for connection in sealed { try await connection.save(on: database) }
            return sealed.count
        }
    }
}
