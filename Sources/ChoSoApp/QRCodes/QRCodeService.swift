import ChoSoCore
import Crypto
import Foundation
import QRImage
import VietQR

/// Makes VietQR payloads and images, and reads payloads back. Pure apart from being the app's one
/// door to the VietQR and QRImage targets.
enum QRCodeService {
    enum Format: String, CaseIterable {
        case payload, png, svg, json
    }

    struct Rendered {
        var payload: String
        var body: Data
        var contentType: String
        /// Stable for equal requests, so phones and proxies can cache the image.
        var etag: String
    }

    static let maxScale = 20

    static func render(_ request: VietQRRequest, format: Format, scale: Int) throws -> Rendered {
        let payload: String
        do {
            payload = try VietQRBuilder.build(request)
        } catch {
            throw AppError(status: .badRequest, code: error.code.rawValue, message: LocalizedText(vi: error.message, en: error.messageEn))
        }
        let body: Data
        let contentType: String
        switch format {
        case .payload:
            body = Data(payload.utf8)
            contentType = "text/plain; charset=utf-8"
        case .json:
            body = Data(try JSONEncoder().encode(["payload": payload]))
            contentType = "application/json"
        case .png, .svg:
            guard let symbol = QRSymbol(payload) else {
                throw AppError(status: .badRequest, code: "payload_too_long", message: .init(vi: "Nội dung quá dài cho một mã QR", en: "Too much content for one QR code"))
            }
            if format == .png {
                body = Data(PNGWriter.png(symbol, scale: scale))
                contentType = "image/png"
            } else {
                body = Data(SVGWriter.svg(symbol).utf8)
                contentType = "image/svg+xml"
            }
        }
        return Rendered(payload: payload, body: body, contentType: contentType, etag: etag(format: format, scale: scale, payload: payload))
    }

    static func etag(format: Format, scale: Int, payload: String) -> String {
        let digest = SHA256.hash(data: Data("\(format.rawValue)|\(scale)|\(payload)".utf8))
        return "\"" + digest.prefix(12).map { String(format: "%02x", $0) }.joined() + "\""
    }

    static func decode(_ payload: String, lenient: Bool) -> QRDecodeReport {
        QRDecodeReport(VietQRParser.parse(payload, mode: lenient ? .lenient : .strict))
    }
}
