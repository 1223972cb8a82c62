/// The JSON that `choso qr decode` prints and `POST /api/v1/qr/decode` returns (DESIGN.md §6):
/// `{"valid":true,"scheme":…,"bin":…,"amount":50000|null,…,"fields":[{"id":"00","value":"01"},…]}`
/// or `{"valid":false,"error":{"code":"crc_mismatch","message":"…","messageEn":"…"}}`.
/// Absent values are written as `null`, so every key is always there for a valid payload.
public struct QRDecodeReport: Encodable, Sendable {
    public var result: Result<DecodedQR, QRDecodeError>

    public init(_ result: Result<DecodedQR, QRDecodeError>) {
        self.result = result
    }

    public var isValid: Bool {
        if case .success = result { return true }
        return false
    }

    private enum Keys: String, CodingKey {
        case valid, scheme, initiation, bin, bank, bankVerified, account, service, amount, purpose
        case merchantName, merchantCity, crc, lengthUnit, warnings, fields, error
    }

    private struct ErrorBody: Encodable {
        var code: String
        var message: String
        var messageEn: String
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch result {
        case .failure(let error):
            try container.encode(false, forKey: .valid)
            try container.encode(ErrorBody(code: error.code.rawValue, message: error.message, messageEn: error.messageEn), forKey: .error)
        case .success(let qr):
            try container.encode(true, forKey: .valid)
            try container.encode(qr.scheme.rawValue, forKey: .scheme)
            try container.encode(qr.initiation?.rawValue, forKey: .initiation)
            try container.encode(qr.bin, forKey: .bin)
            try container.encode(qr.bank?.shortName, forKey: .bank)
            try container.encode(qr.bank?.verified, forKey: .bankVerified)
            try container.encode(qr.account, forKey: .account)
            try container.encode(qr.service, forKey: .service)
            try container.encode(qr.amount, forKey: .amount)
            try container.encode(qr.purpose, forKey: .purpose)
            try container.encode(qr.merchantName, forKey: .merchantName)
            try container.encode(qr.merchantCity, forKey: .merchantCity)
            try container.encode(qr.crc, forKey: .crc)
            if qr.lengthUnit != .characters { try container.encode(qr.lengthUnit.rawValue, forKey: .lengthUnit) }
            try container.encode(qr.warnings, forKey: .warnings)
            try container.encode(qr.fields, forKey: .fields)
        }
    }
}
