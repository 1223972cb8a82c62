import CQRencode

/// A QR symbol: the module matrix libqrencode made for a text, copied into Swift so that the C
/// buffer is freed at once and the value can cross threads.
public struct QRSymbol: Sendable, Hashable {
    public enum ErrorCorrection: Sendable, Hashable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    public let version: Int
    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row-major, 1 = dark.
    public let modules: [UInt8]

    /// Nil when the text does not fit in any QR version at this level.
    public init?(_ text: String, errorCorrection: ErrorCorrection = .medium) {
        // 8-bit mode, case-sensitive: the payload is encoded exactly as given.
        guard let code = QRcode_encodeString(text, 0, errorCorrection.level, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        version = Int(code.pointee.version)
        size = width
        // Bit 0 is the module's colour; the other bits are libqrencode's bookkeeping.
        modules = UnsafeBufferPointer(start: code.pointee.data, count: width * width).map { $0 & 1 }
    }

    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] != 0 }
}
