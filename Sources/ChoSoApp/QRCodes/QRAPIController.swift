import ChoSoCore
import Vapor
import VietQR

/// `POST /api/v1/qr/decode`, `GET /api/v1/qr/encode`: public, like a QR code itself. Reading a
/// payload that is not valid is a successful check: it answers 200 with `"valid": false`.
struct QRAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let qr = routes.grouped("qr").rateLimited(.qrCodes)
        qr.post("decode", use: decode)
        qr.get("encode", use: encode)
    }

    struct DecodeBody: Content {
        var payload: String
        var lenient: Bool?
    }

    @Sendable func decode(req: Request) async throws -> Response {
        let body = try req.content.decode(DecodeBody.self)
        let response = Response(status: .ok)
        try response.content.encode(QRCodeService.decode(body.payload, lenient: body.lenient ?? false), as: .json)
        return response
    }

    struct EncodeQuery: Decodable {
        var bin: String?
        var account: String?
        var card: Bool?
        var amount: String?
        var purpose: String?
        var name: String?
        var city: String?
        var format: String?
        var scale: Int?
    }

    @Sendable func encode(req: Request) async throws -> Response {
        let query = try req.query.decode(EncodeQuery.self)
        guard let format = QRCodeService.Format(rawValue: query.format ?? "payload") else {
            throw Self.badParameter("format", vi: "format phải là payload, png, svg hoặc json", en: "format must be payload, png, svg or json")
        }
        var amount: Int64?
        if let text = query.amount, !text.isEmpty {
            guard let value = Int64(text) else {
                throw AppError(status: .badRequest, code: "bad_amount", message: .init(vi: "Số tiền chỉ gồm chữ số", en: "The amount has digits only"))
            }
            amount = value
        }
        let scale = query.scale ?? 8
        guard (1...QRCodeService.maxScale).contains(scale) else {
            throw Self.badParameter("scale", vi: "scale từ 1 đến \(QRCodeService.maxScale)", en: "scale is 1 to \(QRCodeService.maxScale)")
        }
        let request = VietQRRequest(
            bin: query.bin ?? "", account: query.account ?? "", service: query.card == true ? .toCard : .toAccount,
            amount: amount, purpose: query.purpose, merchantName: query.name, merchantCity: query.city)
        let rendered = try QRCodeService.render(request, format: format, scale: scale)

        if req.headers.first(name: .ifNoneMatch) == rendered.etag {
            return Response(status: .notModified, headers: ["ETag": rendered.etag])
        }
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: rendered.contentType)
        headers.add(name: .eTag, value: rendered.etag)
        // The same query always makes the same code: cache it for a year.
        headers.add(name: .cacheControl, value: "public, max-age=31536000, immutable")
        return Response(status: .ok, headers: headers, body: .init(data: rendered.body))
    }

    static func badParameter(_ name: String, vi: String, en: String) -> AppError {
        AppError(status: .badRequest, code: "bad_parameter", message: .init(vi: vi, en: en))
    }
}
